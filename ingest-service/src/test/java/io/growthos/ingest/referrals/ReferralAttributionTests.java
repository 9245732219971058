package io.growthos.ingest.referrals;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.campaigns.CampaignInfo;
import io.growthos.core.campaigns.CampaignSettings;
import io.growthos.core.campaigns.CampaignStatus;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.core.campaigns.JoinResult;
import io.growthos.core.campaigns.Participant;
import io.growthos.core.campaigns.Participants;
import io.growthos.core.campaigns.ReferralAttribution;
import io.growthos.core.campaigns.ReferralWatch;
import io.growthos.core.contacts.ContactDeletion;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.ingest.IngestTestBase;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Referral attribution end to end through the Ingest API (SPEC §8): events posted over HTTP carry a
 * referral code or are the qualifying event; the worker (drained here as well as on its schedule)
 * turns them into referrals, exactly once, whatever the order and repetition of the events.
 */
class ReferralAttributionTests extends IngestTestBase {

  @Autowired ReferralAttribution attribution;
  @Autowired ReferralWatch watch;
  @Autowired DataSource dataSource;

  private static final String QUALIFYING =
      "{\"event\": \"Order Completed\", \"where\": [{\"field\": \"properties.total\", \"op\":"
          + " \"gte\", \"value\": 10}]}";

  private record Program(Workspace ws, CampaignInfo info, String referrerId, String code) {}

  private Program program(String extraSettings) {
    Workspace ws = newWorkspace();
    return program(ws, extraSettings, "referrer@example.com");
  }

  private Program program(Workspace ws, String extraSettings, String referrerEmail) {
    String settingsJson =
        "{\"landing_url\": \"https://example.com/join\", \"qualifying_event\": "
            + QUALIFYING
            + extraSettings
            + "}";
    ObjectNode settings =
        CampaignSettings.validate(CampaignType.REFERRAL, JSON.readTree(settingsJson));
    String id = Ids.next(IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, settings) values (?, ?,"
            + " 'referral', 'Refer a friend', 'active', ?::jsonb)",
        ws.id(),
        id,
        settings.toString());
    jdbc.update(
        "insert into campaign_counters (workspace_id, campaign_id) values (?, ?)", ws.id(), id);
    CampaignInfo info =
        CampaignInfo.of(
            ws.id(), id, CampaignType.REFERRAL, CampaignStatus.ACTIVE, null, null, settings);
    JoinResult referrer = join(info, referrerEmail, null);
    watch.refresh();
    return new Program(
        ws, info, referrer.participant().id(), referrer.participant().referralCode());
  }

  private JoinResult join(CampaignInfo info, String email, String code) {
    TransactionTemplate tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
    return tx.execute(s -> new Participants(jdbc).join(info, email, code, null, null, "api"));
  }

  private void send(Workspace ws, String path, String body) {
    var response = post(path, body, "Authorization", ws.basic());
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
  }

  private List<Map<String, Object>> referrals(Program p) {
    return jdbc.queryForList(
        "select r.id, r.state, r.reason, r.source, r.referrer_id, r.referee_participant_id,"
            + " c.user_id from referrals r join"
            + " contacts c on c.workspace_id = r.workspace_id and c.id = r.referee_contact_id"
            + " where r.workspace_id = ? and r.campaign_id = ? order by r.created_at",
        p.ws().id(),
        p.info().id());
  }

  private Map<String, Object> referralOf(Program p, String userId) {
    return referrals(p).stream()
        .filter(r -> userId.equals(r.get("user_id")))
        .findFirst()
        .orElse(null);
  }

  private long outbox(Program p, String type) {
    return jdbc.queryForObject(
        "select count(*) from webhook_outbox where workspace_id = ? and type = ?",
        Long.class,
        p.ws().id(),
        type);
  }

  private long inbox(Program p) {
    return jdbc.queryForObject(
        "select count(*) from referral_inbox where workspace_id = ?", Long.class, p.ws().id());
  }

  private int qualifiedReferrals(Program p) {
    return jdbc.queryForObject(
        "select qualified_referrals from campaign_participants where workspace_id = ? and id = ?",
        Integer.class,
        p.ws().id(),
        p.referrerId());
  }

  /** Drains the inbox (as the scheduled worker does) until {@code done} holds, 15 s at most. */
  private void drainUntil(BooleanSupplier done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      attribution.drain(100);
      if (done.getAsBoolean()) {
        return;
      }
      assertThat(System.nanoTime()).as("attribution did not happen in time").isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private void drainAll(Program p) {
    drainUntil(() -> inbox(p) == 0);
  }

  private static String identify(String userId, String anonymousId, String context) {
    return "{\"userId\": \""
        + userId
        + "\""
        + (anonymousId == null ? "" : ", \"anonymousId\": \"" + anonymousId + "\"")
        + ", \"traits\": {\"plan\": \"free\"}, \"context\": "
        + context
        + "}";
  }

  private static String order(String userId, String anonymousId, String messageId, int total) {
    return "{"
        + (userId == null ? "" : "\"userId\": \"" + userId + "\", ")
        + (anonymousId == null ? "" : "\"anonymousId\": \"" + anonymousId + "\", ")
        + (messageId == null ? "" : "\"messageId\": \"" + messageId + "\", ")
        + "\"event\": \"Order Completed\", \"properties\": {\"total\": "
        + total
        + "}}";
  }

  // --- attribution ---------------------------------------------------------------------------

  @Test
  void anIdentifyWithContextReferralCodeMakesTheContactAPendingReferee() {
    Program p = program("");
    send(p.ws(), "/v1/identify", identify("u1", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    drainUntil(() -> referralOf(p, "u1") != null);
    Map<String, Object> r = referralOf(p, "u1");
    assertThat(r.get("state")).isEqualTo("pending");
    assertThat(r.get("source")).isEqualTo("ingest");
    assertThat(r.get("referrer_id")).isEqualTo(p.referrerId());
    assertThat(outbox(p, "referral.created")).isEqualTo(1);
  }

  @Test
  void aTrackWithRefInPageSearchMakesAReferee() {
    Program p = program("");
    send(p.ws(), "/v1/identify", identify("u2", null, "{}"));
    send(
        p.ws(),
        "/v1/track",
        "{\"userId\": \"u2\", \"event\": \"Viewed\", \"context\": {\"page\": {\"search\":"
            + " \"?utm_source=x&ref="
            + p.code().toLowerCase()
            + "\"}}}");
    drainUntil(() -> referralOf(p, "u2") != null);
    assertThat(referralOf(p, "u2").get("state")).isEqualTo("pending");
  }

  @Test
  void anIdentifyWithRefInPageUrlMakesAReferee() {
    Program p = program("");
    send(
        p.ws(),
        "/v1/identify",
        identify(
            "u3",
            null,
            "{\"page\": {\"url\": \"https://example.com/join?a=1&ref=" + p.code() + "#top\"}}"));
    drainUntil(() -> referralOf(p, "u3") != null);
    assertThat(referralOf(p, "u3").get("source")).isEqualTo("ingest");
  }

  /**
   * A participant and the referral that brought it tell one story, however the two were made: the
   * referral of a contact is the first attribution (an ingested code here), so a later join links
   * it (its {@code referee_participant_id}) whether it carries another code or none, and the
   * participant's {@code referred_by} names that referral's referrer; a participant attributed by
   * an event after it joined gets its {@code referred_by} too.
   */
  @Test
  void aParticipantsReferredByIsTheReferrerOfItsReferralWhicheverCameFirst() {
    Program p = program("");
    String carol = join(p.info(), "carol@example.com", null).participant().id();
    String carolCode = participantCode(p, carol);
    String withCarolsCode = "{\"referral_code\": \"" + carolCode + "\"}";
    // b: attributed to carol by an event, then joins with the program referrer's code.
    // d: attributed to carol by an event, then joins with no code.
    for (String user : List.of("b", "d")) {
      send(
          p.ws(),
          "/v1/identify",
          "{\"userId\": \""
              + user
              + "\", \"traits\": {\"email\": \""
              + user
              + "@example.com\"}, \"context\": "
              + withCarolsCode
              + "}");
    }
    drainUntil(() -> referralOf(p, "b") != null && referralOf(p, "d") != null);
    String b = join(p.info(), "b@example.com", p.code()).participant().id();
    String d = join(p.info(), "d@example.com", null).participant().id();
    // e: joins first (no code), then an event carries carol's code.
    send(p.ws(), "/v1/identify", "{\"userId\": \"e\", \"traits\": {\"email\": \"e@example.com\"}}");
    String e = join(p.info(), "e@example.com", null).participant().id();
    send(p.ws(), "/v1/identify", "{\"userId\": \"e\", \"context\": " + withCarolsCode + "}");
    drainUntil(() -> referralOf(p, "e") != null);

    Map<String, String> story = new java.util.TreeMap<>();
    for (String[] who : new String[][] {{"b", b}, {"d", d}, {"e", e}}) {
      Map<String, Object> r = referralOf(p, who[0]);
      String referredBy =
          jdbc.queryForObject(
              "select referred_by from campaign_participants where workspace_id = ? and id = ?",
              String.class,
              p.ws().id(),
              who[1]);
      story.put(
          who[0],
          "referral by "
              + (carol.equals(r.get("referrer_id")) ? "carol" : r.get("referrer_id"))
              + " of participant "
              + (who[1].equals(r.get("referee_participant_id"))
                  ? "self"
                  : r.get("referee_participant_id"))
              + ", referred_by "
              + (carol.equals(referredBy) ? "carol" : referredBy));
    }
    String expected = "referral by carol of participant self, referred_by carol";
    assertThat(story)
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(Map.of("b", expected, "d", expected, "e", expected)));
  }

  /**
   * A referee rewarded before it joined (its referral qualified through ingested events) gets the
   * reward's participant once it joins: the reward's participant is null only "for a referee that
   * never joined" (the Management API's schema), as the referral's own link is filled in then.
   */
  @Test
  void aRefereeRewardedBeforeJoiningIsTheRewardsParticipantOnceItJoins() {
    Program p =
        program(
            ", \"approval\": \"auto\", \"reward_rules\": [{\"side\": \"referee\", \"reward\":"
                + " {\"type\": \"credit\", \"amount\": 5, \"currency\": \"USD\"}}]");
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"fay\", \"traits\": {\"email\": \"fay@example.com\"}, \"context\":"
            + " {\"referral_code\": \""
            + p.code()
            + "\"}}");
    send(p.ws(), "/v1/track", order("fay", null, "o-fay", 20));
    drainUntil(
        () -> referralOf(p, "fay") != null && "rewarded".equals(referralOf(p, "fay").get("state")));
    String fay = join(p.info(), "fay@example.com", null).participant().id();
    List<String> earners =
        jdbc.queryForList(
            "select coalesce(participant_id, 'null') from rewards where workspace_id = ? and side ="
                + " 'referee'",
            String.class,
            p.ws().id());
    assertThat(earners).containsExactly(fay);
  }

  private String participantCode(Program p, String participantId) {
    return jdbc.queryForObject(
        "select referral_code from campaign_participants where workspace_id = ? and id = ?",
        String.class,
        p.ws().id(),
        participantId);
  }

  @Test
  void eventsWithoutCodesOrQualifyingNamesNeverReachTheInbox() {
    Program p = program("");
    send(p.ws(), "/v1/track", "{\"userId\": \"u4\", \"event\": \"Viewed\"}");
    send(
        p.ws(),
        "/v1/page",
        "{\"userId\": \"u4\", \"name\": \"Home\", \"context\": {\"page\": {\"url\":"
            + " \"https://example.com/?x=1\"}}}");
    assertThat(inbox(p)).isZero();
  }

  @Test
  void theQualifyingEventQualifiesOnceThoughRetriedAndDuplicated() {
    Program p = program("");
    send(p.ws(), "/v1/identify", identify("u5", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    drainUntil(() -> referralOf(p, "u5") != null);
    // The same code again, under another messageId: still one referral.
    send(p.ws(), "/v1/identify", identify("u5", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    send(p.ws(), "/v1/track", order("u5", null, "order-1", 25));
    send(p.ws(), "/v1/track", order("u5", null, "order-1", 25)); // a retry: same messageId
    send(p.ws(), "/v1/track", order("u5", null, "order-2", 25)); // a duplicate: new messageId
    drainAll(p);
    assertThat(referrals(p)).hasSize(1);
    assertThat(referralOf(p, "u5").get("state")).isEqualTo("qualified");
    assertThat(qualifiedReferrals(p)).isEqualTo(1);
    assertThat(outbox(p, "referral.created")).isEqualTo(1);
    assertThat(outbox(p, "referral.qualified")).isEqualTo(1);
  }

  @Test
  void aQualifyingEventReceivedAfterTheProgramsEndDateDoesNotQualify() {
    Program p = program("");
    send(
        p.ws(),
        "/v1/identify",
        identify("u-end", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    drainUntil(() -> referralOf(p, "u-end") != null);
    // The program's end date passes while its status stays active.
    jdbc.update(
        "update campaigns set ends_at = now() - interval '1 second' where workspace_id = ? and"
            + " id = ?",
        p.ws().id(),
        p.info().id());
    send(p.ws(), "/v1/track", order("u-end", null, null, 25));
    drainAll(p);
    assertThat(referralOf(p, "u-end").get("state")).isEqualTo("pending");
    assertThat(qualifiedReferrals(p)).isZero();
    assertThat(outbox(p, "referral.qualified")).isZero();
  }

  @Test
  void aPausedProgramMakesNoNewReferralsButStillQualifiesThoseMadeBeforeThePause() {
    Program p = program("");
    send(
        p.ws(),
        "/v1/identify",
        identify("u-before", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    drainUntil(() -> referralOf(p, "u-before") != null);
    jdbc.update(
        "update campaigns set status = 'paused' where workspace_id = ? and id = ?",
        p.ws().id(),
        p.info().id());
    watch.refresh();
    // A visitor arriving with the code during the pause is referred by nobody, then or later.
    send(
        p.ws(),
        "/v1/identify",
        identify("u-during", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    // The referee who came before the pause converts during it: the referrer is credited.
    send(p.ws(), "/v1/track", order("u-before", null, null, 25));
    drainAll(p);
    assertThat(referralOf(p, "u-during")).isNull();
    assertThat(referralOf(p, "u-before").get("state")).isEqualTo("qualified");
    assertThat(qualifiedReferrals(p)).isEqualTo(1);
    assertThat(outbox(p, "referral.qualified")).isEqualTo(1);
    jdbc.update(
        "update campaigns set status = 'active' where workspace_id = ? and id = ?",
        p.ws().id(),
        p.info().id());
    watch.refresh();
    send(p.ws(), "/v1/track", order("u-during", null, null, 25));
    drainAll(p);
    assertThat(referralOf(p, "u-during")).isNull();
  }

  /**
   * An event is judged by the status its program had when the event was received (the history of
   * migration V71), not by the status when the worker reaches it. The worker runs every 250 ms in
   * the background, so a late arrival at the worker is made here as it happens after an outage: the
   * event is stored and processed, then given back to the worker with the receipt time it would
   * have had.
   */
  @Test
  void anEventIsJudgedByTheProgramsStatusWhenItWasReceivedNotWhenTheWorkerReachesIt() {
    Program p = program("");
    setStatus(p, "paused");

    // Received while the program was active, reached by the worker during the pause: a referee.
    send(
        p.ws(),
        "/v1/identify",
        identify("u-before", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    drainAll(p);
    assertThat(referralOf(p, "u-before")).isNull(); // received during the pause: nobody
    requeue(p, eventOf(p, "u-before", "identify"), betweenStatusChanges(p, 0));
    drainUntil(() -> referralOf(p, "u-before") != null);
    assertThat(referralOf(p, "u-before").get("state")).isEqualTo("pending");

    // Received during the pause, reached by the worker after it: nobody, as before it.
    send(
        p.ws(),
        "/v1/identify",
        identify("u-during", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    drainAll(p);
    setStatus(p, "active");
    requeue(p, eventOf(p, "u-during", "identify"), null);
    drainAll(p);
    assertThat(referralOf(p, "u-during")).isNull();

    // A qualifying event received before the program was ended, reached by the worker after the
    // end: it qualifies. One received after the end does not.
    setStatus(p, "ended");
    send(p.ws(), "/v1/track", order("u-before", null, null, 25));
    drainAll(p);
    assertThat(referralOf(p, "u-before").get("state")).isEqualTo("pending");
    // Given to the worker as received (after the end): the history says ended, so nothing.
    requeue(p, eventOf(p, "u-before", "track"), null);
    drainAll(p);
    assertThat(referralOf(p, "u-before").get("state")).isEqualTo("pending");
    requeue(p, eventOf(p, "u-before", "track"), betweenStatusChanges(p, 2));
    drainUntil(() -> "qualified".equals(referralOf(p, "u-before").get("state")));
    assertThat(qualifiedReferrals(p)).isEqualTo(1);
    assertThat(outbox(p, "referral.qualified")).isEqualTo(1);

    // A code received while the program ran, reached by the worker after the end, makes its
    // referral; the referee's order received after the end does not qualify it in the look-back.
    send(
        p.ws(),
        "/v1/identify",
        identify("u-late", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    send(p.ws(), "/v1/track", order("u-late", null, null, 25));
    drainAll(p);
    assertThat(referralOf(p, "u-late")).isNull();
    requeue(p, eventOf(p, "u-late", "identify"), betweenStatusChanges(p, 2));
    drainUntil(() -> referralOf(p, "u-late") != null);
    assertThat(referralOf(p, "u-late").get("state")).isEqualTo("pending");
    assertThat(qualifiedReferrals(p)).isEqualTo(1);
  }

  private void setStatus(Program p, String status) {
    jdbc.update(
        "update campaigns set status = ? where workspace_id = ? and id = ?",
        status,
        p.ws().id(),
        p.info().id());
    watch.refresh();
  }

  /** The id of the one event of {@code type} sent by {@code userId}. */
  private String eventOf(Program p, String userId, String type) {
    return jdbc.queryForObject(
        "select id from events where workspace_id = ? and user_id = ? and type = ?",
        String.class,
        p.ws().id(),
        userId,
        type);
  }

  /** The instant halfway between the program's status changes {@code n} and {@code n + 1}. */
  private java.time.Instant betweenStatusChanges(Program p, int n) {
    List<java.time.Instant> changes =
        jdbc.query(
            "select changed_at from campaign_status_changes where workspace_id = ? and"
                + " campaign_id = ? order by changed_at",
            (rs, i) -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
            p.ws().id(),
            p.info().id());
    java.time.Instant from = changes.get(n);
    return from.plus(Duration.between(from, changes.get(n + 1)).dividedBy(2));
  }

  /**
   * Gives a processed event back to the attribution worker, received at {@code receivedAt} (null:
   * when it was).
   */
  private void requeue(Program p, String eventId, java.time.Instant receivedAt) {
    if (receivedAt != null) {
      jdbc.update(
          "update events set received_at = ? where workspace_id = ? and id = ?",
          java.time.OffsetDateTime.ofInstant(receivedAt, java.time.ZoneOffset.UTC),
          p.ws().id(),
          eventId);
    }
    jdbc.update(
        "insert into referral_inbox (workspace_id, event_id) values (?, ?)", p.ws().id(), eventId);
  }

  @Test
  void aQualifyingEventThatMissesItsPropertyConditionsDoesNotQualify() {
    Program p = program("");
    send(p.ws(), "/v1/identify", identify("u6", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    send(p.ws(), "/v1/track", order("u6", null, null, 5));
    drainAll(p);
    assertThat(referralOf(p, "u6").get("state")).isEqualTo("pending");
    send(p.ws(), "/v1/track", order("u6", null, null, 10));
    drainAll(p);
    assertThat(referralOf(p, "u6").get("state")).isEqualTo("qualified");
  }

  @Test
  void aQualifyingEventBeforeTheCodeStillQualifiesTheReferral() {
    Program p = program("");
    // An anonymous visitor orders first, then is identified with the code in the context.
    send(p.ws(), "/v1/track", order(null, "anon-7", null, 50));
    drainAll(p);
    assertThat(referrals(p)).isEmpty();
    send(
        p.ws(),
        "/v1/identify",
        identify("u7", "anon-7", "{\"referral_code\": \"" + p.code() + "\"}"));
    drainUntil(() -> referralOf(p, "u7") != null);
    assertThat(referralOf(p, "u7").get("state")).isEqualTo("qualified");
    assertThat(qualifiedReferrals(p)).isEqualTo(1);
  }

  /**
   * The look-back that lets an order sent just before the identify carrying the code qualify its
   * referral (above) reached back over the referee's whole history: an existing customer's order of
   * last year qualified a friend's referral at once, rewarding the referrer for no new order. It
   * now reaches back to the program's start ({@code starts_at}, else its creation), by the events'
   * own time; orders from then on still count, in either order.
   */
  @Test
  void anOrderFromBeforeTheProgramStartedDoesNotQualifyAReferralMadeNow() {
    Program p = program("");
    send(
        p.ws(),
        "/v1/track",
        "{\"userId\": \"u17\", \"event\": \"Order Completed\", \"properties\": {\"total\":"
            + " 80}, \"timestamp\": \"2025-06-01T10:00:00Z\"}");
    drainAll(p);
    send(
        p.ws(), "/v1/identify", identify("u17", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    drainUntil(() -> referralOf(p, "u17") != null);
    assertThat(referralOf(p, "u17").get("state"))
        .as("an order of 2025, before the program existed")
        .isEqualTo("pending");
    send(p.ws(), "/v1/track", order("u17", null, null, 30));
    drainAll(p);
    assertThat(referralOf(p, "u17").get("state")).isEqualTo("qualified");
  }

  @Test
  void aCodeFromAnAnonymousVisitorIsAttributedOnceTheVisitorIsIdentified() {
    Program p = program("");
    send(
        p.ws(),
        "/v1/page",
        "{\"anonymousId\": \"anon-8\", \"name\": \"Landing\", \"context\": {\"page\": {\"url\":"
            + " \"https://example.com/join?ref="
            + p.code()
            + "\"}}}");
    attribution.drain(100);
    assertThat(inbox(p)).as("kept for a retry: the visitor is no contact yet").isEqualTo(1);
    send(p.ws(), "/v1/identify", identify("u8", "anon-8", "{}"));
    jdbc.update(
        "update referral_inbox set next_attempt_at = now() where workspace_id = ?", p.ws().id());
    drainUntil(() -> referralOf(p, "u8") != null);
    assertThat(referralOf(p, "u8").get("state")).isEqualTo("pending");
  }

  /**
   * The usual order on a landing page: the friend joins from the widget with the code (her
   * browser's anonymous id in the join), then signs up in the app (identify with her user id, the
   * same anonymous id and the address she joined with) and orders. The join's contact takes her
   * user id, so the order qualifies the referral. Until 2026-12-07 the join's contact knew only the
   * address, the identify made a second contact (the address was the first one's), her orders went
   * to that one and the referral stayed pending for good.
   */
  @Test
  void aFriendWhoJoinsFromTheWidgetBeforeSigningUpQualifiesWithHerOrder() {
    Program p = program("");
    var joined =
        post(
            "/v1/widgets/campaigns/" + p.info().id() + "/participants",
            "{\"email\": \"fay@example.com\", \"referral_code\": \""
                + p.code()
                + "\", \"anonymous_id\": \"fay-browser\"}",
            "Authorization",
            p.ws().bearer());
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    send(p.ws(), "/v1/track", order(null, "fay-browser", null, 5));
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"fay\", \"anonymousId\": \"fay-browser\", \"traits\": {\"email\":"
            + " \"fay@example.com\"}}");
    send(p.ws(), "/v1/track", order("fay", null, null, 40));
    drainUntil(
        () ->
            referralOf(p, "fay") != null && "qualified".equals(referralOf(p, "fay").get("state")));
    assertThat(
            jdbc.queryForList(
                "select id from contacts where workspace_id = ? and (user_id = 'fay' or"
                    + " lower(email) = 'fay@example.com')",
                String.class,
                p.ws().id()))
        .as("one contact: the join's, now with her user id")
        .hasSize(1);
    assertThat(qualifiedReferrals(p)).isEqualTo(1);
  }

  /**
   * A join's anonymous id is linked only to a contact the join created: a public join must not give
   * a contact that existed before an id (identify and alias do that), and an id already linked to a
   * contact is never moved.
   */
  @Test
  void aJoinLinksItsAnonymousIdOnlyToAContactItCreatedAndNeverMovesOne() {
    Program p = program("");
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"gus\", \"anonymousId\": \"gus-laptop\", \"traits\": {\"email\":"
            + " \"gus@example.com\"}}");
    for (String body :
        List.of(
            "{\"email\": \"gus@example.com\", \"anonymous_id\": \"gus-phone\"}",
            "{\"email\": \"hal@example.com\", \"anonymous_id\": \"gus-laptop\"}",
            "{\"email\": \"ivy@example.com\", \"anonymous_id\": \"ivy-phone\"}")) {
      var joined =
          post(
              "/v1/widgets/campaigns/" + p.info().id() + "/participants",
              body,
              "Authorization",
              p.ws().bearer());
      assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    }
    Map<String, String> owners = new java.util.TreeMap<>();
    jdbc.query(
        "select i.value, coalesce(c.user_id, c.email) as owner from contact_identities i join"
            + " contacts c on c.workspace_id = i.workspace_id and c.id = i.contact_id where"
            + " i.workspace_id = ? and i.kind = 'anonymous_id'",
        rs -> {
          owners.put(rs.getString(1), rs.getString(2));
        },
        p.ws().id());
    assertThat(owners).isEqualTo(Map.of("gus-laptop", "gus", "ivy-phone", "ivy@example.com"));
  }

  /**
   * Anyone holding the page's write key and a person's address could make that person's contact
   * theirs: a widget join with her address and the attacker's browser id linked the id to her
   * (unidentified) contact, and the attacker's identify from that browser then gave it his user id,
   * his address and his traits, with his events (a black-box review, 2026-12-07). An address typed
   * into a public form proves nothing about who holds the browser: her contact stays as it was, and
   * the attacker's calls make a contact of his own.
   */
  @Test
  void aWidgetJoinWithSomeoneElsesAddressCannotTakeOverHerContact() {
    Program p = program("");
    String victim = Ids.next(IdPrefix.CONTACT);
    // As POST /v1/contacts (or an import) makes a known, not yet identified person.
    jdbc.update(
        "insert into contacts (workspace_id, id, email, traits) values (?, ?,"
            + " 'victim@example.com', '{\"plan\": \"enterprise\"}'::jsonb)",
        p.ws().id(),
        victim);
    var joined =
        post(
            "/v1/widgets/campaigns/" + p.info().id() + "/participants",
            "{\"email\": \"victim@example.com\", \"anonymous_id\": \"attacker-browser\"}",
            "Authorization",
            p.ws().bearer());
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    send(p.ws(), "/v1/track", order(null, "attacker-browser", null, 5));
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"attacker\", \"anonymousId\": \"attacker-browser\", \"traits\":"
            + " {\"email\": \"attacker@evil.test\", \"plan\": \"free\"}}");
    assertThat(
            jdbc.queryForMap(
                "select email, coalesce(user_id, '<none>') as user_id, traits::text as traits,"
                    + " (select count(*) from contact_identities i where i.workspace_id ="
                    + " c.workspace_id and i.contact_id = c.id) as ids, (select count(*) from"
                    + " events e where e.workspace_id = c.workspace_id and e.contact_id = c.id)"
                    + " as events from contacts c where workspace_id = ? and id = ?",
                p.ws().id(),
                victim))
        .containsEntry("email", "victim@example.com")
        .containsEntry("user_id", "<none>")
        .containsEntry("traits", "{\"plan\": \"enterprise\"}")
        .containsEntry("ids", 0L)
        .containsEntry("events", 0L);
    assertThat(
            jdbc.queryForList(
                "select i.value from contact_identities i join contacts c on c.workspace_id ="
                    + " i.workspace_id and c.id = i.contact_id where i.workspace_id = ? and"
                    + " c.user_id = 'attacker' order by 1",
                String.class,
                p.ws().id()))
        .as("the attacker's browser is his own contact's")
        .containsExactly("attacker", "attacker-browser");
  }

  /** Makes the contact of {@code userId} (or with {@code email}) look made {@code minutesAgo}. */
  private void ageContact(Workspace ws, String where, String value, int minutesAgo) {
    jdbc.update(
        "update contacts set created_at = now() - make_interval(mins => ?) where workspace_id = ?"
            + " and "
            + where
            + " = ?",
        minutesAgo,
        ws.id(),
        value);
  }

  /**
   * Anyone holding the page's write key and a customer's address could make her his referee with a
   * widget join, and her orders (this one, made since the program started, and every later one)
   * paid him; with her user id, a page view carrying his code did the same (a black-box review,
   * 2026-12-07). A referral through a public route brings someone new: a contact made more than ten
   * minutes before it is rejected as existing_contact, and her orders qualify nothing.
   */
  @Test
  void aPublicReferralOfAContactThatExistedBeforeIsRejectedAndHerOrdersPayNobody() {
    Program p =
        program(
            ", \"approval\": \"auto\", \"reward_rules\": [{\"side\": \"referrer\", \"every\": 1,"
                + " \"reward\": {\"type\": \"cash\", \"amount\": 25, \"currency\": \"USD\"}}]");
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"carol\", \"traits\": {\"email\": \"carol@example.com\"}}");
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"fred\", \"traits\": {\"email\": \"fred@example.com\"}}");
    ageContact(p.ws(), "user_id", "carol", 60);
    ageContact(p.ws(), "user_id", "fred", 60);
    send(p.ws(), "/v1/track", order("carol", null, null, 120));
    var joined =
        post(
            "/v1/widgets/campaigns/" + p.info().id() + "/participants",
            "{\"email\": \"carol@example.com\", \"referral_code\": \"" + p.code() + "\"}",
            "Authorization",
            p.ws().bearer());
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    send(
        p.ws(),
        "/v1/page",
        "{\"userId\": \"fred\", \"name\": \"Home\", \"context\": {\"page\": {\"url\":"
            + " \"https://example.com/join?ref="
            + p.code()
            + "\"}}}");
    drainUntil(() -> referralOf(p, "fred") != null);
    send(p.ws(), "/v1/track", order("fred", null, null, 80));
    drainAll(p);
    assertThat(referralOf(p, "carol"))
        .containsEntry("state", "rejected")
        .containsEntry("reason", "existing_contact")
        .containsEntry("source", "widget");
    assertThat(referralOf(p, "fred"))
        .containsEntry("state", "rejected")
        .containsEntry("reason", "existing_contact")
        .containsEntry("source", "ingest");
    assertThat(qualifiedReferrals(p)).isZero();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from rewards where workspace_id = ?", Long.class, p.ws().id()))
        .isZero();
  }

  /**
   * On a shared browser the next person's order (her user id, the browser's anonymous id) is hers:
   * it does not qualify the referral of the browser's earlier person, made after it. Until
   * 2026-12-07 the look-back counted any order of the browser's anonymous id.
   */
  @Test
  void anotherPersonsOrderFromTheSameBrowserDoesNotQualifyAReferral() {
    Program p = program("");
    send(p.ws(), "/v1/identify", "{\"userId\": \"quinn\", \"anonymousId\": \"shared-s\"}");
    send(p.ws(), "/v1/track", order("rita", "shared-s", null, 50));
    send(
        p.ws(),
        "/v1/page",
        "{\"userId\": \"quinn\", \"name\": \"Home\", \"context\": {\"page\": {\"url\":"
            + " \"https://example.com/join?ref="
            + p.code()
            + "\"}}}");
    drainUntil(() -> referralOf(p, "quinn") != null);
    drainAll(p);
    assertThat(referralOf(p, "quinn")).containsEntry("state", "pending");
  }

  /**
   * A friend who signed up minutes before she joins with the code (her identify made her contact
   * first) is still new: the rule leaves ten minutes between a contact's making and its referral.
   */
  @Test
  void aFriendWhoSignedUpMinutesBeforeJoiningWithTheCodeStillCounts() {
    Program p = program("");
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"gail\", \"anonymousId\": \"gail-browser\", \"traits\": {\"email\":"
            + " \"gail@example.com\"}}");
    ageContact(p.ws(), "user_id", "gail", 5);
    var joined =
        post(
            "/v1/widgets/campaigns/" + p.info().id() + "/participants",
            "{\"email\": \"gail@example.com\", \"referral_code\": \"" + p.code() + "\"}",
            "Authorization",
            p.ws().bearer());
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    send(p.ws(), "/v1/track", order("gail", null, null, 40));
    drainAll(p);
    assertThat(referralOf(p, "gail")).containsEntry("state", "qualified");
  }

  /**
   * A join from an erased person's browser neither links nor keeps that browser's (suppressed)
   * anonymous id: it was stored as the new participant's join_anonymous_id, a copy of an id the
   * erasure forgot (a black-box review, 2026-12-07).
   */
  @Test
  void aJoinFromAnErasedPersonsBrowserKeepsNotItsAnonymousId() {
    Program p = program("");
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"zoe\", \"anonymousId\": \"zoe-laptop\", \"traits\": {\"email\":"
            + " \"zoe@example.com\"}}");
    String zoe =
        jdbc.queryForObject(
            "select id from contacts where workspace_id = ? and user_id = 'zoe'",
            String.class,
            p.ws().id());
    // As DELETE /v1/contacts/{id} does, in one transaction.
    new org.springframework.transaction.support.TransactionTemplate(
            new org.springframework.jdbc.support.JdbcTransactionManager(jdbc.getDataSource()))
        .executeWithoutResult(
            status ->
                new io.growthos.core.contacts.ContactDeletion(
                        jdbc, new io.growthos.core.contacts.ContactSuppressions(jdbc))
                    .delete(p.ws().id(), zoe));
    var joined =
        post(
            "/v1/widgets/campaigns/" + p.info().id() + "/participants",
            "{\"email\": \"zoe@example.com\", \"anonymous_id\": \"zoe-laptop\"}",
            "Authorization",
            p.ws().bearer());
    assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
    assertThat(
            jdbc.queryForList(
                "select coalesce(join_anonymous_id, '<none>') from campaign_participants"
                    + " where workspace_id = ? and email_normalized = 'zoe@example.com'",
                String.class,
                p.ws().id()))
        .containsExactly("<none>");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contact_identities where workspace_id = ?"
                    + " and value = 'zoe-laptop'",
                Long.class,
                p.ws().id()))
        .isZero();
  }

  @Test
  void concurrentWorkersApplyEachEventExactlyOnce() throws Exception {
    Program p = program("");
    StringBuilder batch = new StringBuilder("{\"batch\": [");
    for (int i = 0; i < 12; i++) {
      String user = "c" + i;
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"type\": \"identify\", \"userId\": \"")
          .append(user)
          .append("\", \"context\": {\"referral_code\": \"")
          .append(p.code())
          .append("\"}}");
      for (int k = 0; k < 2; k++) {
        batch
            .append(", {\"type\": \"track\", \"userId\": \"")
            .append(user)
            .append("\", \"event\": \"Order Completed\", \"properties\": {\"total\": 30}}");
      }
    }
    send(p.ws(), "/v1/batch", batch.append("]}").toString());
    // Four workers (as four service copies would) plus the scheduled one, small batches.
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
    for (int w = 0; w < 4; w++) {
      runs.add(
          pool.submit(
              () -> {
                while (inbox(p) > 0) {
                  attribution.drain(2);
                }
              }));
    }
    for (var run : runs) {
      run.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    pool.shutdown();
    drainAll(p);
    assertThat(referrals(p)).hasSize(12).allMatch(r -> r.get("state").equals("qualified"));
    assertThat(qualifiedReferrals(p)).isEqualTo(12);
    assertThat(outbox(p, "referral.created")).isEqualTo(12);
    assertThat(outbox(p, "referral.qualified")).isEqualTo(12);
  }

  // --- fraud ---------------------------------------------------------------------------------

  @Test
  void theReferrersOwnContactUsingItsCodeIsASelfReferral() {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/identify",
        "{\"userId\": \"boss\", \"traits\": {\"email\": \"boss@example.com\"}}");
    Program p = program(ws, "", "boss@example.com");
    send(ws, "/v1/identify", identify("boss", null, "{\"referral_code\": \"" + p.code() + "\"}"));
    drainUntil(() -> referralOf(p, "boss") != null);
    assertThat(referralOf(p, "boss").get("state")).isEqualTo("rejected");
    assertThat(referralOf(p, "boss").get("reason")).isEqualTo("self_referral");
    assertThat(outbox(p, "referral.rejected")).isEqualTo(1);
  }

  @Test
  void theSameNormalisedEmailIsASelfReferral() {
    Program p = program(newWorkspace(), "", "jane.doe@gmail.com");
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"jane2\", \"traits\": {\"email\": \"Jane.Doe+ref@googlemail.com\"},"
            + " \"context\": {\"referral_code\": \""
            + p.code()
            + "\"}}");
    drainUntil(() -> referralOf(p, "jane2") != null);
    assertThat(referralOf(p, "jane2").get("reason")).isEqualTo("self_referral");
  }

  /**
   * The referrer joined as "zoë" typed composed (NFC); a second account identifies with the same
   * address typed decomposed ("zoe" + U+0308, as macOS keyboards send it). The contact field stays
   * unset (the referrer's contact holds the address), so the fraud key comes from the trait: it
   * must be the same key as the referrer's.
   */
  @Test
  void theSameAddressTypedDecomposedIsASelfReferral() {
    Program p = program(newWorkspace(), "", "Zo\u00eb@example.com");
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"zoe2\", \"traits\": {\"email\": \"zoe\u0308@example.com\"},"
            + " \"context\": {\"referral_code\": \""
            + p.code()
            + "\"}}");
    drainUntil(() -> referralOf(p, "zoe2") != null);
    assertThat(referralOf(p, "zoe2").get("reason")).isEqualTo("self_referral");
  }

  @Test
  void theReferrersAnonymousIdIsRejected() {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/identify",
        "{\"userId\": \"ann\", \"anonymousId\": \"device-1\", \"traits\": {\"email\":"
            + " \"ann@example.com\"}}");
    Program p = program(ws, "", "ann@example.com");
    send(
        ws,
        "/v1/identify",
        identify("ann-alt", "device-1", "{\"referral_code\": \"" + p.code() + "\"}"));
    drainUntil(() -> referralOf(p, "ann-alt") != null);
    assertThat(referralOf(p, "ann-alt").get("reason")).isEqualTo("same_anonymous_id");
  }

  @Test
  void theAnonymousIdOfTheBrowserTheReferrerJoinedFromIsRejected() {
    // Ann, identified in the app from another device, joined through the widget (which sends the
    // browser's anonymous id) and that browser never sent an event: a join gives an identified
    // contact no id, so her contact does not know that browser. An identify from the same browser
    // under another user id, carrying her code, was a friend's referral until 2026-12-06. (Had her
    // contact been unidentified, the join would have linked the browser to it, and the identify
    // would have given it the user id: a self-referral, aJoinLinksItsAnonymousIdOnly… below.)
    Program p = program(newWorkspace(), "", "referrer@example.com");
    send(
        p.ws(),
        "/v1/identify",
        "{\"userId\": \"ann\", \"traits\": {\"email\": \"ann@example.com\"}}");
    Participant ann =
        new TransactionTemplate(new JdbcTransactionManager(dataSource))
            .execute(
                s ->
                    new Participants(jdbc)
                        .join(
                            p.info(),
                            "ann@example.com",
                            null,
                            null,
                            null,
                            "widget",
                            "browser-of-ann",
                            held -> {})
                        .participant());
    watch.refresh();
    send(
        p.ws(),
        "/v1/identify",
        identify(
            "ann-alt", "browser-of-ann", "{\"referral_code\": \"" + ann.referralCode() + "\"}"));
    send(
        p.ws(),
        "/v1/identify",
        identify(
            "friend", "browser-of-friend", "{\"referral_code\": \"" + ann.referralCode() + "\"}"));
    drainUntil(
        () ->
            jdbc.queryForObject(
                    "select count(*) from referrals where workspace_id = ? and referrer_id = ?",
                    Long.class,
                    p.ws().id(),
                    ann.id())
                == 2);
    assertThat(
            jdbc.queryForList(
                "select c.user_id, r.state, r.reason from referrals r join contacts c on"
                    + " c.workspace_id = r.workspace_id and c.id = r.referee_contact_id where"
                    + " r.workspace_id = ? and r.referrer_id = ? order by c.user_id",
                p.ws().id(),
                ann.id()))
        .extracting(m -> m.get("user_id") + " " + m.get("state") + " " + m.get("reason"))
        .containsExactly("ann-alt rejected same_anonymous_id", "friend pending null");
  }

  @Test
  void theReferrersIpAndUserAgentAreRejected() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/identify", "{\"userId\": \"bob\", \"traits\": {\"email\": \"bob@example.com\"}}");
    send(
        ws,
        "/v1/track",
        "{\"userId\": \"bob\", \"event\": \"Shared\", \"context\": {\"ip\": \"203.0.113.9\","
            + " \"userAgent\": \"Mozilla/5.0 Bob\"}}");
    Program p = program(ws, "", "bob@example.com");
    String device = "\"ip\": \"203.0.113.9\", \"userAgent\": \"Mozilla/5.0 Bob\"";
    send(
        ws,
        "/v1/identify",
        identify("sock", null, "{\"referral_code\": \"" + p.code() + "\", " + device + "}"));
    // Same IP, another browser: not the same device.
    send(
        ws,
        "/v1/identify",
        identify(
            "neighbour",
            null,
            "{\"referral_code\": \""
                + p.code()
                + "\", \"ip\": \"203.0.113.9\", \"userAgent\": \"Mozilla/5.0 Other\"}"));
    drainUntil(() -> referralOf(p, "sock") != null && referralOf(p, "neighbour") != null);
    assertThat(referralOf(p, "sock").get("reason")).isEqualTo("same_ip_user_agent");
    assertThat(referralOf(p, "neighbour").get("state")).isEqualTo("pending");
  }

  /**
   * A referee's referral keeps the IP address and user agent of the event that carried the code
   * (for audits); deleting the referee's contact (an erasure request) clears them, and leaves the
   * referral, which is its referrer's record, naming only the id that no longer resolves.
   */
  @Test
  void deletingARefereeClearsTheAddressAndBrowserItsReferralRecorded() {
    Program p = program("");
    send(
        p.ws(),
        "/v1/identify",
        identify(
            "erased",
            null,
            "{\"referral_code\": \""
                + p.code()
                + "\", \"ip\": \"198.51.100.7\", \"userAgent\": \"Mozilla/5.0 Erased\"}"));
    drainUntil(() -> referralOf(p, "erased") != null);
    String referral = (String) referralOf(p, "erased").get("id");
    String contact =
        jdbc.queryForObject(
            "select id from contacts where workspace_id = ? and user_id = 'erased'",
            String.class,
            p.ws().id());
    assertThat(deviceOf(p, referral)).containsExactly("198.51.100.7", "Mozilla/5.0 Erased");

    new TransactionTemplate(new JdbcTransactionManager(dataSource))
        .executeWithoutResult(
            s ->
                new ContactDeletion(jdbc, new ContactSuppressions(jdbc))
                    .delete(p.ws().id(), contact));

    assertThat(deviceOf(p, referral)).containsExactly(null, null);
    assertThat(
            jdbc.queryForObject(
                "select referee_contact_id from referrals where workspace_id = ? and id = ?",
                String.class,
                p.ws().id(),
                referral))
        .isEqualTo(contact);
  }

  private List<String> deviceOf(Program p, String referral) {
    return jdbc.queryForObject(
        "select ip, user_agent from referrals where workspace_id = ? and id = ?",
        (rs, i) -> Arrays.asList(rs.getString(1), rs.getString(2)),
        p.ws().id(),
        referral);
  }

  @Test
  void aRefereeReferringItsReferrerBackIsACycle() {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/identify",
        "{\"userId\": \"alice\", \"traits\": {\"email\": \"alice@example.com\"}}");
    Program p = program(ws, "", "alice@example.com");
    // Bob joins with Alice's code, then Alice arrives through Bob's link.
    JoinResult bob = join(p.info(), "bob@example.com", p.code());
    assertThat(bob.referralState()).isEqualTo("pending");
    send(
        ws,
        "/v1/identify",
        identify(
            "alice", null, "{\"referral_code\": \"" + bob.participant().referralCode() + "\"}"));
    drainUntil(() -> referralOf(p, "alice") != null);
    assertThat(referralOf(p, "alice").get("state")).isEqualTo("rejected");
    assertThat(referralOf(p, "alice").get("reason")).isEqualTo("referral_cycle");
  }

  @Test
  void aReferrerBeyondItsDailyVelocityIsRejected() {
    Program p = program(", \"fraud\": {\"velocity_per_day\": 2}");
    for (String user : List.of("v1", "v2", "v3")) {
      send(
          p.ws(),
          "/v1/identify",
          identify(user, null, "{\"referral_code\": \"" + p.code() + "\"}"));
      String u = user;
      drainUntil(() -> referralOf(p, u) != null);
    }
    assertThat(referralOf(p, "v1").get("state")).isEqualTo("pending");
    assertThat(referralOf(p, "v2").get("state")).isEqualTo("pending");
    assertThat(referralOf(p, "v3").get("state")).isEqualTo("rejected");
    assertThat(referralOf(p, "v3").get("reason")).isEqualTo("velocity_limit");
  }

  // --- rewards -------------------------------------------------------------------------------

  @Test
  void qualifiedReferralsFireRewardRulesOnceEachUpToTheirLimit() {
    Program p =
        program(
            ", \"approval\": \"auto\", \"reward_rules\": [{\"side\": \"both\", \"every\": 2,"
                + " \"limit\": 2, \"reward\": {\"type\": \"credit\", \"amount\": 10, \"currency\":"
                + " \"usd\"}}]");
    for (int i = 1; i <= 6; i++) {
      String user = "r" + i;
      send(
          p.ws(),
          "/v1/identify",
          identify(user, null, "{\"referral_code\": \"" + p.code() + "\"}"));
      send(p.ws(), "/v1/track", order(user, null, "o-" + user, 20));
      send(p.ws(), "/v1/track", order(user, null, "o2-" + user, 20));
      drainUntil(
          () -> referralOf(p, user) != null && !"pending".equals(referralOf(p, user).get("state")));
    }
    List<Map<String, Object>> rewards =
        jdbc.queryForList(
            "select side, state, amount, currency, referral_id from rewards where workspace_id = ?"
                + " order by created_at, side",
            p.ws().id());
    // Fired at the 2nd and 4th qualified referral (limit 2): referrer and referee each time.
    assertThat(rewards).hasSize(4);
    assertThat(rewards).extracting(r -> r.get("state")).containsOnly("approved");
    assertThat(rewards)
        .extracting(r -> r.get("side"))
        .containsExactly("referee", "referrer", "referee", "referrer");
    assertThat(rewards.get(0).get("currency")).isEqualTo("USD");
    assertThat(outbox(p, "reward.created")).isEqualTo(4);
    assertThat(outbox(p, "reward.approved")).isEqualTo(4);
    assertThat(referralOf(p, "r1").get("state")).isEqualTo("rewarded");
    assertThat(referralOf(p, "r4").get("state")).isEqualTo("rewarded");
    assertThat(referralOf(p, "r5").get("state")).isEqualTo("qualified");
    assertThat(qualifiedReferrals(p)).isEqualTo(6);
    JsonNode payload =
        JSON.readTree(
            jdbc.queryForObject(
                "select payload::text from webhook_outbox where workspace_id = ? and type ="
                    + " 'reward.created' order by id limit 1",
                String.class,
                p.ws().id()));
    assertThat(payload.path("object").asString()).isEqualTo("reward");
    assertThat(payload.path("id").asString()).startsWith("rwd_");
  }
}
