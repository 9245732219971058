package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A Management API body is nested at most as deep as an Ingest API body ({@code JsonNesting}, 100
 * levels): a contact whose traits were nested 499 deep was created (201), and every list that
 * wrapped it ({@code GET /v1/contacts}, the filter by its e-mail) then went past the 500 levels the
 * JSON writer takes and answered 500 for the whole workspace.
 */
class JsonNestingTests extends ApiTestSupport {

  private static String nested(int levels) {
    return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
  }

  @Test
  void traitsNestedDeeperThanTheLimitAreRefusedAndTheContactListStaysReadable() {
    Tenant t = newTenant();

    Response deep =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"deep@example.com\",\"traits\":" + nested(499) + "}");
    Response list = get("/v1/contacts", t.key());

    assertThat(list.status()).as("GET /v1/contacts: " + list.raw()).isEqualTo(200);
    assertThat(deep.status()).as("POST /v1/contacts").isEqualTo(400);
    assertThat(deep.firstDetail().path("reason").asString()).isEqualTo("too_deep");
    assertThat(deep.firstDetail().path("field").asString()).startsWith("traits.a.a.a");
    assertThat(deep.body().path("error").path("message").asString()).contains("100 levels");
    assertThat(contactCount(t.workspaceId())).isZero();
  }

  @Test
  void aBodyAsDeepAsTheIngestApiTakesIsStoredAndListed() {
    Tenant t = newTenant();

    // The body is level 1, its traits level 2: 99 levels of traits make a body of 100.
    Response created =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"ok@example.com\",\"traits\":" + nested(99) + "}");
    Response tooDeep =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"no@example.com\",\"traits\":" + nested(100) + "}");
    Response list = get("/v1/contacts", t.key());

    assertThat(created.status()).as("99 levels of traits").isEqualTo(201);
    assertThat(tooDeep.status()).as("100 levels of traits").isEqualTo(400);
    assertThat(tooDeep.firstDetail().path("reason").asString()).isEqualTo("too_deep");
    assertThat(list.status()).as(list.raw()).isEqualTo(200);
    assertThat(list.body().path("data").size()).isEqualTo(1);
  }
}
