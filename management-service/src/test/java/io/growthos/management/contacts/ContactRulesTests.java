package io.growthos.management.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.testsupport.contacts.ContactRuleCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared table of contact rule cases through {@code POST} and {@code PATCH /v1/contacts}; the
 * Ingest API's {@code IdentityTests} runs the same table through identify.
 */
class ContactRulesTests extends ApiTestSupport {

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.growthos.testsupport.contacts.ContactRuleCases#all")
  void createAndPatchFollowTheSharedContactRules(ContactRuleCases c) {
    Tenant t = newTenant();
    if (c.otherContactEmail() != null) {
      Response other =
          post("/v1/contacts", t.key(), "{\"email\":\"" + c.otherContactEmail() + "\"}");
      assertThat(other.status()).as(other.raw()).isEqualTo(201);
    }
    Response created =
        post(
            "/v1/contacts",
            t.key(),
            "{\"user_id\":\"subject\",\"traits\":" + c.steps().get(0) + "}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    Response last = created;
    for (String traits : c.steps().subList(1, c.steps().size())) {
      last = patch("/v1/contacts/" + id, t.key(), "{\"traits\":" + traits + "}");
      assertThat(last.status()).as(last.raw()).isEqualTo(200);
    }
    assertThat(last.body().path("traits")).isEqualTo(JSON.readTree(c.traits()));
    assertThat(last.body().path("email").isNull() ? null : last.body().path("email").asString())
        .isEqualTo(c.email());
    assertThat(last.body().path("version").asInt()).isEqualTo(c.version());
  }
}
