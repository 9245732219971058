package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Management API measures text against its limits in characters, as the Ingest API does
 * (shared-model TextLength): a user id of 255 emoji that identify stores is accepted here too, and
 * one of 256 is refused, naming the field.
 */
class TextLengthInCharactersTests extends ApiTestSupport {

  private static final String EMOJI = "\uD83D\uDE00"; // one character, two UTF-16 units

  @Test
  void aUserIdOf255AstralCharactersIsAcceptedAnd256AreRefused() {
    Tenant t = newTenant();

    Response fits = post("/v1/contacts", t.key(), "{\"user_id\":\"" + EMOJI.repeat(255) + "\"}");
    Response over = post("/v1/contacts", t.key(), "{\"user_id\":\"" + EMOJI.repeat(256) + "\"}");

    assertThat(fits.status()).as(fits.raw()).isEqualTo(201);
    assertThat(fits.body().path("user_id").asString()).isEqualTo(EMOJI.repeat(255));
    assertThat(over.status()).as(over.raw()).isEqualTo(400);
    assertThat(over.firstDetail().path("field").asString()).isEqualTo("user_id");
    assertThat(over.firstDetail().path("reason").asString()).isEqualTo("out_of_range");
  }

  @Test
  void aNameIsCountedInCharactersOnCreateAndOnPatch() {
    Tenant t = newTenant();

    Response segment =
        post(
            "/v1/segments",
            t.key(),
            "{\"name\":\""
                + EMOJI.repeat(200)
                + "\",\"filter\":{\"field\":\"email\",\"op\":\"exists\"}}");
    assertThat(segment.status()).as(segment.raw()).isEqualTo(201);

    Response renamed =
        patch(
            "/v1/segments/" + segment.body().path("id").asString(),
            t.key(),
            "{\"name\":\"" + EMOJI.repeat(201) + "\"}");
    assertThat(renamed.status()).as(renamed.raw()).isEqualTo(400);
    assertThat(renamed.firstDetail().path("field").asString()).isEqualTo("name");
  }
}
