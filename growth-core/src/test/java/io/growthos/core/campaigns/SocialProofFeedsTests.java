package io.growthos.core.campaigns;

import static io.growthos.core.campaigns.SocialProofDatabase.campaign;
import static io.growthos.core.campaigns.SocialProofDatabase.contact;
import static io.growthos.core.campaigns.SocialProofDatabase.event;
import static io.growthos.core.campaigns.SocialProofDatabase.participant;
import static io.growthos.core.campaigns.SocialProofDatabase.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The feed against a real PostgreSQL: sources, opt-out, windows, minimum counts, tenancy. */
class SocialProofFeedsTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private final SocialProofFeeds feeds = new SocialProofFeeds(SocialProofDatabase.jdbc());

  private static String settings(String json) {
    JsonNode valid = CampaignSettings.validate(CampaignType.SOCIAL_PROOF, JSON.readTree(json));
    return JSON.writeValueAsString(valid);
  }

  private static final String SIGNUPS =
      """
      {"source": {"event": "Signed Up"},
       "template": "{name} from {city|somewhere} signed up {time_ago}",
       "counter": {"window": "7d", "template": "{count} people signed up this week",
                   "min_count": 3}}
      """;

  private SocialProofFeed feed(String ws, String settingsJson) {
    String id = campaign(ws, "social_proof", "active", settings(settingsJson));
    return feeds.feed(feeds.campaign(ws, id).orElseThrow(), NOW);
  }

  @Test
  void showsRecentMatchingEventsNewestFirstWithMaskedNames() {
    String ws = workspace();
    String anna =
        contact(
            ws,
            "u-anna",
            "anna@example.com",
            "{\"first_name\": \"Anna\", \"last_name\": \"Schmidt\", \"city\": \"Berlin\"}");
    String ben = contact(ws, "u-ben", "ben@example.com", "{\"name\": \"Ben Okafor\"}");
    event(ws, anna, "u-anna", "Signed Up", "{}", NOW.minus(Duration.ofMinutes(5)));
    event(ws, ben, "u-ben", "Signed Up", "{}", NOW.minus(Duration.ofHours(2)));
    event(ws, ben, "u-ben", "Page Viewed", "{}", NOW.minus(Duration.ofMinutes(1)));

    SocialProofFeed feed = feed(ws, SIGNUPS);

    assertThat(feed.items())
        .extracting(SocialProofFeed.Item::message)
        .containsExactly(
            "Anna S. from Berlin signed up 5 minutes ago",
            "Ben O. from somewhere signed up 2 hours ago");
    assertThat(feed.items().get(0).timeAgo()).isEqualTo("5 minutes ago");
    assertThat(feed.items().get(0).id()).startsWith("spi_");
  }

  /**
   * {@code {event}} shows any event name the source takes, which is any the Ingest API stores (up
   * to {@code EventNames.MAX_CHARS}, 255 characters). The feed still held the names to the 200 of
   * an earlier limit, so an event of 201 to 255 characters had no {@code {event}}, and every item
   * of a template using it without a fallback was left out: the feed stayed empty.
   */
  @Test
  void theEventPlaceholderShowsEveryEventNameTheSourceTakes() {
    String ws = workspace();
    String anna = contact(ws, "u-anna", null, "{\"first_name\": \"Anna\"}");
    String name = "Completed the onboarding checklist ".repeat(7).strip(); // 244 characters
    event(ws, anna, "u-anna", name, "{}", NOW.minusSeconds(60));

    SocialProofFeed feed =
        feed(
            ws,
            "{\"source\": {\"event\": \""
                + name
                + "\"}, \"template\": \"{first_name}: {event} {time_ago}\"}");

    assertThat(feed.items())
        .extracting(SocialProofFeed.Item::message)
        .containsExactly("Anna: " + name + " 1 minute ago");
  }

  @Test
  void appliesPropertyConditionsOfTheSource() {
    String ws = workspace();
    String anna = contact(ws, "u-anna", null, "{\"first_name\": \"Anna\"}");
    String ben = contact(ws, "u-ben", null, "{\"first_name\": \"Ben\"}");
    event(ws, anna, "u-anna", "Order Completed", "{\"total\": 80}", NOW.minusSeconds(60));
    event(ws, ben, "u-ben", "Order Completed", "{\"total\": 5}", NOW.minusSeconds(60));

    SocialProofFeed feed =
        feed(
            ws,
            """
            {"source": {"event": "Order Completed",
                        "where": [{"field": "properties.total", "op": "gte", "value": 20}]},
             "template": "{first_name} ordered {time_ago}"}
            """);

    assertThat(feed.items())
        .extracting(SocialProofFeed.Item::message)
        .containsExactly("Anna ordered 1 minute ago");
  }

  @Test
  void optedOutContactsNeverAppearInItemsOrCounts() {
    String ws = workspace();
    for (String optOut : new String[] {"true", "\"true\"", "\"YES\"", "1"}) {
      String c =
          contact(
              ws,
              null,
              null,
              "{\"first_name\": \"Hidden\", \"social_proof_opt_out\": " + optOut + "}");
      event(ws, c, null, "Signed Up", "{}", NOW.minusSeconds(30));
    }
    String shown =
        contact(ws, null, null, "{\"first_name\": \"Shown\", \"social_proof_opt_out\": false}");
    event(ws, shown, null, "Signed Up", "{}", NOW.minusSeconds(90));

    SocialProofFeed feed =
        feed(
            ws,
            """
            {"source": {"event": "Signed Up"}, "template": "{first_name} signed up",
             "counter": {"window": "1d", "template": "{count} today", "min_count": 0}}
            """);

    assertThat(feed.items())
        .extracting(SocialProofFeed.Item::message)
        .containsExactly("Shown signed up");
    assertThat(feed.counters()).extracting(SocialProofFeed.Counter::count).containsExactly(1L);
  }

  /**
   * The opt-out is a privacy promise, so it holds for every way people and forms say yes: an HTML
   * checkbox sends {@code "on"}, spreadsheets {@code "Y"} or {@code "TRUE "}, other tools {@code 2}
   * or {@code "opted out"}. Only an unset trait or one that says no ({@code false}, {@code 0},
   * {@code ""}, {@code "false"}, {@code "no"}, {@code "off"}, {@code "n"}, {@code "f"}, case and
   * surrounding spaces ignored) keeps a contact in the feed. Before, only {@code true}, {@code
   * "true"}, {@code "yes"} and {@code 1} opted out, so everyone below appeared in the toasts and
   * the counter.
   */
  @Test
  void anOptOutTraitSetToAnythingButNoKeepsTheContactOut() {
    String ws = workspace();
    String[] yes = {"\"on\"", "\"Y\"", "\" TRUE \"", "\"yes\\n\"", "2", "\"opted out\"", "{}"};
    for (String value : yes) {
      String c =
          contact(
              ws,
              null,
              null,
              "{\"first_name\": \"Hidden\", \"social_proof_opt_out\": " + value + "}");
      event(ws, c, null, "Signed Up", "{}", NOW.minusSeconds(30));
    }
    String[] no = {
      "false", "0", "\"\"", "\"False\"", "\" no \"", "\"OFF\"", "\"n\"", "\"f\"", "null"
    };
    for (String value : no) {
      String c =
          contact(
              ws,
              null,
              null,
              "{\"first_name\": \"Shown\", \"social_proof_opt_out\": " + value + "}");
      event(ws, c, null, "Signed Up", "{}", NOW.minusSeconds(90));
    }
    String unset = contact(ws, null, null, "{\"first_name\": \"Shown\"}");
    event(ws, unset, null, "Signed Up", "{}", NOW.minusSeconds(90));

    SocialProofFeed feed =
        feed(
            ws,
            """
            {"source": {"event": "Signed Up"}, "template": "{first_name} signed up", "limit": 50,
             "counter": {"window": "1d", "template": "{count} today", "min_count": 0}}
            """);

    assertThat(feed.items())
        .extracting(SocialProofFeed.Item::message)
        .containsOnly("Shown signed up")
        .hasSize(no.length + 1);
    assertThat(feed.counters())
        .extracting(SocialProofFeed.Counter::count)
        .containsExactly((long) no.length + 1);
  }

  @Test
  void honoursACustomOptOutTrait() {
    String ws = workspace();
    String c = contact(ws, null, null, "{\"first_name\": \"Hidden\", \"private\": true}");
    event(ws, c, null, "Signed Up", "{}", NOW.minusSeconds(30));

    SocialProofFeed feed =
        feed(
            ws,
            """
            {"source": {"event": "Signed Up"}, "template": "{first_name} signed up",
             "opt_out_trait": "private"}
            """);

    assertThat(feed.items()).isEmpty();
  }

  @Test
  void countersCountDistinctPeopleInTheirWindowAndHideBelowTheMinimum() {
    String ws = workspace();
    for (int i = 0; i < 3; i++) {
      String c = contact(ws, null, null, "{}");
      event(ws, c, null, "Signed Up", "{}", NOW.minus(Duration.ofDays(1)));
      event(ws, c, null, "Signed Up", "{}", NOW.minus(Duration.ofDays(2))); // same person
    }
    String old = contact(ws, null, null, "{}");
    event(ws, old, null, "Signed Up", "{}", NOW.minus(Duration.ofDays(8))); // outside 7d

    SocialProofFeed three = feed(ws, SIGNUPS);
    assertThat(three.counters())
        .containsExactly(new SocialProofFeed.Counter("3 people signed up this week", 3));

    SocialProofFeed hidden = feed(ws, SIGNUPS.replace("\"min_count\": 3", "\"min_count\": 4"));
    assertThat(hidden.counters()).isEmpty();
  }

  @Test
  void leavesOutItemsOlderThanMaxAgeAndKeepsOnePerPersonUpToTheLimit() {
    String ws = workspace();
    String anna = contact(ws, null, null, "{\"first_name\": \"Anna\"}");
    event(ws, anna, null, "Signed Up", "{}", NOW.minus(Duration.ofMinutes(1)));
    event(ws, anna, null, "Signed Up", "{}", NOW.minus(Duration.ofMinutes(2)));
    for (int i = 0; i < 4; i++) {
      String c = contact(ws, null, null, "{\"first_name\": \"P\"}");
      event(ws, c, null, "Signed Up", "{}", NOW.minus(Duration.ofMinutes(10 + i)));
    }
    String old = contact(ws, null, null, "{\"first_name\": \"Old\"}");
    event(ws, old, null, "Signed Up", "{}", NOW.minus(Duration.ofHours(25)));

    SocialProofFeed feed =
        feed(
            ws,
            """
            {"source": {"event": "Signed Up"}, "template": "{first_name} {time_ago}",
             "max_age": "24h", "limit": 3}
            """);

    assertThat(feed.items())
        .extracting(SocialProofFeed.Item::message)
        .containsExactly("Anna 1 minute ago", "P 10 minutes ago", "P 11 minutes ago");
  }

  /**
   * One busy person (a customer who orders every few minutes, a sign-up event fired on every login)
   * or a run of recent people whose items cannot be rendered (no city, and the template has no
   * fallback for it) does not hide everyone else: the feed reads on, further back, until it has
   * {@code limit} items. Before, it read the newest {@code 4 × limit} rows only, and showed one
   * item where ten other people had signed up the hour before.
   */
  @Test
  void aBusyPersonOrUnrenderableItemsDoNotHideEveryoneElse() {
    String ws = workspace();
    String busy = contact(ws, null, null, "{\"first_name\": \"Busy\", \"city\": \"Oslo\"}");
    for (int i = 0; i < 30; i++) {
      event(ws, busy, null, "Signed Up", "{}", NOW.minus(Duration.ofSeconds(10 + i)));
    }
    for (int i = 0; i < 15; i++) {
      String nowhere = contact(ws, null, null, "{\"first_name\": \"Nowhere\"}");
      event(ws, nowhere, null, "Signed Up", "{}", NOW.minus(Duration.ofMinutes(5 + i)));
    }
    for (String name : new String[] {"Anna", "Ben", "Cleo"}) {
      String c = contact(ws, null, null, "{\"first_name\": \"" + name + "\", \"city\": \"Rome\"}");
      event(ws, c, null, "Signed Up", "{}", NOW.minus(Duration.ofHours(1)));
    }

    SocialProofFeed feed =
        feed(
            ws,
            """
            {"source": {"event": "Signed Up"}, "template": "{first_name} from {city}",
             "limit": 3}
            """);

    assertThat(feed.items())
        .extracting(SocialProofFeed.Item::message)
        .hasSize(3)
        .startsWith("Busy from Oslo")
        .containsOnlyOnce("Busy from Oslo")
        .allMatch(m -> m.endsWith("from Oslo") || m.endsWith("from Rome"));
  }

  @Test
  void aBusyJoinerDoesNotHideEveryoneElseOfACampaignSource() {
    // A campaign source has one row per person, but unrenderable items used the budget up too.
    String ws = workspace();
    String waitlist = campaign(ws, "waitlist", "active", "{}");
    for (int i = 0; i < 20; i++) {
      String nowhere = contact(ws, null, null, "{\"first_name\": \"Nowhere\"}");
      participant(ws, waitlist, nowhere, false, NOW.minus(Duration.ofMinutes(1 + i)));
    }
    String anna = contact(ws, null, null, "{\"first_name\": \"Anna\", \"city\": \"Rome\"}");
    participant(ws, waitlist, anna, false, NOW.minus(Duration.ofHours(2)));

    SocialProofFeed feed =
        feed(
            ws,
            """
            {"source": {"campaign": "%s"}, "template": "{first_name} from {city} joined",
             "limit": 2}
            """
                .formatted(waitlist));

    assertThat(feed.items())
        .extracting(SocialProofFeed.Item::message)
        .containsExactly("Anna from Rome joined");
  }

  @Test
  void anonymousEventsShowTheFallback() {
    String ws = workspace();
    event(ws, null, null, "Signed Up", "{}", NOW.minusSeconds(5));

    SocialProofFeed feed = feed(ws, SIGNUPS);

    assertThat(feed.items())
        .extracting(SocialProofFeed.Item::message)
        .containsExactly("Someone from somewhere signed up just now");
  }

  @Test
  void anotherWorkspacesEventsNeverEnterAFeed() {
    String mine = workspace();
    String theirs = workspace();
    String c = contact(theirs, null, null, "{\"first_name\": \"Theirs\"}");
    for (int i = 0; i < 5; i++) {
      event(theirs, c, null, "Signed Up", "{}", NOW.minusSeconds(10));
    }
    String id = campaign(theirs, "waitlist", "active", "{}");
    participant(theirs, id, c, false, NOW.minusSeconds(10));

    SocialProofFeed byEvent = feed(mine, SIGNUPS.replace("\"min_count\": 3", "\"min_count\": 0"));
    SocialProofFeed byCampaign =
        feed(
            mine,
            """
            {"source": {"campaign": "%s"}, "template": "{first_name} joined",
             "counter": {"window": "1d", "template": "{count}", "min_count": 0}}
            """
                .formatted(id));

    assertThat(byEvent.items()).isEmpty();
    assertThat(byEvent.counters()).isEmpty();
    assertThat(byCampaign.items()).isEmpty();
    assertThat(byCampaign.counters()).isEmpty();
    assertThat(feeds.campaign(mine, id)).isEmpty();
  }

  @Test
  void campaignSourceShowsJoinsWithTheCampaignNameAsEvent() {
    String ws = workspace();
    String waitlist = campaign(ws, "waitlist", "active", "{\"require_verification\": false}");
    // Not anna@ and ben@: a first name that is the whole local part of an e-mail, with no last name
    // to tell it from a handle, is not shown (SocialProofMasking.leaks).
    String anna = contact(ws, "u-anna", "anna.k@example.com", "{\"first_name\": \"Anna\"}");
    String ben = contact(ws, "u-ben", "ben.o@example.com", "{\"first_name\": \"Ben\"}");
    String hidden = contact(ws, null, "h@example.com", "{\"social_proof_opt_out\": true}");
    participant(ws, waitlist, anna, false, NOW.minus(Duration.ofMinutes(3)));
    participant(ws, waitlist, ben, true, NOW.minus(Duration.ofMinutes(1)));
    participant(ws, waitlist, hidden, true, NOW.minus(Duration.ofMinutes(2)));

    String template =
        """
        {"source": {"campaign": "%s"%s}, "template": "{first_name} joined {event} {time_ago}",
         "counter": {"window": "1h", "template": "{count} joined in the last hour",
                     "min_count": 1}}
        """;
    SocialProofFeed joined = feed(ws, template.formatted(waitlist, ""));
    SocialProofFeed referred =
        feed(ws, template.formatted(waitlist, ", \"activity\": \"referred\""));

    assertThat(joined.items())
        .extracting(SocialProofFeed.Item::message)
        .containsExactly(
            "Ben joined Beta waitlist 1 minute ago", "Anna joined Beta waitlist 3 minutes ago");
    assertThat(joined.counters()).extracting(SocialProofFeed.Counter::count).containsExactly(2L);
    assertThat(referred.items())
        .extracting(SocialProofFeed.Item::message)
        .containsExactly("Ben joined Beta waitlist 1 minute ago");
  }

  @Test
  void unverifiedJoinsOfAVerifyingWaitlistAreNotShown() {
    String ws = workspace();
    String waitlist = campaign(ws, "waitlist", "active", "{\"require_verification\": true}");
    String anna = contact(ws, null, null, "{\"first_name\": \"Anna\"}");
    participant(ws, waitlist, anna, false, NOW.minusSeconds(10));

    SocialProofFeed before =
        feed(
            ws,
            "{\"source\": {\"campaign\": \"" + waitlist + "\"}, \"template\": \"{first_name}\"}");
    SocialProofDatabase.jdbc()
        .update("update campaign_participants set verified_at = now() where workspace_id = ?", ws);
    SocialProofFeed after =
        feed(
            ws,
            "{\"source\": {\"campaign\": \"" + waitlist + "\"}, \"template\": \"{first_name}\"}");

    assertThat(before.items()).isEmpty();
    assertThat(after.items()).extracting(SocialProofFeed.Item::message).containsExactly("Anna");
  }

  @Test
  void liveOnlyWhenActiveInsideItsDates() {
    SocialProofFeeds.Campaign c =
        new SocialProofFeeds.Campaign(
            "ws",
            "cmp",
            CampaignType.SOCIAL_PROOF,
            CampaignStatus.ACTIVE,
            NOW.minusSeconds(60),
            NOW.plusSeconds(60),
            "{}");
    assertThat(c.isLive(NOW)).isTrue();
    assertThat(c.isLive(NOW.minusSeconds(61))).isFalse();
    assertThat(c.isLive(NOW.plusSeconds(60))).isFalse();
    assertThat(
            new SocialProofFeeds.Campaign(
                    "ws", "cmp", CampaignType.SOCIAL_PROOF, CampaignStatus.PAUSED, null, null, "{}")
                .isLive(NOW))
        .isFalse();
  }
}
