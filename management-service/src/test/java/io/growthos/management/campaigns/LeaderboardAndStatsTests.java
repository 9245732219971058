package io.growthos.management.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /v1/campaigns/{id}/leaderboard} and the complete {@code …/stats}. */
class LeaderboardAndStatsTests extends ApiTestSupport {

  private String waitlist(Tenant t, String settings) {
    Response r =
        post(
            "/v1/campaigns",
            t.key(),
            "{\"type\": \"waitlist\", \"name\": \"Beta\", \"status\": \"active\", \"settings\": "
                + settings
                + "}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().path("id").asString();
  }

  private String code(JsonNode participant) {
    return participant.path("referral_code").asString();
  }

  /**
   * A join that found a contact made before it (an address anyone holding the page's write key can
   * type) shows no name on the board: the name the operator stored for that address stays private.
   * A contact the join made shows its name. Until 2026-12-07 a public join with a customer's
   * address, and one fake friend through its code, put "Erin K." on the public board (a black-box
   * review).
   */
  @Test
  void aParticipantWhoseJoinFoundAnOlderContactShowsNoNameOnTheBoard() {
    Tenant t = newTenant();
    String c = waitlist(t, "{\"spots_per_referral\": 1}");
    String erin =
        insertContact(
            t.workspaceId(), null, "{\"first_name\": \"Erin\", \"last_name\": \"Kowalski\"}");
    jdbc.update(
        "update contacts set email = 'erin@example.com', created_at = now() - interval '1 hour'"
            + " where workspace_id = ? and id = ?",
        t.workspaceId(),
        erin);
    JsonNode erinJoined = join(t, c, "erin@example.com", null);
    JsonNode nora = join(t, c, "nora@example.com", null);
    jdbc.update(
        "update contacts set traits = '{\"first_name\": \"Nora\", \"last_name\": \"Berg\"}'"
            + " where workspace_id = ? and id = ?",
        t.workspaceId(),
        nora.path("contact_id").asString());
    join(t, c, "f1@example.com", code(erinJoined));
    join(t, c, "f2@example.com", code(erinJoined));
    join(t, c, "f3@example.com", code(nora));

    JsonNode board = get("/v1/campaigns/" + c + "/leaderboard", t.key()).body();
    assertThat(board.at("/data/0/email").asString()).isEqualTo("erin@example.com");
    assertThat(board.at("/data/0/display_name").isNull()).isTrue();
    assertThat(board.at("/data/1/display_name").asString()).isEqualTo("Nora B.");
  }

  @Test
  void theLeaderboardRanksByQualifiedReferralsThenByJoinTime() {
    Tenant t = newTenant();
    String c = waitlist(t, "{\"spots_per_referral\": 1}");
    JsonNode ann = join(t, c, "ann@example.com", null);
    JsonNode bob = join(t, c, "bob@example.com", null);
    JsonNode cat = join(t, c, "cat@example.com", null);
    join(t, c, "dan@example.com", null);
    // bob brings 2, cat 1, ann 1 (ann joined before cat, so ann ranks above cat), dan none.
    join(t, c, "f1@example.com", code(bob));
    join(t, c, "f2@example.com", code(cat));
    join(t, c, "f3@example.com", code(bob));
    join(t, c, "f4@example.com", code(ann));
    jdbc.update(
        "update contacts set traits = '{\"name\":\"Bob Stone Jr\"}' where workspace_id = ? and"
            + " id = ?",
        t.workspaceId(),
        bob.path("contact_id").asString());

    Response r = get("/v1/campaigns/" + c + "/leaderboard", t.key());
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    JsonNode board = r.body();
    assertThat(board.path("object").asString()).isEqualTo("leaderboard");
    assertThat(board.path("period").asString()).isEqualTo("all_time");
    assertThat(board.path("data")).hasSize(3);
    assertThat(board.at("/data/0/email").asString()).isEqualTo("bob@example.com");
    assertThat(board.at("/data/0/referrals").asLong()).isEqualTo(2);
    assertThat(board.at("/data/0/rank").asInt()).isEqualTo(1);
    assertThat(board.at("/data/0/display_name").asString()).isEqualTo("Bob J.");
    assertThat(board.at("/data/0/participant_id").asString()).isEqualTo(bob.path("id").asString());
    assertThat(board.at("/data/1/email").asString()).isEqualTo("ann@example.com");
    assertThat(board.at("/data/1/display_name").isNull()).isTrue();
    assertThat(board.at("/data/2/email").asString()).isEqualTo("cat@example.com");
    assertThat(board.at("/data/2/rank").asInt()).isEqualTo(3);

    assertThat(get("/v1/campaigns/" + c + "/leaderboard?limit=1", t.key()).body().path("data"))
        .hasSize(1);

    // This month: the same referrals (all qualified now); one qualified last month drops out.
    Response month = get("/v1/campaigns/" + c + "/leaderboard?period=month", t.key());
    assertThat(month.status()).isEqualTo(200);
    assertThat(month.body().path("from").asString()).isNotBlank();
    assertThat(month.body().at("/data/0/referrals").asLong()).isEqualTo(2);
    jdbc.update(
        "update referrals set qualified_at = now() - interval '40 days' where workspace_id = ?"
            + " and campaign_id = ? and referrer_id = ?",
        t.workspaceId(),
        c,
        bob.path("id").asString());
    JsonNode thisMonth = get("/v1/campaigns/" + c + "/leaderboard?period=month", t.key()).body();
    assertThat(thisMonth.path("data")).hasSize(2);
    assertThat(thisMonth.at("/data/0/email").asString()).isEqualTo("ann@example.com");
  }

  @Test
  void leaderboardParametersAreChecked() {
    Tenant t = newTenant();
    String c = waitlist(t, "{}");
    Response period = get("/v1/campaigns/" + c + "/leaderboard?period=week", t.key());
    assertThat(period.status()).isEqualTo(400);
    assertThat(period.firstDetail().path("field").asString()).isEqualTo("period");
    Response limit = get("/v1/campaigns/" + c + "/leaderboard?limit=0", t.key());
    assertThat(limit.status()).isEqualTo(400);
    assertThat(limit.firstDetail().path("field").asString()).isEqualTo("limit");
    Tenant other = newTenant();
    assertThat(get("/v1/campaigns/" + c + "/leaderboard", other.key()).status()).isEqualTo(404);
  }

  @Test
  void statsCountParticipantsReferralsByStateAndConversion() {
    Tenant t = newTenant();
    String c = waitlist(t, "{\"require_verification\": true}");
    JsonNode ann = join(t, c, "ann@example.com", null);
    JsonNode bob = join(t, c, "bob@example.com", code(ann));
    join(t, c, "cat@example.com", code(ann));
    // ann refers herself under another spelling: rejected.
    join(t, c, "Ann+second@example.com", code(ann));
    Response verified =
        post(
            "/v1/campaigns/" + c + "/participants/" + bob.path("id").asString() + "/verify",
            t.key(),
            json(Map.of("token", bob.path("verification_token").asString())));
    assertThat(verified.status()).as(verified.raw()).isEqualTo(200);
    post("/v1/campaigns/" + c + "/admit", t.key(), "{\"count\": 1}");

    JsonNode stats = get("/v1/campaigns/" + c + "/stats", t.key()).body();
    assertThat(stats.path("participants").asLong()).isEqualTo(4);
    assertThat(stats.path("waiting").asLong()).isEqualTo(3);
    assertThat(stats.path("admitted").asLong()).isEqualTo(1);
    assertThat(stats.path("verified").asLong()).isEqualTo(1);
    assertThat(stats.path("referred").asLong()).isEqualTo(3);
    assertThat(stats.path("referrals").path("pending").asLong()).isEqualTo(1);
    assertThat(stats.path("referrals").path("qualified").asLong()).isEqualTo(1);
    assertThat(stats.path("referrals").path("rewarded").asLong()).isZero();
    assertThat(stats.path("referrals").path("rejected").asLong()).isEqualTo(1);
    assertThat(stats.path("conversion_rate").asDouble()).isEqualTo(1.0 / 3);
  }
}
