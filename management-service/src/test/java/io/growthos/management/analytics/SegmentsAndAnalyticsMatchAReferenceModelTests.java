package io.growthos.management.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A differential test of segments and analytics: random small workspaces (contacts with traits of
 * every JSON type, nulls, nested paths, unicode and mixed-case e-mails; events around the daylight
 * saving changes of Berlin and New York, anonymous and identified visitors, deleted contacts) are
 * stored in the real tables (deletions through the API), then the answers of {@code POST
 * /v1/segments/preview} and {@code POST /v1/analytics/query} are compared with a plain Java model
 * written from SPEC §7 and docs/analytics.md (not from the SQL): filter membership, trends (each
 * math, interval and time zone, breakdowns, contact filters), funnels, retention and counts.
 *
 * <p>Seeded and reproducible: a failure names its seed; rerun one with {@code -Doracle.seed=<seed>
 * -Doracle.workspaces=1}. The suite runs one workspace (about 10 s on a quiet machine); hunt with
 * more, e.g. {@code -Doracle.seed=777000 -Doracle.workspaces=12} (all agreed on 2026-12-06).
 */
class SegmentsAndAnalyticsMatchAReferenceModelTests extends ApiTestSupport {

  static final long DEFAULT_SEED = 20261206L;
  static final JsonMapper EXACT =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final String Q = "/v1/analytics/query";

  static final List<String> ZONES =
      List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata");
  static final List<String> EVENTS = List.of("Signed Up", "Viewed", "Purchased", "Café ☕");
  // Spring (US 2026-03-08, EU 2026-03-29) and autumn (EU 2026-10-25, US 2026-11-01) changes.
  static final Instant SPRING = Instant.parse("2026-03-05T00:00:00Z");
  static final Instant AUTUMN = Instant.parse("2026-10-22T00:00:00Z");
  static final Duration CLUSTER = Duration.ofDays(27);

  // ---------------------------------------------------------------- the model

  record Contact(
      String id,
      String userId,
      String email,
      ObjectNode traits,
      Instant createdAt,
      Instant firstSeenAt,
      Instant lastSeenAt,
      Set<String> groups) {}

  record Event(
      String id,
      String name,
      String contactId,
      String anonymousId,
      String userId,
      ObjectNode properties,
      Instant at) {
    String actor() {
      return contactId != null ? contactId : userId != null ? "u:" + userId : "a:" + anonymousId;
    }
  }

  static final class World {
    final String ws;
    final String key;
    final List<Contact> contacts = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final Map<String, JsonNode> segments = new LinkedHashMap<>();
    final Map<String, String> groups = new LinkedHashMap<>(); // grp_ id -> group_id
    Instant now;

    World(String ws, String key) {
      this.ws = ws;
      this.key = key;
    }

    Contact contact(String id) {
      return contacts.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }
  }

  // ---------------------------------------------------------------- the test

  @Test
  void previewsTrendsFunnelsRetentionAndCountsAgreeWithTheSpecOnRandomWorkspaces() {
    long base = Long.getLong("oracle.seed", DEFAULT_SEED);
    int workspaces = Integer.getInteger("oracle.workspaces", 1);
    for (int i = 0; i < workspaces; i++) {
      long seed = base + i;
      try {
        check(seed);
      } catch (AssertionError e) {
        throw new AssertionError(
            "seed "
                + seed
                + " (rerun: -Doracle.seed="
                + seed
                + " -Doracle.workspaces=1): "
                + e.getMessage(),
            e);
      }
    }
  }

  /** The reference model itself, on cases worked out by hand from the docs. */
  @Test
  void theReferenceModelAgreesWithHandWorkedExamples() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    ZoneId newYork = ZoneId.of("America/New_York");
    // New York's repeated 01:00-02:00 on 2026-11-01 is two hour buckets.
    assertThat(key(Instant.parse("2026-11-01T05:30:00Z"), newYork, "hour"))
        .isEqualTo(Instant.parse("2026-11-01T05:00:00Z"));
    assertThat(key(Instant.parse("2026-11-01T06:30:00Z"), newYork, "hour"))
        .isEqualTo(Instant.parse("2026-11-01T06:00:00Z"));
    // Kolkata (+05:30): 15:40 local is in the hour from 15:00 local, 09:30 UTC.
    assertThat(key(Instant.parse("2026-03-05T10:10:00Z"), ZoneId.of("Asia/Kolkata"), "hour"))
        .isEqualTo(Instant.parse("2026-03-05T09:30:00Z"));
    // Berlin's 2026-03-29 has 23 hours, New York's 2026-11-01 25.
    assertThat(
            buckets(
                Instant.parse("2026-03-29T10:00:00Z"),
                Instant.parse("2026-03-29T11:00:00Z"),
                berlin,
                "day"))
        .containsExactly(
            Instant.parse("2026-03-28T23:00:00Z"), Instant.parse("2026-03-29T22:00:00Z"));
    assertThat(
            buckets(
                Instant.parse("2026-11-01T12:00:00Z"),
                Instant.parse("2026-11-01T13:00:00Z"),
                newYork,
                "day"))
        .containsExactly(
            Instant.parse("2026-11-01T04:00:00Z"), Instant.parse("2026-11-02T05:00:00Z"));
    // Berlin's skipped 02:00-03:00 has no bucket: the hours from 00:00Z and 01:00Z are neighbours.
    assertThat(
            buckets(
                Instant.parse("2026-03-29T00:10:00Z"),
                Instant.parse("2026-03-29T01:10:00Z"),
                berlin,
                "hour"))
        .containsExactly(
            Instant.parse("2026-03-29T00:00:00Z"),
            Instant.parse("2026-03-29T01:00:00Z"),
            Instant.parse("2026-03-29T02:00:00Z"));
    // Lord Howe Island's clock goes back half an hour (02:00 +11 to 01:30 +10:30) on 2026-04-05:
    // local 01:00-02:00 lasts 90 minutes, and later hours start at half past the UTC hour.
    ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
    assertThat(
            buckets(
                Instant.parse("2026-04-04T14:10:00Z"),
                Instant.parse("2026-04-04T16:10:00Z"),
                lordHowe,
                "hour"))
        .containsExactly(
            Instant.parse("2026-04-04T14:00:00Z"),
            Instant.parse("2026-04-04T15:30:00Z"),
            Instant.parse("2026-04-04T16:30:00Z"));
    // Sunday 2026-03-29 is in the week from Monday 2026-03-23 (CET); 1 April 00:30 CEST is April.
    assertThat(key(Instant.parse("2026-03-29T12:00:00Z"), berlin, "week"))
        .isEqualTo(Instant.parse("2026-03-22T23:00:00Z"));
    assertThat(key(Instant.parse("2026-03-31T22:30:00Z"), berlin, "month"))
        .isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
    // [from, to): "to" on a bucket's start adds no bucket.
    assertThat(
            buckets(
                Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-03-03T00:00:00Z"),
                ZoneOffset.UTC,
                "day"))
        .hasSize(3);
    // Percentiles of one and two values.
    assertThat(percentile(List.of(new BigDecimal(7)), 0.99)).isEqualTo(7);
    List<BigDecimal> two = List.of(BigDecimal.ONE, new BigDecimal(2));
    assertThat(percentile(two, 0.5)).isEqualTo(1.5);
    assertThat(percentile(two, 0.9)).isCloseTo(1.9, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(exactPercentile(List.of(new BigDecimal("0.1"), new BigDecimal("0.2")), "0.5"))
        .isEqualByComparingTo("0.15");
    assertThat(exactPercentile(List.of(new BigDecimal(7)), "0.99")).isEqualByComparingTo("7");
    // How values compare.
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    JsonNode n42 = F.numberNode(42);
    assertThat(equal(F.stringNode("42"), n42)).isTrue();
    assertThat(equal(F.numberNode(new BigDecimal("42.0")), n42)).isTrue();
    assertThat(equal(F.numberNode(new BigDecimal("42.0")), F.stringNode("42"))).isFalse();
    assertThat(equal(F.numberNode(42), F.stringNode("42"))).isTrue();
    assertThat(equal(F.booleanNode(true), F.stringNode("true"))).isTrue();
    assertThat(equal(F.stringNode("true"), F.booleanNode(true))).isTrue();
    assertThat(equal(F.stringNode("abc"), F.numberNode(0))).isFalse();
    assertThat(equal(F.arrayNode().add("42"), F.stringNode("42"))).isFalse();
    assertThat(number(F.stringNode("4.2e1"))).isNull();
    assertThat(number(F.stringNode(" 42"))).isNull();
    assertThat(number(F.stringNode("-1.5"))).isEqualByComparingTo("-1.5");
    assertThat(json(null, "neq", F.stringNode("pro"), now)).isTrue();
    assertThat(json(F.nullNode(), "exists", null, now)).isFalse();
    assertThat(json(F.arrayNode().add(42), "contains", F.stringNode("42"), now)).isFalse();
    assertThat(json(F.arrayNode().add("42"), "contains", F.stringNode("42"), now)).isTrue();
    assertThat(
            json(
                F.stringNode("2026-11-01t01:30:00z"),
                "gt",
                F.stringNode("2026-11-01T01:29:59Z"),
                now))
        .isTrue();
    assertThat(json(F.stringNode("2026-02-30"), "lt", F.stringNode("+1d"), now)).isFalse();
    assertThat(json(F.stringNode("2026-11-20"), "gt", F.stringNode("-2w"), now)).isTrue();
    assertThat(textColumn("Émile@Example.com", "eq", F.stringNode("émile@EXAMPLE.COM"), true))
        .isTrue();
    assertThat(textColumn(null, "not_in", F.arrayNode().add("x"), false)).isTrue();
  }

  /**
   * How much each check exercised (printed per seed): a model that agrees on nothing is no test.
   */
  final Map<String, Integer> stats = new TreeMap<>();

  void count(String what, boolean yes) {
    if (yes) {
      stats.merge(what, 1, Integer::sum);
    }
  }

  void check(long seed) {
    stats.clear();
    Random r = new Random(seed);
    Map<String, Long> ms = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    World w = generate(r, seed);
    ms.put("data", lap(t0));
    // Single conditions first, so that each op and reading is seen on its own, then trees.
    t0 = System.nanoTime();
    for (int i = 0; i < 90; i++) {
      checkPreview(w, leaf(r, w));
    }
    for (int i = 0; i < 30; i++) {
      checkPreview(w, filter(r, w, 1, new int[] {0}, true));
    }
    checkSavedSegments(w, r);
    ms.put("segments", lap(t0));
    t0 = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      checkTrends(w, r);
    }
    ms.put("trends", lap(t0));
    t0 = System.nanoTime();
    for (int i = 0; i < 25; i++) {
      checkFunnel(w, r);
    }
    ms.put("funnels", lap(t0));
    t0 = System.nanoTime();
    for (int i = 0; i < 15; i++) {
      checkRetention(w, r);
    }
    checkCounts(w, r);
    ms.put("retention", lap(t0));
    System.out.println("seed " + seed + " (ms " + ms + "): " + stats);
  }

  static long lap(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  // ---------------------------------------------------------------- data

  static final List<String> LOCALS = List.of("alice", "bob", "carol", "dave", "émile", "ödön");

  World generate(Random r, long seed) {
    Tenant t = newTenant();
    World w = new World(t.workspaceId(), t.key());
    String tag = Long.toString(seed, 36);
    for (int g = 0; g < 2; g++) {
      String id = "grp_" + tag + "g" + g;
      String groupId = g == 0 ? "acme" : "Globex";
      jdbc.update(
          "insert into groups (workspace_id, id, group_id) values (?, ?, ?)", w.ws, id, groupId);
      w.groups.put(id, groupId);
    }
    int n = 24 + r.nextInt(10);
    Set<String> emails = new HashSet<>();
    for (int i = 0; i < n + 3; i++) {
      String id = String.format("cntct_%s_%03d", tag, i);
      String userId = r.nextInt(4) == 0 ? null : "u-" + i;
      String email = null;
      if (r.nextInt(5) != 0) {
        String local = pick(r, LOCALS) + i;
        String domain = pick(r, List.of("example.com", "Example.COM", "x.io"));
        email = mixCase(r, local) + "@" + domain;
        if (!emails.add(email.toLowerCase(Locale.ROOT))) {
          email = null;
        }
      }
      Instant created = pick(r, List.of(SPRING, AUTUMN)).plusSeconds(r.nextInt(27 * 86400));
      Instant firstSeen = r.nextInt(6) == 0 ? null : created.plusSeconds(r.nextInt(3600));
      Instant lastSeen = firstSeen == null ? null : firstSeen.plusSeconds(r.nextInt(86400 * 20));
      Set<String> groups = new HashSet<>();
      for (String g : w.groups.keySet()) {
        if (r.nextInt(3) == 0) {
          groups.add(g);
        }
      }
      Contact c = new Contact(id, userId, email, traits(r), created, firstSeen, lastSeen, groups);
      jdbc.update(
          "insert into contacts (workspace_id, id, user_id, email, traits, first_seen_at,"
              + " last_seen_at, created_at) values (?, ?, ?, ?, ?::jsonb, ?, ?, ?)",
          w.ws,
          id,
          userId,
          email,
          c.traits().toString(),
          ts(firstSeen),
          ts(lastSeen),
          ts(created));
      if (userId != null) {
        jdbc.update(
            "insert into contact_identities (workspace_id, kind, value, contact_id)"
                + " values (?, 'user_id', ?, ?)",
            w.ws,
            userId,
            id);
      }
      for (String g : groups) {
        jdbc.update(
            "insert into group_memberships (workspace_id, group_id, contact_id) values (?, ?, ?)",
            w.ws,
            g,
            id);
      }
      w.contacts.add(c);
    }
    // Events: contacts' (some carrying the anonymous id they had before being identified),
    // anonymous visitors never identified, and user ids without a contact.
    int m = 250 + r.nextInt(100);
    for (int i = 0; i < m; i++) {
      String id = String.format("evt_%s_%04d", tag, i);
      int kind = r.nextInt(10);
      String contactId = null;
      String anon = null;
      String userId = null;
      if (kind < 7) {
        Contact c = w.contacts.get(r.nextInt(w.contacts.size()));
        contactId = c.id();
        userId = r.nextBoolean() ? c.userId() : null;
        anon = r.nextInt(3) == 0 ? "anon-" + c.id().substring(c.id().length() - 3) : null;
      } else if (kind < 9) {
        anon = "visitor-" + r.nextInt(6);
      } else {
        userId = "stranger-" + r.nextInt(3);
      }
      Instant at;
      if (i > 0 && r.nextInt(12) == 0) {
        at = w.events.get(r.nextInt(w.events.size())).at(); // same instant as another event
      } else {
        at = instant(r);
      }
      Event e = new Event(id, pick(r, EVENTS), contactId, anon, userId, properties(r), at);
      insertEvent(w, e);
      w.events.add(e);
    }
    // Segments other filters refer to.
    for (int s = 0; s < 2; s++) {
      JsonNode filter = filter(r, w, 2, new int[] {0}, false);
      Response created =
          post("/v1/segments", w.key, json(Map.of("name", "s" + s, "filter", filter)));
      assertThat(created.status()).as(created.raw()).isEqualTo(201);
      w.segments.put(created.body().path("id").asString(), filter);
    }
    // Deleted contacts: gone from segments, and their events (also those of their ids that no
    // contact holds) from analytics.
    for (int d = 0; d < 3; d++) {
      Contact c = w.contacts.get(w.contacts.size() - 1 - d);
      if (c.userId() != null) {
        Event orphan =
            new Event(
                String.format("evt_%s_x%03d", tag, d),
                pick(r, EVENTS),
                null,
                null,
                c.userId(),
                properties(r),
                instant(r));
        insertEvent(w, orphan);
        w.events.add(orphan);
      }
      Response deleted = delete("/v1/contacts/" + c.id(), w.key);
      assertThat(deleted.status()).as(deleted.raw()).isEqualTo(204);
    }
    for (int d = 0; d < 3; d++) {
      Contact c = w.contacts.remove(w.contacts.size() - 1);
      w.events.removeIf(
          e ->
              c.id().equals(e.contactId())
                  || e.contactId() == null && c.userId() != null && c.userId().equals(e.userId()));
    }
    return w;
  }

  void insertEvent(World w, Event e) {
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, anonymous_id, user_id,"
            + " contact_id, properties, context, timestamp, received_at)"
            + " values (?, ?, ?, 'track', ?, ?, ?, ?, ?::jsonb, '{}'::jsonb, ?, now())",
        w.ws,
        e.id(),
        "m-" + e.id(),
        e.name(),
        e.anonymousId(),
        e.userId(),
        e.contactId(),
        e.properties().toString(),
        ts(e.at()));
  }

  static Timestamp ts(Instant t) {
    return t == null ? null : Timestamp.from(t);
  }

  static Instant instant(Random r) {
    Instant start = r.nextBoolean() ? SPRING : AUTUMN;
    long s = (long) (r.nextDouble() * CLUSTER.toSeconds());
    return switch (r.nextInt(4)) {
      case 0 -> start.plusSeconds(s / 3600 * 3600); // on an hour (a bucket bound)
      case 1 -> start.plusSeconds(s / 1800 * 1800); // on a half hour (Kolkata's hours)
      default -> start.plusSeconds(s).plusMillis(r.nextInt(1000));
    };
  }

  static String mixCase(Random r, String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return b.toString();
  }

  static <T> T pick(Random r, List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  static JsonNode scalar(Random r) {
    return switch (r.nextInt(15)) {
      case 0 -> F.stringNode("pro");
      case 1 -> F.stringNode("Pro");
      case 2 -> F.stringNode("free");
      case 3 -> F.stringNode("42");
      case 4 -> F.numberNode(42);
      case 5 -> F.numberNode(new BigDecimal("42.0"));
      case 6 -> F.numberNode(new BigDecimal("7.50"));
      case 7 -> F.stringNode("-1.5");
      case 8 -> F.booleanNode(r.nextBoolean());
      case 9 -> F.stringNode("true");
      case 10 -> F.nullNode();
      case 11 -> F.stringNode("");
      case 12 -> F.numberNode(0);
      case 13 -> F.stringNode("$other");
      default -> F.stringNode("Zürich 東京");
    };
  }

  static final List<String> DATES =
      List.of(
          "2026-03-29",
          "2026-03-29T01:30:00+01:00",
          "2026-10-25T02:30:00+02:00",
          "2026-11-01t01:30:00z",
          "2026-02-30",
          "soon",
          "2026-03-08T02:30:00-05:00");

  static ObjectNode traits(Random r) {
    ObjectNode t = F.objectNode();
    if (r.nextInt(5) != 0) {
      t.set("plan", scalar(r));
    }
    if (r.nextInt(4) != 0) {
      t.set(
          "score",
          switch (r.nextInt(6)) {
            case 0 -> F.numberNode(r.nextInt(100));
            case 1 -> F.numberNode(new BigDecimal(r.nextInt(1000)).movePointLeft(1));
            case 2 -> F.stringNode(Integer.toString(r.nextInt(100)));
            case 3 -> F.stringNode("abc");
            case 4 -> F.nullNode();
            default -> F.numberNode(-r.nextInt(5));
          });
    }
    if (r.nextInt(3) != 0) {
      ArrayNode tags = F.arrayNode();
      for (int i = r.nextInt(3); i > 0; i--) {
        tags.add(pick(r, List.of("beta", "vip", "Beta", "42")));
      }
      if (r.nextInt(4) == 0) {
        tags.add(42);
      }
      t.set("tags", r.nextInt(4) == 0 ? F.stringNode("beta,vip") : tags);
    }
    if (r.nextInt(3) != 0) {
      ObjectNode address = t.putObject("address");
      if (r.nextInt(4) != 0) {
        address.set(
            "city",
            pick(
                r,
                List.of(
                    F.stringNode("Zürich"),
                    F.stringNode("東京"),
                    F.stringNode("zürich"),
                    F.nullNode(),
                    F.numberNode(10))));
      }
    }
    if (r.nextInt(3) != 0) {
      t.put("trial_ends", pick(r, DATES));
    }
    if (r.nextInt(3) != 0) {
      t.set(
          "flag",
          pick(
              r,
              List.of(
                  F.booleanNode(true),
                  F.booleanNode(false),
                  F.stringNode("true"),
                  F.numberNode(1))));
    }
    return t;
  }

  static ObjectNode properties(Random r) {
    ObjectNode p = F.objectNode();
    if (r.nextInt(6) != 0) {
      p.set(
          "amount",
          switch (r.nextInt(8)) {
            case 0, 1 -> F.numberNode(r.nextInt(200));
            case 2 -> F.numberNode(new BigDecimal(r.nextInt(100000)).movePointLeft(2));
            case 3 -> F.stringNode(Integer.toString(r.nextInt(50)));
            case 4 -> F.stringNode("12.50");
            case 5 -> F.stringNode("n/a");
            case 6 -> F.nullNode();
            default -> F.numberNode(-r.nextInt(30));
          });
    }
    if (r.nextInt(4) != 0) {
      p.set("plan", scalar(r));
    }
    if (r.nextInt(3) == 0) {
      p.putObject("cart")
          .set("total", r.nextBoolean() ? F.numberNode(r.nextInt(90)) : F.stringNode("9"));
    }
    if (r.nextInt(4) == 0) {
      p.putArray("tags").add("beta").add(pick(r, List.of("vip", "x")));
    }
    return p;
  }

  // ---------------------------------------------------------------- random filters

  static final List<String> TRAITS =
      List.of(
          "traits.plan",
          "traits.score",
          "traits.tags",
          "traits.address.city",
          "traits.address",
          "traits.trial_ends",
          "traits.flag",
          "traits.nothing.here");
  static final List<String> PROPERTIES =
      List.of(
          "properties.amount",
          "properties.plan",
          "properties.cart.total",
          "properties.tags",
          "properties.missing");
  static final List<String> DATE_VALUES =
      List.of(
          "-400d",
          "-30d",
          "+1d",
          "-2w",
          "2026-03-29",
          "2026-03-29T01:30:00+01:00",
          "2026-10-25T01:30:00Z",
          "2026-11-01T01:30:00-04:00");

  JsonNode filter(Random r, World w, int depth, int[] leaves, boolean segments) {
    if (depth < 4 && r.nextInt(10) < (depth == 1 ? 6 : 3)) {
      int kind = r.nextInt(5);
      if (kind == 0) {
        return F.objectNode().set("not", filter(r, w, depth + 1, leaves, segments));
      }
      ArrayNode list = F.arrayNode();
      for (int i = r.nextInt(4); i > 0; i--) {
        list.add(filter(r, w, depth + 1, leaves, segments));
      }
      return F.objectNode().set(kind < 3 ? "all" : "any", list);
    }
    leaves[0]++;
    int kind = r.nextInt(20);
    if (kind < 3) {
      return performed(r);
    }
    if (kind == 3 && segments && !w.segments.isEmpty() && leaves[0] < 8) {
      return F.objectNode().put("segment", pick(r, List.copyOf(w.segments.keySet())));
    }
    if (kind == 4) {
      List<String> ids = new ArrayList<>(w.groups.keySet());
      ids.addAll(w.groups.values());
      ids.add("no-such-group");
      return F.objectNode().put("group", pick(r, ids));
    }
    if (kind < 8) {
      return column(r, w);
    }
    return condition(r, pick(r, TRAITS));
  }

  /** One condition of any kind, negated one time in five. */
  JsonNode leaf(Random r, World w) {
    int kind = r.nextInt(20);
    JsonNode leaf;
    if (kind < 6) {
      leaf = column(r, w);
    } else if (kind < 14) {
      leaf = condition(r, pick(r, TRAITS));
    } else if (kind < 18) {
      leaf = performed(r);
    } else {
      leaf = filter(r, w, 4, new int[] {0}, true);
    }
    return r.nextInt(5) == 0 ? F.objectNode().set("not", leaf) : leaf;
  }

  JsonNode column(Random r, World w) {
    String field =
        pick(r, List.of("email", "user_id", "created_at", "first_seen_at", "last_seen_at"));
    ObjectNode leaf = F.objectNode().put("field", field);
    boolean date = field.endsWith("_at");
    List<String> ops =
        date
            ? List.of("eq", "neq", "gt", "gte", "lt", "lte", "exists", "not_exists")
            : List.of(
                "eq",
                "neq",
                "in",
                "not_in",
                "contains",
                "starts_with",
                "ends_with",
                "exists",
                "not_exists");
    String op = pick(r, ops);
    leaf.put("op", op);
    if (op.endsWith("exists")) {
      return leaf;
    }
    if (date) {
      if (op.equals("eq") || op.equals("neq")) {
        Contact c = w.contacts.get(r.nextInt(w.contacts.size()));
        Instant t = field.equals("created_at") ? c.createdAt() : c.firstSeenAt();
        leaf.put("value", t == null ? "2026-03-29" : t.toString());
      } else {
        leaf.put("value", pick(r, DATE_VALUES));
      }
      return leaf;
    }
    Contact c = w.contacts.get(r.nextInt(w.contacts.size()));
    String sample = field.equals("email") ? c.email() : c.userId();
    if (sample == null) {
      sample = "u-1";
    }
    String value =
        switch (op) {
          case "contains" -> sample.substring(1, Math.max(1, sample.length() / 2));
          case "starts_with" -> sample.substring(0, Math.min(3, sample.length()));
          case "ends_with" -> pick(r, List.of("EXAMPLE.com", ".io", "1", ""));
          default -> r.nextBoolean() ? mixCase(r, sample) : sample;
        };
    if (op.endsWith("in")) {
      leaf.putArray("value").add(value).add(pick(r, List.of("u-2", "ALICE0@x.io", "zz")));
    } else {
      leaf.put("value", field.equals("email") ? mixCase(r, value) : value);
    }
    return leaf;
  }

  /** A trait or property condition with a value of a random type its op takes. */
  static ObjectNode condition(Random r, String field) {
    ObjectNode leaf = F.objectNode().put("field", field);
    String op =
        pick(
            r,
            List.of(
                "eq",
                "eq",
                "neq",
                "gt",
                "gte",
                "lt",
                "lte",
                "in",
                "not_in",
                "contains",
                "starts_with",
                "ends_with",
                "exists",
                "not_exists"));
    leaf.put("op", op);
    switch (op) {
      case "exists", "not_exists" -> {}
      case "gt", "gte", "lt", "lte" -> {
        if (r.nextInt(3) == 0) {
          leaf.put("value", pick(r, DATE_VALUES));
        } else {
          leaf.set(
              "value",
              pick(
                  r,
                  List.of(
                      F.numberNode(42),
                      F.numberNode(new BigDecimal("7.5")),
                      F.numberNode(0),
                      F.numberNode(-1),
                      F.numberNode(100),
                      F.numberNode(new BigDecimal("12.5")))));
        }
      }
      case "in", "not_in" -> {
        ArrayNode list = leaf.putArray("value");
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
          JsonNode v = scalar(r);
          list.add(v.isNull() ? F.stringNode("x") : v);
        }
      }
      case "contains", "starts_with", "ends_with" ->
          leaf.put("value", pick(r, List.of("pr", "beta", "", "Zür", "東京", "4", "o", "ta")));
      default -> {
        JsonNode v = scalar(r);
        leaf.set("value", v.isNull() ? F.numberNode(0) : v);
      }
    }
    return leaf;
  }

  static JsonNode performed(Random r) {
    ObjectNode p =
        F.objectNode()
            .put(
                "performed",
                pick(r, List.of("Signed Up", "Viewed", "Purchased", "Café ☕", "Never")));
    if (r.nextBoolean()) {
      String[] ops = {"eq", "neq", "gt", "gte", "lt", "lte"};
      p.putObject("count").put(ops[r.nextInt(ops.length)], r.nextInt(4));
    }
    switch (r.nextInt(5)) {
      case 0 -> p.put("within", pick(r, List.of("400d", "60d", "2w")));
      case 1 -> p.putObject("within").put("from", pick(r, DATE_VALUES));
      case 2 ->
          p.putObject("within")
              .put("from", "2026-03-01")
              .put("to", pick(r, List.of("2026-03-29T02:00:00+02:00", "-40d", "2026-10-25")));
      default -> {}
    }
    if (r.nextBoolean()) {
      ArrayNode where = p.putArray("where");
      for (int i = 1 + r.nextInt(2); i > 0; i--) {
        where.add(condition(r, pick(r, PROPERTIES)));
      }
    }
    return p;
  }

  // ---------------------------------------------------------------- the reference model

  static final Pattern NUMERIC = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
  static final Pattern RFC3339 =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[-+][0-9]{2}:[0-9]{2})");
  static final Pattern RELATIVE = Pattern.compile("([-+])([0-9]{1,6})([hdw])");

  /** The value at a dot path of a JSON document: null when absent. */
  static JsonNode at(JsonNode doc, String path) {
    JsonNode n = doc;
    for (String key : path.split("\\.")) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(key);
    }
    return n;
  }

  /** docs/analytics.md: a JSON number, or a JSON string spelling a decimal number. */
  static BigDecimal number(JsonNode j) {
    if (j == null) {
      return null;
    }
    if (j.isNumber()) {
      return j.decimalValue();
    }
    if (j.isString() && NUMERIC.matcher(j.stringValue()).matches()) {
      return new BigDecimal(j.stringValue());
    }
    return null;
  }

  /** A string as is, a number or boolean in its JSON spelling; others none. */
  static String text(JsonNode j) {
    if (j == null) {
      return null;
    }
    if (j.isString()) {
      return j.stringValue();
    }
    if (j.isBoolean()) {
      return Boolean.toString(j.booleanValue());
    }
    if (j.isIntegralNumber()) {
      return j.bigIntegerValue().toString();
    }
    if (j.isNumber()) {
      return j.decimalValue().toPlainString();
    }
    return null;
  }

  /** A JSON string in RFC 3339 with an offset, or YYYY-MM-DD (midnight UTC). */
  static Instant jsonDate(JsonNode j) {
    if (j == null || !j.isString()) {
      return null;
    }
    return parseDate(j.stringValue());
  }

  static Instant parseDate(String s) {
    try {
      if (s.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (RFC3339.matcher(s).matches()) {
        return OffsetDateTime.parse(s.toUpperCase(Locale.ROOT)).toInstant();
      }
    } catch (RuntimeException e) {
      return null;
    }
    return null;
  }

  /** A filter's date value: RFC 3339, YYYY-MM-DD or relative to now. */
  static Instant filterDate(String s, Instant now) {
    Matcher m = RELATIVE.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(2));
      Duration d =
          switch (m.group(3)) {
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      return m.group(1).equals("-") ? now.minus(d) : now.plus(d);
    }
    if (s.length() == 10) {
      return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    return OffsetDateTime.parse(s).toInstant();
  }

  /** Does the contact match the filter (SPEC §7)? */
  static boolean matches(JsonNode f, Contact c, World w, Instant now) {
    if (f.has("all")) {
      for (JsonNode x : f.get("all")) {
        if (!matches(x, c, w, now)) {
          return false;
        }
      }
      return true;
    }
    if (f.has("any")) {
      for (JsonNode x : f.get("any")) {
        if (matches(x, c, w, now)) {
          return true;
        }
      }
      return false;
    }
    if (f.has("not")) {
      return !matches(f.get("not"), c, w, now);
    }
    if (f.has("segment")) {
      return matches(w.segments.get(f.get("segment").stringValue()), c, w, now);
    }
    if (f.has("group")) {
      String g = f.get("group").stringValue();
      return c.groups().stream().anyMatch(id -> id.equals(g) || w.groups.get(id).equals(g));
    }
    if (f.has("performed")) {
      return performedMatches(f, c, w, now);
    }
    String field = f.get("field").stringValue();
    String op = f.get("op").stringValue();
    JsonNode v = f.get("value");
    return switch (field) {
      case "email" -> textColumn(c.email(), op, v, true);
      case "user_id" -> textColumn(c.userId(), op, v, false);
      case "created_at" -> dateColumn(c.createdAt(), op, v, now);
      case "first_seen_at" -> dateColumn(c.firstSeenAt(), op, v, now);
      case "last_seen_at" -> dateColumn(c.lastSeenAt(), op, v, now);
      default -> json(at(c.traits(), field.substring("traits.".length())), op, v, now);
    };
  }

  static boolean performedMatches(JsonNode f, Contact c, World w, Instant now) {
    String name = f.get("performed").stringValue();
    Instant from = null;
    Instant to = null;
    JsonNode within = f.get("within");
    if (within != null && within.isString()) {
      from = filterDate("-" + within.stringValue(), now);
    } else if (within != null) {
      from = within.has("from") ? filterDate(within.get("from").stringValue(), now) : null;
      to = within.has("to") ? filterDate(within.get("to").stringValue(), now) : null;
    }
    long n = 0;
    for (Event e : w.events) {
      if (!c.id().equals(e.contactId()) || !e.name().equals(name)) {
        continue;
      }
      if (from != null && e.at().isBefore(from) || to != null && !e.at().isBefore(to)) {
        continue;
      }
      if (!where(f.get("where"), e, now)) {
        continue;
      }
      n++;
    }
    String op = "gte";
    long k = 1;
    if (f.has("count")) {
      op = f.get("count").propertyNames().iterator().next();
      k = f.get("count").get(op).longValue();
    }
    return compare(Long.compare(n, k), op);
  }

  static boolean where(JsonNode where, Event e, Instant now) {
    if (where == null) {
      return true;
    }
    for (JsonNode cond : where) {
      String path = cond.get("field").stringValue().substring("properties.".length());
      if (!json(at(e.properties(), path), cond.get("op").stringValue(), cond.get("value"), now)) {
        return false;
      }
    }
    return true;
  }

  static boolean compare(int cmp, String op) {
    return switch (op) {
      case "eq" -> cmp == 0;
      case "neq" -> cmp != 0;
      case "gt" -> cmp > 0;
      case "gte" -> cmp >= 0;
      case "lt" -> cmp < 0;
      default -> cmp <= 0;
    };
  }

  static boolean textColumn(String column, String op, JsonNode v, boolean email) {
    java.util.function.UnaryOperator<String> norm =
        s -> email && s != null ? s.toLowerCase(Locale.ROOT) : s;
    String col = norm.apply(column);
    return switch (op) {
      case "exists" -> column != null;
      case "not_exists" -> column == null;
      case "eq" -> col != null && col.equals(norm.apply(v.stringValue()));
      case "neq" -> !(col != null && col.equals(norm.apply(v.stringValue())));
      case "in", "not_in" -> {
        boolean in = false;
        for (JsonNode x : v) {
          in |= col != null && col.equals(norm.apply(x.stringValue()));
        }
        yield op.equals("in") == in;
      }
      case "contains" -> col != null && col.contains(norm.apply(v.stringValue()));
      case "starts_with" -> col != null && col.startsWith(norm.apply(v.stringValue()));
      default -> col != null && col.endsWith(norm.apply(v.stringValue()));
    };
  }

  static boolean dateColumn(Instant column, String op, JsonNode v, Instant now) {
    return switch (op) {
      case "exists" -> column != null;
      case "not_exists" -> column == null;
      case "neq" -> !(column != null && column.equals(filterDate(v.stringValue(), now)));
      default -> column != null && compare(column.compareTo(filterDate(v.stringValue(), now)), op);
    };
  }

  /** A trait or property (null when absent) against a condition, by the docs' table. */
  static boolean json(JsonNode j, String op, JsonNode v, Instant now) {
    return switch (op) {
      case "exists" -> j != null && !j.isNull();
      case "not_exists" -> j == null || j.isNull();
      case "eq" -> equal(j, v);
      case "neq" -> !equal(j, v);
      case "in", "not_in" -> {
        boolean in = false;
        for (JsonNode x : v) {
          in |= equal(j, x);
        }
        yield op.equals("in") == in;
      }
      case "contains" -> {
        if (j != null && j.isString()) {
          yield j.stringValue().contains(v.stringValue());
        }
        if (j != null && j.isArray()) {
          for (JsonNode x : j) {
            if (x.isString() && x.stringValue().equals(v.stringValue())) {
              yield true;
            }
          }
        }
        yield false;
      }
      case "starts_with" ->
          j != null && j.isString() && j.stringValue().startsWith(v.stringValue());
      case "ends_with" -> j != null && j.isString() && j.stringValue().endsWith(v.stringValue());
      default -> {
        // gt, gte, lt, lte: a number or a date
        if (v.isNumber()) {
          BigDecimal n = number(j);
          yield n != null && compare(n.compareTo(v.decimalValue()), op);
        }
        Instant d = jsonDate(j);
        yield d != null && compare(d.compareTo(filterDate(v.stringValue(), now)), op);
      }
    };
  }

  static boolean equal(JsonNode j, JsonNode v) {
    if (v.isNumber()) {
      BigDecimal n = number(j);
      return n != null && n.compareTo(v.decimalValue()) == 0;
    }
    String t = text(j);
    return t != null
        && t.equals(v.isBoolean() ? Boolean.toString(v.booleanValue()) : v.stringValue());
  }

  // ---------------------------------------------------------------- segments preview

  void checkPreview(World w, JsonNode filter) {
    Instant before = Instant.now();
    Response r = post("/v1/segments/preview", w.key, json(Map.of("filter", filter)));
    Instant after = Instant.now();
    assertThat(r.status()).as("preview %s: %s", filter, r.raw()).isEqualTo(200);
    List<String> expected = members(w, filter, before);
    if (!expected.equals(members(w, filter, after))) {
      return; // a relative date crossed an event while the request ran
    }
    count("previews some", !expected.isEmpty() && expected.size() < w.contacts.size());
    count("previews all", expected.size() == w.contacts.size());
    count("previews none", expected.isEmpty());
    assertThat(r.body().path("count").asLong())
        .as("count of %s", filter)
        .isEqualTo(expected.size());
    List<String> sample = new ArrayList<>();
    r.body().path("sample").forEach(c -> sample.add(c.path("id").asString()));
    assertThat(sample)
        .as("sample of %s", filter)
        .containsExactlyElementsOf(
            expected.stream().sorted(Comparator.reverseOrder()).limit(10).toList());
  }

  /**
   * Saved segments: {@code …/count}, every page of {@code …/contacts} (newest id first) and {@code
   * /v1/contacts/{id}/segments} of a few contacts.
   */
  void checkSavedSegments(World w, Random r) {
    Instant now = Instant.now();
    for (Map.Entry<String, JsonNode> s : w.segments.entrySet()) {
      List<String> expected =
          members(w, s.getValue(), now).stream().sorted(Comparator.reverseOrder()).toList();
      Response count = get("/v1/segments/" + s.getKey() + "/count", w.key);
      assertThat(count.status()).as(count.raw()).isEqualTo(200);
      assertThat(count.body().path("count").asLong())
          .as("count of %s", s.getValue())
          .isEqualTo(expected.size());
      List<String> paged = new ArrayList<>();
      String cursor = null;
      do {
        Response page =
            get(
                "/v1/segments/"
                    + s.getKey()
                    + "/contacts?limit=7"
                    + (cursor == null ? "" : "&cursor=" + cursor),
                w.key);
        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        paged.addAll(ids(page));
        cursor =
            page.body().path("next_cursor").isNull()
                ? null
                : page.body().path("next_cursor").asString();
      } while (cursor != null);
      assertThat(paged).as("contacts of %s", s.getValue()).containsExactlyElementsOf(expected);
      count("segments saved non-empty", !expected.isEmpty());
    }
    for (int i = 0; i < 5; i++) {
      Contact c = w.contacts.get(r.nextInt(w.contacts.size()));
      Response of = get("/v1/contacts/" + c.id() + "/segments", w.key);
      assertThat(of.status()).as(of.raw()).isEqualTo(200);
      List<String> expected =
          w.segments.entrySet().stream()
              .filter(s -> matches(s.getValue(), c, w, now))
              .map(Map.Entry::getKey)
              .sorted(Comparator.reverseOrder())
              .toList();
      assertThat(ids(of)).as("segments of %s", c).containsExactlyElementsOf(expected);
    }
  }

  static List<String> members(World w, JsonNode filter, Instant now) {
    return w.contacts.stream().filter(c -> matches(filter, c, w, now)).map(Contact::id).toList();
  }

  // ---------------------------------------------------------------- buckets

  /** The start of the calendar bucket holding {@code t}. */
  static Instant key(Instant t, ZoneId z, String interval) {
    return switch (interval) {
      case "hour" -> {
        // The last instant at or before t where the local clock shows a whole hour.
        Instant s = Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), 60) * 60);
        while (s.atZone(z).getMinute() != 0 || s.atZone(z).getSecond() != 0) {
          s = s.minusSeconds(60);
        }
        yield s;
      }
      case "day" -> t.atZone(z).toLocalDate().atStartOfDay(z).toInstant();
      case "week" -> {
        LocalDate d = t.atZone(z).toLocalDate();
        yield d.minusDays(d.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue())
            .atStartOfDay(z)
            .toInstant();
      }
      default -> t.atZone(z).toLocalDate().withDayOfMonth(1).atStartOfDay(z).toInstant();
    };
  }

  /**
   * Bucket starts covering [from, to) and, last, the end of the last bucket: found by walking the
   * time line in 15-minute steps (no bucket is shorter), independent of how buckets are built.
   */
  static List<Instant> buckets(Instant from, Instant to, ZoneId z, String interval) {
    LinkedHashSet<Instant> keys = new LinkedHashSet<>();
    Instant t = key(from, z, interval);
    keys.add(t);
    Instant step = t;
    while (true) {
      step = step.plus(Duration.ofMinutes(15));
      Instant k = key(step, z, interval);
      if (!keys.contains(k)) {
        keys.add(k);
        if (!k.isBefore(to)) {
          break;
        }
      }
    }
    return new ArrayList<>(keys);
  }

  // ---------------------------------------------------------------- trends

  static final List<String> MATHS =
      List.of("count", "unique_contacts", "sum", "avg", "min", "max", "p50", "p90", "p99");

  Instant[] range(Random r, String interval) {
    Instant start = r.nextBoolean() ? SPRING : AUTUMN;
    Instant from = start.plusSeconds(r.nextInt(20 * 86400));
    if (r.nextInt(3) == 0) {
      from = from.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    Duration span =
        switch (interval) {
          case "hour" -> Duration.ofMinutes(1 + r.nextInt(300 * 60));
          case "day" -> Duration.ofHours(1 + r.nextInt(30 * 24));
          case "week" -> Duration.ofDays(1 + r.nextInt(60));
          default -> Duration.ofDays(1 + r.nextInt(250));
        };
    return new Instant[] {from, from.plus(span)};
  }

  ObjectNode series(Random r) {
    ObjectNode s = F.objectNode().put("event", pick(r, EVENTS));
    String math = pick(r, MATHS);
    s.put("math", math);
    if (!math.equals("count") && !math.equals("unique_contacts")) {
      s.put(
          "property",
          pick(
              r,
              List.of(
                  "properties.amount",
                  "properties.amount",
                  "properties.cart.total",
                  "properties.plan")));
    }
    if (r.nextInt(3) == 0) {
      ArrayNode where = s.putArray("where");
      for (int i = 1 + r.nextInt(2); i > 0; i--) {
        where.add(condition(r, pick(r, PROPERTIES)));
      }
    }
    return s;
  }

  ObjectNode breakdown(Random r) {
    ObjectNode b = F.objectNode();
    if (r.nextBoolean()) {
      b.put(
          "property",
          pick(
              r,
              List.of(
                  "properties.plan",
                  "properties.amount",
                  "properties.tags",
                  "properties.cart.total",
                  "properties.missing")));
    } else {
      b.put(
          "trait",
          pick(r, List.of("traits.plan", "traits.score", "traits.flag", "traits.address.city")));
    }
    b.put("limit", 1 + r.nextInt(4));
    return b;
  }

  void checkTrends(World w, Random r) {
    String zone = pick(r, ZONES);
    ZoneId z = ZoneId.of(zone);
    String interval = pick(r, List.of("hour", "day", "week", "month"));
    Instant[] range = range(r, interval);
    ObjectNode q = F.objectNode().put("kind", "trends");
    q.put("from", range[0].toString()).put("to", range[1].toString());
    q.put("timezone", zone).put("interval", interval);
    ArrayNode series = q.putArray("series");
    for (int i = 1 + r.nextInt(2); i > 0; i--) {
      series.add(series(r));
    }
    if (r.nextInt(3) == 0) {
      q.set("breakdown", breakdown(r));
    }
    if (r.nextInt(3) == 0) {
      q.set("filter", filter(r, w, 2, new int[] {0}, true));
    }
    Instant now = Instant.now();
    Response resp = post(Q, w.key, q.toString());
    assertThat(resp.status()).as("%s: %s", q, resp.raw()).isEqualTo(200);
    JsonNode body = EXACT.readTree(resp.raw());
    List<Instant> b = buckets(range[0], range[1], z, interval);
    int n = b.size() - 1;
    assertThat(Instant.parse(body.path("from").asString())).as("from of %s", q).isEqualTo(b.get(0));
    assertThat(Instant.parse(body.path("to").asString())).as("to of %s", q).isEqualTo(b.get(n));
    Predicate<Event> inContacts = contactFilter(w, q.get("filter"), now);
    List<JsonNode> expected = new ArrayList<>();
    for (int index = 0; index < series.size(); index++) {
      JsonNode s = series.get(index);
      List<Event> evs =
          w.events.stream()
              .filter(e -> e.name().equals(s.get("event").stringValue()))
              .filter(e -> !e.at().isBefore(b.get(0)) && e.at().isBefore(b.get(n)))
              .filter(e -> where(s.get("where"), e, now))
              .filter(inContacts)
              .toList();
      Map<String, List<Event>> groups = breakdownGroups(w, q.get("breakdown"), evs);
      for (Map.Entry<String, List<Event>> g : groups.entrySet()) {
        ObjectNode out = F.objectNode();
        out.put("series_index", index);
        out.put("event", s.get("event").stringValue());
        out.put("math", s.get("math").stringValue());
        out.put("breakdown_value", label(g.getKey()));
        out.put("other", OTHER_GROUP.equals(g.getKey()));
        ArrayNode points = out.putArray("points");
        Map<Instant, List<Event>> byBucket = new TreeMap<>();
        g.getValue()
            .forEach(
                e ->
                    byBucket
                        .computeIfAbsent(key(e.at(), z, interval), k -> new ArrayList<>())
                        .add(e));
        for (int i = 0; i < n; i++) {
          points
              .addObject()
              .put("t", b.get(i).toString())
              .put("value", value(s, byBucket.getOrDefault(b.get(i), List.of())));
        }
        expected.add(out);
      }
    }
    JsonNode actual = body.path("series");
    count("trends " + interval + " " + zone, true);
    count(
        "trends with $other",
        expected.stream().anyMatch(x -> "$other".equals(x.path("breakdown_value").asString(null))));
    count(
        "trends with a null group",
        q.has("breakdown") && expected.stream().anyMatch(x -> x.path("breakdown_value").isNull()));
    count(
        "trends non-zero points",
        expected.stream()
            .anyMatch(
                x ->
                    x.path("points").findValuesAsString("value").stream()
                        .anyMatch(v -> new BigDecimal(v).signum() != 0)));
    assertThat(actual.size()).as("series of %s: %s", q, resp.raw()).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      JsonNode e = expected.get(i);
      JsonNode a = actual.get(i);
      String what = q + " series " + i;
      assertThat(a.path("event").asString()).as(what).isEqualTo(e.path("event").asString());
      assertThat(a.path("series_index").asInt()).as(what).isEqualTo(e.path("series_index").asInt());
      assertThat(a.path("breakdown_value").isNull() ? null : a.path("breakdown_value").asString())
          .as("breakdown value of %s", what)
          .isEqualTo(
              e.path("breakdown_value").isNull() ? null : e.path("breakdown_value").asString());
      assertThat(a.path("other").isBoolean()).as("other of %s", what).isTrue();
      assertThat(a.path("other").booleanValue())
          .as("other of %s", what)
          .isEqualTo(e.path("other").booleanValue());
      assertThat(a.path("points").size()).as(what).isEqualTo(n);
      for (int k = 0; k < n; k++) {
        JsonNode ap = a.path("points").get(k);
        JsonNode ep = e.path("points").get(k);
        assertThat(Instant.parse(ap.path("t").asString()))
            .as(what)
            .isEqualTo(Instant.parse(ep.path("t").asString()));
        BigDecimal av = ap.path("value").decimalValue();
        BigDecimal ev = new BigDecimal(ep.path("value").asString());
        String math = e.path("math").asString();
        String msg = what + " point " + ap.path("t").asString();
        if (math.equals("avg")) {
          assertThat(av.doubleValue())
              .as(msg)
              .isCloseTo(
                  ev.doubleValue(),
                  org.assertj.core.data.Offset.offset(
                      1e-9 * Math.max(1, Math.abs(ev.doubleValue()))));
        } else {
          assertThat(av).as(msg).isEqualByComparingTo(ev);
        }
      }
    }
  }

  /** Events of contacts matching the filter; events without a contact never match one. */
  static Predicate<Event> contactFilter(World w, JsonNode filter, Instant now) {
    if (filter == null) {
      return e -> true;
    }
    Set<String> ids = new HashSet<>(members(w, filter, now));
    return e -> e.contactId() != null && ids.contains(e.contactId());
  }

  /**
   * Groups of events by breakdown value: the {@code limit} values with the most items (events; ties
   * by value, null last) each their own, the rest as {@link #OTHER_GROUP}; one group (null) without
   * a breakdown, none when there are no events.
   */
  /**
   * The model's key of the values past the limit: not a value text can have, so a real value
   * spelled "$other" stays its own group, as in the service (whose result says {@code other}).
   */
  static final String OTHER_GROUP = "\u0000values past the limit";

  /** The {@code breakdown_value} of a group of {@link #breakdownGroups}. */
  static String label(String group) {
    return OTHER_GROUP.equals(group) ? "$other" : group;
  }

  static <T> Map<String, List<T>> breakdownGroups(World w, JsonNode breakdown, List<T> items) {
    Map<String, List<T>> out = new LinkedHashMap<>();
    if (breakdown == null) {
      out.put(null, new ArrayList<>(items));
      return out;
    }
    Map<String, List<T>> byValue = new HashMap<>();
    for (T item : items) {
      byValue.computeIfAbsent(breakdownValue(w, breakdown, item), k -> new ArrayList<>()).add(item);
    }
    List<String> ranked = new ArrayList<>(byValue.keySet());
    ranked.sort(
        Comparator.<String>comparingInt(v -> -byValue.get(v).size())
            .thenComparing(Comparator.nullsLast(Comparator.<String>naturalOrder())));
    int limit = breakdown.get("limit").intValue();
    for (int i = 0; i < ranked.size(); i++) {
      String label = i < limit ? ranked.get(i) : OTHER_GROUP;
      out.computeIfAbsent(label, k -> new ArrayList<>()).addAll(byValue.get(ranked.get(i)));
    }
    return out;
  }

  static String breakdownValue(World w, JsonNode breakdown, Object item) {
    Event e = item instanceof Event ev ? ev : ((Entry) item).event();
    if (breakdown.has("property")) {
      return text(at(e.properties(), breakdown.get("property").stringValue().substring(11)));
    }
    Contact c = e.contactId() == null ? null : w.contact(e.contactId());
    return c == null
        ? null
        : text(at(c.traits(), breakdown.get("trait").stringValue().substring(7)));
  }

  static String value(JsonNode s, List<Event> evs) {
    String math = s.get("math").stringValue();
    if (math.equals("count")) {
      return Integer.toString(evs.size());
    }
    if (math.equals("unique_contacts")) {
      return Long.toString(evs.stream().map(Event::actor).distinct().count());
    }
    String path = s.get("property").stringValue().substring("properties.".length());
    List<BigDecimal> values =
        evs.stream()
            .map(e -> number(at(e.properties(), path)))
            .filter(Objects::nonNull)
            .sorted()
            .toList();
    if (values.isEmpty()) {
      return "0";
    }
    BigDecimal sum = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    return switch (math) {
      case "sum" -> sum.toPlainString();
      case "avg" ->
          sum.divide(new BigDecimal(values.size()), MathContext.DECIMAL128).toPlainString();
      case "min" -> values.get(0).toPlainString();
      case "max" -> values.get(values.size() - 1).toPlainString();
      case "p50" -> exactPercentile(values, "0.5").toPlainString();
      case "p90" -> exactPercentile(values, "0.9").toPlainString();
      default -> exactPercentile(values, "0.99").toPlainString();
    };
  }

  /** A continuous percentile in decimals, as the service computes it (results are exact). */
  static BigDecimal exactPercentile(List<BigDecimal> sorted, String p) {
    BigDecimal pos = new BigDecimal(p).multiply(new BigDecimal(sorted.size() - 1));
    int lo = pos.setScale(0, java.math.RoundingMode.FLOOR).intValueExact();
    BigDecimal a = sorted.get(lo);
    return lo + 1 == sorted.size()
        ? a
        : a.add(pos.subtract(new BigDecimal(lo)).multiply(sorted.get(lo + 1).subtract(a)));
  }

  /** A continuous percentile: linear interpolation between the two nearest ranks. */
  static double percentile(List<BigDecimal> sorted, double p) {
    double pos = p * (sorted.size() - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    double a = sorted.get(lo).doubleValue();
    double b = sorted.get(hi).doubleValue();
    return a + (pos - lo) * (b - a);
  }

  static double median(List<Double> values) {
    return percentile(values.stream().sorted().map(BigDecimal::valueOf).toList(), 0.5);
  }

  // ---------------------------------------------------------------- funnels

  /** An actor's entry into a funnel: its entry event and the times of the steps it reached. */
  record Entry(Event event, List<Instant> times) {}

  void checkFunnel(World w, Random r) {
    Instant[] range = range(r, "day");
    ObjectNode q = F.objectNode().put("kind", "funnel");
    q.put("from", range[0].toString()).put("to", range[1].toString());
    ArrayNode steps = q.putArray("steps");
    for (int i = 2 + r.nextInt(3); i > 0; i--) {
      ObjectNode s = F.objectNode().put("event", pick(r, EVENTS.subList(0, 3)));
      if (r.nextInt(4) == 0) {
        s.putArray("where").add(condition(r, pick(r, PROPERTIES)));
      }
      steps.add(s);
    }
    String window = pick(r, List.of("30m", "1h", "12h", "1d", "3d", "2w"));
    q.put("window", window);
    if (r.nextInt(3) == 0) {
      q.set("breakdown", breakdown(r));
    }
    if (r.nextInt(3) == 0) {
      q.set("filter", filter(r, w, 2, new int[] {0}, true));
    }
    Instant now = Instant.now();
    Response resp = post(Q, w.key, q.toString());
    assertThat(resp.status()).as("%s: %s", q, resp.raw()).isEqualTo(200);
    JsonNode body = resp.body();
    Duration win = windowOf(window);
    Predicate<Event> inContacts = contactFilter(w, q.get("filter"), now);
    // Events in stored order (ids are in insertion order): the first of equal times comes first.
    Map<String, List<Event>> byActor = new LinkedHashMap<>();
    w.events.stream()
        .sorted(Comparator.comparing(Event::at).thenComparing(Event::id))
        .forEach(e -> byActor.computeIfAbsent(e.actor(), k -> new ArrayList<>()).add(e));
    List<Entry> entries = new ArrayList<>();
    for (List<Event> evs : byActor.values()) {
      JsonNode first = steps.get(0);
      Event entry =
          evs.stream()
              .filter(e -> e.name().equals(first.get("event").stringValue()))
              .filter(e -> !e.at().isBefore(range[0]) && e.at().isBefore(range[1]))
              .filter(e -> where(first.get("where"), e, now))
              .filter(inContacts)
              .findFirst()
              .orElse(null);
      if (entry == null) {
        continue;
      }
      List<Instant> times = new ArrayList<>(List.of(entry.at()));
      for (int k = 1; k < steps.size(); k++) {
        JsonNode step = steps.get(k);
        Instant prev = times.get(k - 1);
        Event next =
            evs.stream()
                .filter(e -> e.name().equals(step.get("event").stringValue()))
                .filter(e -> e.at().isAfter(prev) && !e.at().isAfter(entry.at().plus(win)))
                .filter(e -> where(step.get("where"), e, now))
                .findFirst()
                .orElse(null);
        if (next == null) {
          break;
        }
        times.add(next.at());
      }
      entries.add(new Entry(entry, times));
    }
    count("funnels entered", !entries.isEmpty());
    count("funnels converted", entries.stream().anyMatch(e -> e.times().size() > 1));
    count("funnels completed", entries.stream().anyMatch(e -> e.times().size() == steps.size()));
    checkSteps(q + " total", body.path("steps"), steps, entries);
    if (q.has("breakdown")) {
      Map<String, List<Entry>> groups = breakdownGroups(w, q.get("breakdown"), entries);
      JsonNode actual = body.path("breakdowns");
      assertThat(actual.size()).as("breakdowns of %s: %s", q, resp.raw()).isEqualTo(groups.size());
      int i = 0;
      for (Map.Entry<String, List<Entry>> g : groups.entrySet()) {
        JsonNode a = actual.get(i++);
        assertThat(a.path("breakdown_value").isNull() ? null : a.path("breakdown_value").asString())
            .as("breakdown %d of %s: %s", i - 1, q, resp.raw())
            .isEqualTo(label(g.getKey()));
        assertThat(a.path("other").booleanValue())
            .as("other of breakdown %d of %s: %s", i - 1, q, resp.raw())
            .isEqualTo(OTHER_GROUP.equals(g.getKey()));
        checkSteps(q + " breakdown " + g.getKey(), a.path("steps"), steps, g.getValue());
      }
    }
  }

  static Duration windowOf(String text) {
    long n = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      case 'd' -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  static void checkSteps(String what, JsonNode actual, JsonNode steps, List<Entry> entries) {
    assertThat(actual.size()).as(what).isEqualTo(steps.size());
    long entered = entries.size();
    for (int k = 0; k < steps.size(); k++) {
      int step = k;
      List<Entry> reached = entries.stream().filter(e -> e.times().size() > step).toList();
      JsonNode a = actual.get(k);
      assertThat(a.path("event").asString())
          .as(what)
          .isEqualTo(steps.get(k).get("event").stringValue());
      assertThat(a.path("count").asLong())
          .as("%s step %d count", what, k + 1)
          .isEqualTo(reached.size());
      assertThat(a.path("conversion_rate").asDouble())
          .as("%s step %d rate", what, k + 1)
          .isCloseTo(
              entered == 0 ? 0 : (double) reached.size() / entered,
              org.assertj.core.data.Offset.offset(1e-12));
      if (k == 0 || reached.isEmpty()) {
        assertThat(a.path("median_seconds_to_convert").isNull())
            .as("%s step %d median", what, k + 1)
            .isTrue();
      } else {
        List<Double> secs =
            reached.stream()
                .map(
                    e ->
                        Duration.between(e.times().get(step - 1), e.times().get(step)).toMillis()
                            / 1000.0)
                .toList();
        assertThat(a.path("median_seconds_to_convert").asDouble())
            .as("%s step %d median", what, k + 1)
            .isCloseTo(median(secs), org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  // ---------------------------------------------------------------- retention

  void checkRetention(World w, Random r) {
    String zone = pick(r, ZONES);
    ZoneId z = ZoneId.of(zone);
    String interval = r.nextInt(3) == 0 ? "week" : "day";
    Instant from = (r.nextBoolean() ? SPRING : AUTUMN).plusSeconds(r.nextInt(15 * 86400));
    Instant to =
        from.plus(Duration.ofHours(1 + r.nextInt(interval.equals("day") ? 15 * 24 : 40 * 24)));
    int periods = 1 + r.nextInt(8);
    String start = pick(r, EVENTS);
    String back = r.nextInt(4) == 0 ? start : pick(r, EVENTS);
    ObjectNode q = F.objectNode().put("kind", "retention");
    q.put("from", from.toString()).put("to", to.toString()).put("timezone", zone);
    q.put("interval", interval).put("periods", periods);
    q.put("start_event", start).put("return_event", back);
    if (r.nextInt(3) == 0) {
      q.set("filter", filter(r, w, 2, new int[] {0}, true));
    }
    Instant now = Instant.now();
    Response resp = post(Q, w.key, q.toString());
    assertThat(resp.status()).as("%s: %s", q, resp.raw()).isEqualTo(200);
    List<Instant> b = buckets(from, to, z, interval);
    int n = b.size() - 1;
    // Bucket starts of the cohorts and of the periods after the last cohort.
    List<Instant> all = new ArrayList<>(b);
    while (all.size() < n + periods) {
      Instant last = all.get(all.size() - 1);
      all.add(buckets(last, last.plusMillis(1), z, interval).get(1));
    }
    Predicate<Event> inContacts = contactFilter(w, q.get("filter"), now);
    long[] sizes = new long[n];
    long[][] returned = new long[n][periods];
    Map<String, List<Event>> byActor = new LinkedHashMap<>();
    w.events.forEach(e -> byActor.computeIfAbsent(e.actor(), k -> new ArrayList<>()).add(e));
    for (List<Event> evs : byActor.values()) {
      Event first =
          evs.stream()
              .filter(e -> e.name().equals(start))
              .filter(e -> !e.at().isBefore(b.get(0)) && e.at().isBefore(b.get(n)))
              .filter(inContacts)
              .min(Comparator.comparing(Event::at))
              .orElse(null);
      if (first == null) {
        continue;
      }
      int c = all.indexOf(key(first.at(), z, interval));
      sizes[c]++;
      Set<Integer> seen = new HashSet<>();
      for (Event e : evs) {
        if (e.name().equals(back) && !e.at().isBefore(first.at())) {
          int p = all.indexOf(key(e.at(), z, interval)) - c;
          if (p >= 0 && p < periods && all.indexOf(key(e.at(), z, interval)) >= 0 && seen.add(p)) {
            returned[c][p]++;
          }
        }
      }
    }
    count(
        "retention returned",
        java.util.Arrays.stream(returned)
            .flatMapToLong(java.util.Arrays::stream)
            .skip(0)
            .anyMatch(x -> x > 0));
    count(
        "retention later period",
        java.util.Arrays.stream(returned)
            .anyMatch(x -> java.util.Arrays.stream(x).skip(1).anyMatch(v -> v > 0)));
    JsonNode cohorts = resp.body().path("cohorts");
    assertThat(cohorts.size()).as("cohorts of %s", q).isEqualTo(n);
    for (int c = 0; c < n; c++) {
      JsonNode a = cohorts.get(c);
      assertThat(Instant.parse(a.path("start").asString()))
          .as("cohort %d of %s", c, q)
          .isEqualTo(b.get(c));
      assertThat(a.path("size").asLong()).as("size of cohort %d of %s", c, q).isEqualTo(sizes[c]);
      List<Long> got = new ArrayList<>();
      a.path("returned").forEach(x -> got.add(x.asLong()));
      assertThat(got)
          .as("returned of cohort %d of %s", c, q)
          .containsExactlyElementsOf(java.util.Arrays.stream(returned[c]).boxed().toList());
    }
  }

  // ---------------------------------------------------------------- counts

  void checkCounts(World w, Random r) {
    Instant[] range = range(r, "month");
    ObjectNode q = F.objectNode().put("kind", "counts");
    q.put("from", range[0].toString()).put("to", range[1].toString());
    Response resp = post(Q, w.key, q.toString());
    assertThat(resp.status()).as("%s: %s", q, resp.raw()).isEqualTo(200);
    Map<String, Long> names = new HashMap<>();
    Map<String, Long> keys = new HashMap<>();
    for (Event e : w.events) {
      if (!e.at().isBefore(range[0]) && e.at().isBefore(range[1])) {
        names.merge(e.name(), 1L, Long::sum);
        e.properties().propertyNames().forEach(k -> keys.merge("properties." + k, 1L, Long::sum));
      }
    }
    assertThat(nameCounts(resp.body().path("events"))).as("events of %s", q).isEqualTo(names);
    assertThat(nameCounts(resp.body().path("properties")))
        .as("properties of %s", q)
        .isEqualTo(keys);
  }

  static Map<String, Long> nameCounts(JsonNode list) {
    Map<String, Long> out = new HashMap<>();
    long previous = Long.MAX_VALUE;
    for (JsonNode n : list) {
      long count = n.path("count").asLong();
      assertThat(count).as("most frequent first").isLessThanOrEqualTo(previous);
      previous = count;
      out.put(n.path("name").asString(), count);
    }
    return out;
  }
}
