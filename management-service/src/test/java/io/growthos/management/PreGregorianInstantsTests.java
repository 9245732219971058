package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Instants before the Gregorian cutover (1582-10-15) read and filter as stored. PostgreSQL keeps
 * them in the proleptic Gregorian calendar; {@code java.sql.Timestamp} converts with the hybrid
 * Julian one, so through it 1000-06-15 read back as 1000-06-21 and 0001-01-01 as 0000-12-30. These
 * go through the real JPA path (entities, JPQL parameters) and the JDBC reads of growth-core.
 */
class PreGregorianInstantsTests extends ApiTestSupport {

  private static final Instant YEAR_1000 = Instant.parse("1000-06-15T12:00:00Z");
  private static final Instant YEAR_1 = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant YEAR_1500 = Instant.parse("1500-03-01T00:00:00Z");

  @Test
  void eventsBefore1582ReadBackWithTheirStoredTimestampAndAreFoundByBeforeAndAfter() {
    Tenant t = newTenant();
    String contact = insertContact(t.workspaceId(), "u-1000", "{}");
    String y1000 = insertTrackEvent(t.workspaceId(), contact, "Old", "1000-06-15T12:00:00Z", "{}");
    String y1 = insertTrackEvent(t.workspaceId(), contact, "Older", "0001-01-01T00:00:00Z", "{}");

    assertThat(timestamp(get("/v1/events/" + y1000, t.key()).body())).isEqualTo(YEAR_1000);
    assertThat(timestamp(get("/v1/events/" + y1, t.key()).body())).isEqualTo(YEAR_1);

    Response before = get("/v1/events?before=1000-06-16T00:00:00Z", t.key());
    assertThat(before.status()).as(before.raw()).isEqualTo(200);
    assertThat(ids(before)).as(before.raw()).containsExactlyInAnyOrder(y1000, y1);
    for (JsonNode e : before.body().path("data")) {
      Instant expected = e.path("id").asString().equals(y1000) ? YEAR_1000 : YEAR_1;
      assertThat(timestamp(e)).as(before.raw()).isEqualTo(expected);
    }
    // A window of one day around the true instant finds it; the day the Julian reading gave not.
    assertThat(
            ids(get("/v1/events?after=1000-06-15T00:00:00Z&before=1000-06-16T00:00:00Z", t.key())))
        .containsExactly(y1000);
    assertThat(
            ids(get("/v1/events?after=1000-06-21T00:00:00Z&before=1000-06-22T00:00:00Z", t.key())))
        .isEmpty();
    assertThat(ids(get("/v1/events?before=0001-01-01T00:00:01Z", t.key()))).containsExactly(y1);
  }

  @Test
  void aContactFirstSeenIn1500ReadsBackAsStoredInTheContactSegmentMembersAndPreview() {
    Tenant t = newTenant();
    String id = Ids.next(IdPrefix.CONTACT);
    jdbc.update(
        "insert into contacts (workspace_id, id, user_id, traits, first_seen_at, last_seen_at)"
            + " values (?, ?, 'u-1500', '{}'::jsonb, ?::timestamptz, ?::timestamptz)",
        t.workspaceId(),
        id,
        "1500-03-01T00:00:00Z",
        "1500-03-01T00:00:00Z");

    JsonNode contact = get("/v1/contacts/" + id, t.key()).body();
    assertThat(Instant.parse(contact.path("first_seen_at").asString())).isEqualTo(YEAR_1500);
    assertThat(Instant.parse(contact.path("last_seen_at").asString())).isEqualTo(YEAR_1500);

    String filter =
        "{\"field\":\"first_seen_at\",\"op\":\"lt\",\"value\":\"1500-03-02T00:00:00Z\"}";
    Response preview = post("/v1/segments/preview", t.key(), "{\"filter\":" + filter + "}");
    assertThat(preview.status()).as(preview.raw()).isEqualTo(200);
    JsonNode sample = preview.body().path("sample");
    assertThat(sample.findValuesAsString("id")).as(preview.raw()).containsExactly(id);
    assertThat(Instant.parse(sample.path(0).path("first_seen_at").asString()))
        .as(preview.raw())
        .isEqualTo(YEAR_1500);

    Response segment =
        post("/v1/segments", t.key(), "{\"name\":\"early\",\"filter\":" + filter + "}");
    assertThat(segment.status()).as(segment.raw()).isEqualTo(201);
    Response members =
        get("/v1/segments/" + segment.body().path("id").asString() + "/contacts", t.key());
    assertThat(ids(members)).as(members.raw()).containsExactly(id);
    assertThat(Instant.parse(members.body().path("data").path(0).path("last_seen_at").asString()))
        .as(members.raw())
        .isEqualTo(YEAR_1500);
  }

  /**
   * A campaign's dates are written through its entity and read by growth-core's SQL (who may join,
   * which referrals count): both must see the instant the client sent.
   */
  @Test
  void aCampaignStartingIn1000IsStoredAndReadBackAsSent() {
    Tenant t = newTenant();
    Response created =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\":\"waitlist\",\"name\":\"w\",\"starts_at\":\"1000-06-15T12:00:00Z\"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    assertThat(
            jdbc.queryForObject(
                "select starts_at = '1000-06-15T12:00:00Z'::timestamptz from campaigns"
                    + " where workspace_id = ? and id = ?",
                Boolean.class,
                t.workspaceId(),
                id))
        .as("stored starts_at")
        .isTrue();
    JsonNode read = get("/v1/campaigns/" + id, t.key()).body();
    assertThat(Instant.parse(read.path("starts_at").asString())).isEqualTo(YEAR_1000);
  }

  private static Instant timestamp(JsonNode event) {
    return Instant.parse(event.path("timestamp").asString());
  }
}
