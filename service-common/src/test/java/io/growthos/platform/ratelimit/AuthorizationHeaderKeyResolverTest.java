package io.growthos.platform.ratelimit;

import static io.growthos.platform.ratelimit.AuthorizationHeaderKeyResolver.fromAuthorization;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AuthorizationHeaderKeyResolverTest {

  @Test
  void readsBearerToken() {
    assertThat(fromAuthorization("Bearer gos_sk_abc")).contains("gos_sk_abc");
    assertThat(fromAuthorization("bearer   gos_sk_abc ")).contains("gos_sk_abc");
  }

  @Test
  void readsBasicUserNameAsSegmentClientsSendTheWriteKey() {
    String basic =
        "Basic "
            + Base64.getEncoder().encodeToString("gos_wk_abc:".getBytes(StandardCharsets.UTF_8));
    assertThat(fromAuthorization(basic)).contains("gos_wk_abc");
  }

  @Test
  void ignoresMissingEmptyUnknownSchemeAndBrokenBase64() {
    assertThat(fromAuthorization(null)).isEmpty();
    assertThat(fromAuthorization("Bearer ")).isEmpty();
    assertThat(fromAuthorization("Token gos_sk_abc")).isEmpty();
    assertThat(fromAuthorization("Basic %%%")).isEmpty();
    assertThat(
            fromAuthorization(
                "Basic "
                    + Base64.getEncoder().encodeToString(":x".getBytes(StandardCharsets.UTF_8))))
        .isEmpty();
  }
}
