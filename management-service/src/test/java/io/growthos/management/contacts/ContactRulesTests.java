package io.growthos.management.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.testsupport.contacts.ContactIdentityCases;
import io.growthos.testsupport.contacts.ContactRuleCases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared table of contact rule cases through {@code POST} and {@code PATCH /v1/contacts}; the
 * Ingest API's {@code IdentityTests} runs the same table through identify.
 */
class ContactRulesTests extends ApiTestSupport {

  /** The contacts an id points at, whatever its kind. */
  private List<String> ownersOf(Tenant t, String id) {
    return jdbc.queryForList(
        "select contact_id from contact_identities where workspace_id = ? and value = ?",
        String.class,
        t.workspaceId(),
        id);
  }

  /**
   * docs/contacts.md ("What an id is"): a user id is a non-blank string of at most 255 characters
   * (code points, as identify counts them), kept exactly as sent.
   */
  @Test
  void idsAreReadByTheRulesIdentifyReadsThemBy() {
    Tenant t = newTenant();
    for (String body :
        List.of(
            "{\"user_id\":\" \"}",
            "{\"user_id\":123}",
            "{\"user_id\":\"" + "x".repeat(256) + "\"}",
            "{\"anonymous_ids\":[\" \"]}",
            "{\"anonymous_ids\":[\"" + "x".repeat(256) + "\"]}")) {
      Response r = post("/v1/contacts", t.key(), body);
      assertThat(r.status()).as(body + " " + r.raw()).isEqualTo(400);
      assertThat(r.firstDetail().path("field").asString()).startsWith(body.substring(2, 9));
    }
    String emoji = "\uD83D\uDE00".repeat(255);
    Response created =
        post(
            "/v1/contacts",
            t.key(),
            json(Map.of("user_id", emoji, "anonymous_ids", List.of(" a "))));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().path("user_id").asString()).isEqualTo(emoji);
    assertThat(created.body().path("anonymous_ids").get(0).asString()).isEqualTo(" a ");
    // An anonymous id equal to the contact's own user id is that id, not listed again.
    Response same =
        post("/v1/contacts", t.key(), "{\"user_id\":\"me\",\"anonymous_ids\":[\"me\",\"dev\"]}");
    assertThat(same.status()).as(same.raw()).isEqualTo(201);
    assertThat(same.body().path("anonymous_ids").toString()).isEqualTo("[\"dev\"]");
    assertThat(ownersOf(t, "me")).containsExactly(same.body().path("id").asString());
  }

  /**
   * PATCH cannot give a contact another contact's ids because it cannot change ids at all: {@code
   * user_id} and {@code anonymous_ids} are unknown fields of its body (400), and nothing changes.
   */
  @Test
  void patchCannotChangeAContactsIds() {
    Tenant t = newTenant();
    String a = post("/v1/contacts", t.key(), "{\"user_id\":\"a\"}").body().path("id").asString();
    String b = post("/v1/contacts", t.key(), "{\"user_id\":\"b\"}").body().path("id").asString();
    for (String body : List.of("{\"user_id\":\"a\"}", "{\"anonymous_ids\":[\"a\"]}")) {
      Response r = patch("/v1/contacts/" + b, t.key(), body);
      assertThat(r.status()).as(r.raw()).isEqualTo(400);
      assertThat(r.firstDetail().path("field").asString()).isIn("user_id", "anonymous_ids");
    }
    assertThat(ownersOf(t, "a")).containsExactly(a);
    assertThat(get("/v1/contacts/" + b, t.key()).body().path("user_id").asString()).isEqualTo("b");
  }

  /**
   * The shared table of identity cases ({@code ContactIdentityCases}; the Ingest API's {@code
   * IdentityTests} runs it through identify): a create offering an id another contact is known by,
   * of either kind, is 409 naming the field and creates nothing. Before, a {@code user_id} that was
   * another contact's anonymous or aliased id, or an anonymous id that was another contact's user
   * id, was taken: the id then pointed at two contacts.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.growthos.testsupport.contacts.ContactIdentityCases#all")
  void createFollowsTheSharedIdentityRules(ContactIdentityCases c) {
    Tenant t = newTenant();
    Response existing =
        post(
            "/v1/contacts",
            t.key(),
            json(
                Map.of(
                    "user_id",
                    ContactIdentityCases.EXISTING_USER_ID,
                    "anonymous_ids",
                    List.of(
                        ContactIdentityCases.EXISTING_ANONYMOUS_ID,
                        ContactIdentityCases.EXISTING_ALIASED_ID))));
    assertThat(existing.status()).as(existing.raw()).isEqualTo(201);
    String existingId = existing.body().path("id").asString();

    Response offered =
        post(
            "/v1/contacts",
            t.key(),
            json(Map.of("user_id", c.userId(), "anonymous_ids", List.of(c.anonymousId()))));
    if (c.refused() != null) {
      assertThat(offered.status()).as(offered.raw()).isEqualTo(409);
      assertThat(offered.body().path("error").path("code").asString())
          .isEqualTo("duplicate_resource");
      assertThat(offered.firstDetail().path("field").asString()).isEqualTo(c.refused());
      assertThat(
              jdbc.queryForObject(
                  "select count(*) from contacts where workspace_id = ?",
                  Long.class,
                  t.workspaceId()))
          .isEqualTo(1);
    } else {
      assertThat(offered.status()).as(offered.raw()).isEqualTo(201);
      String created = offered.body().path("id").asString();
      assertThat(offered.body().path("user_id").asString()).isEqualTo(c.userId());
      assertThat(ownersOf(t, c.userId())).containsExactly(created);
      assertThat(ownersOf(t, c.anonymousId())).containsExactly(created);
    }
    for (String id :
        List.of(
            ContactIdentityCases.EXISTING_USER_ID,
            ContactIdentityCases.EXISTING_ANONYMOUS_ID,
            ContactIdentityCases.EXISTING_ALIASED_ID)) {
      assertThat(ownersOf(t, id)).as(id).containsExactly(existingId);
    }
  }

  @Test
  void mergesCannotGrowTraitsPastTheirBoundButMayShrinkThem() {
    Tenant t = newTenant();
    String big = "a".repeat(40_000);
    Response created = post("/v1/contacts", t.key(), "{\"traits\":{\"k0\":\"" + big + "\"}}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    Response grown = patch("/v1/contacts/" + id, t.key(), "{\"traits\":{\"k1\":\"" + big + "\"}}");
    assertThat(grown.status()).isEqualTo(400);
    assertThat(grown.firstDetail().path("field").asString()).isEqualTo("traits");
    assertThat(grown.firstDetail().path("reason").asString()).isEqualTo("too_large");
    assertThat(get("/v1/contacts/" + id, t.key()).body().path("traits").has("k1")).isFalse();
    assertThat(
            post(
                    "/v1/contacts",
                    t.key(),
                    "{\"traits\":{\"a\":\"" + big + "\",\"b\":\"" + big + "\"}}")
                .status())
        .isEqualTo(400);

    // Traits grown past the bound another way (ingest merges events of up to 32 KB) can shrink.
    jdbc.update(
        "update contacts set traits = jsonb_build_object('k0', ?::text, 'k1', ?::text)"
            + " where workspace_id = ? and id = ?",
        big,
        big,
        t.workspaceId(),
        id);
    Response shrunk = patch("/v1/contacts/" + id, t.key(), "{\"traits\":{\"k1\":null}}");
    assertThat(shrunk.status()).as(shrunk.raw()).isEqualTo(200);
    assertThat(shrunk.body().path("traits").has("k1")).isFalse();
  }

  @Test
  void theEmailFieldTakesExactlyTheAddressesIdentifysEmailTraitSets() {
    Tenant t = newTenant();
    // Addresses ContactEmail takes (something@something, no whitespace): identify sets them as the
    // field, so the explicit field takes them too (Hibernate's @Email refused each with 400) ...
    String longLocal = "a".repeat(70) + "@example.com";
    for (String address : new String[] {"x@y@z", "a..b@example.com", longLocal, "a@b."}) {
      Response created = post("/v1/contacts", t.key(), "{\"email\":\"" + address + "\"}");
      assertThat(created.status()).as(created.raw()).isEqualTo(201);
      assertThat(created.body().path("email").asString()).isEqualTo(address);
      String id = created.body().path("id").asString();
      Response same = patch("/v1/contacts/" + id, t.key(), "{\"email\":\"" + address + "\"}");
      assertThat(same.status()).as(same.raw()).isEqualTo(200);
    }
    // ... and refuses what identify would never set (a quoted local part with a space passed it).
    for (String address : new String[] {"\\\"q r\\\"@example.com", "a b@example.com", "@x", "x@"}) {
      Response refused = post("/v1/contacts", t.key(), "{\"email\":\"" + address + "\"}");
      assertThat(refused.status()).as(address + " -> " + refused.raw()).isEqualTo(400);
      assertThat(refused.firstDetail().path("field").asString()).isEqualTo("email");
      assertThat(refused.firstDetail().path("reason").asString()).isEqualTo("invalid_email");
      Response trait =
          post("/v1/contacts", t.key(), "{\"traits\":{\"email\":\"" + address + "\"}}");
      assertThat(trait.status()).as(trait.raw()).isEqualTo(201);
      assertThat(trait.body().path("email").isNull()).as(trait.raw()).isTrue();
    }
    // A campaign join (the widget's rule too) creates no contact with such an address either.
    String campaign =
        post(
                "/v1/campaigns",
                t.key(),
                "{\"type\":\"waitlist\",\"name\":\"W\",\"status\":\"active\"}")
            .body()
            .path("id")
            .asString();
    assertThat(
            post(
                    "/v1/campaigns/" + campaign + "/participants",
                    t.key(),
                    "{\"email\":\"x@y@z.org\"}")
                .status())
        .isEqualTo(201);
    Response spaced =
        post(
            "/v1/campaigns/" + campaign + "/participants",
            t.key(),
            "{\"email\":\"a b@example.org\"}");
    assertThat(spaced.status()).isEqualTo(400);
    assertThat(spaced.firstDetail().path("reason").asString()).isEqualTo("invalid_email");
  }

  @Test
  void theEmailFilterFindsAnAddressGivenWithTheSpacesItsFieldWasStoredWithout() {
    Tenant t = newTenant();
    Response created = post("/v1/contacts", t.key(), "{\"email\":\"  Ada@Lovelace.dev \"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.body().path("email").asString()).isEqualTo("Ada@Lovelace.dev");
    for (String query : new String[] {"%20ada@lovelace.dev%20", "ADA@LOVELACE.DEV%09"}) {
      Response found = get("/v1/contacts?email=" + query, t.key());
      assertThat(found.status()).as(found.raw()).isEqualTo(200);
      assertThat(found.body().path("data").size()).as(query).isEqualTo(1);
      assertThat(found.body().path("data").get(0).path("id").asString())
          .isEqualTo(created.body().path("id").asString());
    }
    // A blank filter is a filter that matches nobody, not a list of everyone.
    for (String blank : new String[] {"", "%20%20"}) {
      Response none = get("/v1/contacts?email=" + blank, t.key());
      assertThat(none.status()).as(none.raw()).isEqualTo(200);
      assertThat(none.body().path("data").size()).as("email=" + blank).isZero();
    }
  }

  @Test
  void anEmptyOrBlankExplicitEmailIsNoAddressOnACreateAndClearsTheFieldOnAPatch() {
    Tenant t = newTenant();
    Response empty = post("/v1/contacts", t.key(), "{\"user_id\":\"e1\",\"email\":\"\"}");
    assertThat(empty.status()).as(empty.raw()).isEqualTo(201);
    assertThat(empty.body().path("email").isNull()).as(empty.raw()).isTrue();
    Response held = post("/v1/contacts", t.key(), "{\"email\":\"ada@lovelace.dev\"}");
    assertThat(held.status()).as(held.raw()).isEqualTo(201);
    Response cleared =
        patch(
            "/v1/contacts/" + held.body().path("id").asString(),
            t.key(),
            "{\"email\":\" \\u00a0 \"}");
    assertThat(cleared.status()).as(cleared.raw()).isEqualTo(200);
    assertThat(cleared.body().path("email").isNull()).as(cleared.raw()).isTrue();
  }

  /**
   * One address, one spelling: composed (NFC) and decomposed (NFD) "ë" are one address for the
   * explicit field, the list's filter and a campaign join; a zero-width character makes no address;
   * no-break spaces around one are trimmed like spaces (docs/contacts.md "Email").
   */
  @Test
  void composedAndDecomposedSpellingsAreOneAddressAndInvisibleCharactersNone() {
    Tenant t = newTenant();
    Response composed = post("/v1/contacts", t.key(), "{\"email\":\"Zo\u00eb@example.com\"}");
    assertThat(composed.status()).as(composed.raw()).isEqualTo(201);
    String id = composed.body().path("id").asString();

    Response decomposed = post("/v1/contacts", t.key(), "{\"email\":\"zoe\\u0308@example.com\"}");
    assertThat(decomposed.status()).as(decomposed.raw()).isEqualTo(409);
    assertThat(decomposed.firstDetail().path("field").asString()).isEqualTo("email");

    Response found = get("/v1/contacts?email=ZOE%CC%88%40example.com", t.key());
    assertThat(found.body().path("data").size()).as(found.raw()).isEqualTo(1);
    assertThat(found.body().path("data").get(0).path("id").asString()).isEqualTo(id);

    Response invisible = post("/v1/contacts", t.key(), "{\"email\":\"ada\\u200b@example.com\"}");
    assertThat(invisible.status()).as(invisible.raw()).isEqualTo(400);
    assertThat(invisible.firstDetail().path("field").asString()).isEqualTo("email");
    assertThat(invisible.firstDetail().path("reason").asString()).isEqualTo("invalid_email");

    Response padded =
        post("/v1/contacts", t.key(), "{\"email\":\"\\u00a0ada@example.com\\u00a0\"}");
    assertThat(padded.status()).as(padded.raw()).isEqualTo(201);
    assertThat(padded.body().path("email").asString()).isEqualTo("ada@example.com");

    // A campaign join of the decomposed spelling joins the composed address's contact.
    String campaign =
        post(
                "/v1/campaigns",
                t.key(),
                "{\"type\":\"waitlist\",\"name\":\"W\",\"status\":\"active\"}")
            .body()
            .path("id")
            .asString();
    Response joined =
        post(
            "/v1/campaigns/" + campaign + "/participants",
            t.key(),
            "{\"email\":\"zoe\\u0308@example.com\"}");
    assertThat(joined.status()).as(joined.raw()).isEqualTo(201);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where workspace_id = ?",
                Long.class,
                t.workspaceId()))
        .as("contacts of the workspace")
        .isEqualTo(2);
  }

  @Test
  void aBlankUserIdIsRefusedAsIdentifyTakesItForAbsent() {
    Tenant t = newTenant();
    for (String blank : new String[] {"   ", "\\t", "\\u2003"}) {
      Response created = post("/v1/contacts", t.key(), "{\"user_id\":\"" + blank + "\"}");
      assertThat(created.status()).as(created.raw()).isEqualTo(400);
      assertThat(created.errorCode()).isEqualTo("validation_error");
      assertThat(created.firstDetail().path("field").asString()).isEqualTo("user_id");
      assertThat(created.firstDetail().path("reason").asString()).isEqualTo("required");
    }
    assertThat(contactCount(t.workspaceId())).isZero();
    // As a blank anonymous id in the same body is.
    Response anonymous = post("/v1/contacts", t.key(), "{\"anonymous_ids\":[\"   \"]}");
    assertThat(anonymous.status()).isEqualTo(400);
    assertThat(anonymous.firstDetail().path("reason").asString()).isEqualTo("required");
  }

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
    for (int i = 1; i < c.steps().size(); i++) {
      Response changed =
          patch("/v1/contacts/" + id, t.key(), "{\"traits\":" + c.steps().get(i) + "}");
      if (c.refused().contains(i)) {
        assertThat(changed.status()).as(changed.raw()).isEqualTo(400);
        assertThat(changed.firstDetail().path("field").asString()).isEqualTo("traits");
        assertThat(changed.firstDetail().path("reason").asString()).isEqualTo("too_large");
      } else {
        assertThat(changed.status()).as(changed.raw()).isEqualTo(200);
      }
    }
    Response last = get("/v1/contacts/" + id, t.key());
    assertThat(last.body().path("traits")).isEqualTo(JSON.readTree(c.traits()));
    assertThat(last.body().path("email").isNull() ? null : last.body().path("email").asString())
        .isEqualTo(c.email());
    assertThat(last.body().path("version").asInt()).isEqualTo(c.version());
  }
}
