package io.growthos.platform.auth;

import static io.growthos.platform.auth.ApiKeyCredentials.fromAuthorization;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The one parser of presented keys, shared by both services. */
class ApiKeyCredentialsTests {

  private static String basic(String userColonPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsBearerToken() {
    assertThat(fromAuthorization("Bearer gos_sk_abc")).contains("gos_sk_abc");
    assertThat(fromAuthorization("bearer   gos_sk_abc ")).contains("gos_sk_abc");
  }

  @Test
  void readsBasicUserNameWithOrWithoutColonAsSegmentClientsSendTheWriteKey() {
    assertThat(fromAuthorization(basic("gos_wk_abc:"))).contains("gos_wk_abc");
    assertThat(fromAuthorization(basic("gos_wk_abc"))).contains("gos_wk_abc");
    assertThat(fromAuthorization(basic("gos_wk_abc:ignored"))).contains("gos_wk_abc");
  }

  @Test
  void noHeaderIsNoKey() {
    assertThat(fromAuthorization(null)).isEmpty();
    assertThat(fromAuthorization("  ")).isEmpty();
  }

  @Test
  void refusesAHeaderThatCarriesNoKeyRatherThanIgnoringIt() {
    for (String header :
        new String[] {"Bearer ", "Token gos_sk_abc", "Basic %%%", basic(":x"), "Bearer"}) {
      assertThatThrownBy(() -> fromAuthorization(header))
          .as(header)
          .isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(401));
    }
  }

  @Test
  void readsTheBodyWriteKeyWhenItIsANonBlankStringAndRefusesOneOfAnotherType() {
    JsonMapper json = JsonMapper.builder().build();
    assertThat(ApiKeyCredentials.fromBody(json.readTree("{\"writeKey\":\"gos_wk_a\"}")))
        .contains("gos_wk_a");
    for (String wrong : new String[] {"1", "{}", "[\"gos_wk_a\"]", "false"}) {
      assertThatThrownBy(
              () -> ApiKeyCredentials.fromBody(json.readTree("{\"writeKey\":" + wrong + "}")))
          .as(wrong)
          .isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400))
          .satisfies(
              e -> assertThat(((ApiException) e).details().get(0).field()).isEqualTo("writeKey"));
    }
    assertThat(ApiKeyCredentials.fromBody(json.readTree("{\"writeKey\":null}"))).isEmpty();
    assertThat(ApiKeyCredentials.fromBody(json.readTree("{\"writeKey\":\" \"}"))).isEmpty();
    assertThat(ApiKeyCredentials.fromBody(json.readTree("[]"))).isEmpty();
    assertThat(ApiKeyCredentials.fromBody(null)).isEmpty();
  }
}
