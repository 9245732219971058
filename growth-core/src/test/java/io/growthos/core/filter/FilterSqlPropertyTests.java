package io.growthos.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random contacts, events, groups and filters: the compiled SQL run on PostgreSQL selects exactly
 * the contacts the plain Java {@link FilterEvaluator} selects. Every try also has a noise workspace
 * holding contacts with the same ids, and events and groups for them, which must never count.
 */
class FilterSqlPropertyTests {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final AtomicInteger WORKSPACES = new AtomicInteger();
  static final String NOISE = "ws_filter_noise";
  static final List<String> EVENTS = List.of("signup", "buy", "view");
  static final List<String> GROUPS = List.of("acme", "globex");

  record World(
      List<FilterEvaluator.Contact> contacts,
      List<FilterEvaluator.Event> events,
      Map<String, Filter> segments,
      List<Filter> filters) {}

  @BeforeContainer
  static void noise() {
    FilterDatabase.createWorkspace(NOISE);
    Random random = new Random(7);
    World noise = world(random);
    List<FilterEvaluator.Contact> all = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      all.add(
          new FilterEvaluator.Contact(
              "c" + i,
              "noise" + i + "@example.com",
              "u" + i,
              NOW,
              NOW,
              NOW,
              traits(random),
              Set.copyOf(GROUPS)));
    }
    List<FilterEvaluator.Event> events = new ArrayList<>(noise.events());
    for (int i = 0; i < 15; i++) {
      for (String e : EVENTS) {
        for (int k = 0; k < 4; k++) {
          events.add(new FilterEvaluator.Event("c" + i, e, NOW.minus(Duration.ofDays(k)), null));
        }
      }
    }
    store(NOISE, all, events);
  }

  @Provide
  Arbitrary<World> worlds() {
    return Arbitraries.randomValue(FilterSqlPropertyTests::world);
  }

  @Property(tries = 80, seed = "20261205")
  void compiledSqlSelectsWhatTheReferenceEvaluatorSelects(@ForAll("worlds") World world) {
    String ws = "ws_filter_" + WORKSPACES.incrementAndGet();
    FilterDatabase.createWorkspace(ws);
    store(ws, world.contacts(), world.events());
    SegmentResolver resolver = id -> Optional.ofNullable(world.segments().get(id));
    FilterSql compiler = new FilterSql(CLOCK);
    FilterEvaluator reference = new FilterEvaluator(CLOCK, resolver, world.events());
    for (Filter filter : world.filters()) {
      SqlFragment fragment = compiler.compile(filter, ws, resolver);
      Set<String> actual =
          new TreeSet<>(
              FilterDatabase.jdbc()
                  .queryForList(
                      "select c.id from contacts c where " + fragment.sql(),
                      String.class,
                      fragment.paramArray()));
      Set<String> expected =
          world.contacts().stream()
              .filter(c -> reference.test(filter, c))
              .map(FilterEvaluator.Contact::id)
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(actual).as("filter %s%nsql %s", filter, fragment.sql()).isEqualTo(expected);
    }
  }

  // --- storing a world ---------------------------------------------------------------------

  static void store(
      String ws, List<FilterEvaluator.Contact> contacts, List<FilterEvaluator.Event> events) {
    var jdbc = FilterDatabase.jdbc();
    for (String g : GROUPS) {
      jdbc.update(
          "insert into groups (workspace_id, id, group_id) values (?, ?, ?)", ws, "grp_" + g, g);
    }
    for (FilterEvaluator.Contact c : contacts) {
      jdbc.update(
          "insert into contacts (workspace_id, id, email, user_id, created_at, first_seen_at,"
              + " last_seen_at, traits) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)",
          ws,
          c.id(),
          c.email(),
          c.userId(),
          ts(c.createdAt()),
          ts(c.firstSeenAt()),
          ts(c.lastSeenAt()),
          JSON.writeValueAsString(c.traits()));
      for (String g : c.groups()) {
        jdbc.update(
            "insert into group_memberships (workspace_id, group_id, contact_id) values (?, ?, ?)",
            ws,
            "grp_" + g,
            c.id());
      }
    }
    AtomicInteger n = new AtomicInteger();
    jdbc.batchUpdate(
        "insert into events (workspace_id, id, message_id, type, event, contact_id, properties,"
            + " timestamp, received_at) values (?, ?, ?, 'track', ?, ?, ?::jsonb, ?, ?)",
        events.stream()
            .map(
                e ->
                    new Object[] {
                      ws,
                      "evt_" + n.incrementAndGet(),
                      "m" + n.get(),
                      e.event(),
                      e.contactId(),
                      e.properties() == null ? null : JSON.writeValueAsString(e.properties()),
                      ts(e.timestamp()),
                      ts(NOW)
                    })
            .toList());
  }

  static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  // --- generating a world ------------------------------------------------------------------

  static World world(Random r) {
    List<FilterEvaluator.Contact> contacts = new ArrayList<>();
    int n = r.nextInt(13);
    for (int i = 0; i < n; i++) {
      Set<String> groups = new HashSet<>();
      for (String g : GROUPS) {
        if (r.nextInt(3) == 0) {
          groups.add(g);
        }
      }
      contacts.add(
          new FilterEvaluator.Contact(
              "c" + i,
              r.nextInt(4) == 0 ? null : pick(r, "Ann", "bob", "CAROL") + i + "@Example.com",
              r.nextInt(3) == 0 ? null : "u" + i,
              NOW.minus(Duration.ofHours(r.nextInt(24 * 100))),
              r.nextInt(3) == 0 ? null : NOW.minus(Duration.ofHours(r.nextInt(24 * 60))),
              r.nextInt(3) == 0 ? null : NOW.minus(Duration.ofHours(r.nextInt(24 * 20))),
              traits(r),
              groups));
    }
    List<FilterEvaluator.Event> events = new ArrayList<>();
    if (n > 0) {
      int m = r.nextInt(30);
      for (int i = 0; i < m; i++) {
        ObjectNode props = null;
        if (r.nextInt(4) > 0) {
          props = NODES.objectNode();
          if (r.nextBoolean()) {
            props.set("plan", jsonValue(r));
          }
          if (r.nextBoolean()) {
            props.set("amount", jsonValue(r));
          }
        }
        events.add(
            new FilterEvaluator.Event(
                "c" + r.nextInt(n),
                pick(r, EVENTS.toArray(String[]::new)),
                NOW.minus(Duration.ofHours(r.nextInt(24 * 60))),
                props));
      }
    }
    Map<String, Filter> segments =
        Map.of(
            "seg_a",
            plainLeaf(r),
            "seg_b",
            new Filter.All(List.of(new Filter.SegmentRef("seg_a"), plainLeaf(r))));
    List<Filter> filters = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      filters.add(filter(r, 1));
    }
    return new World(contacts, events, segments, filters);
  }

  static ObjectNode traits(Random r) {
    ObjectNode traits = NODES.objectNode();
    for (String key : List.of("plan", "age", "since", "tags", "flag")) {
      if (r.nextInt(3) > 0) {
        traits.set(key, jsonValue(r));
      }
    }
    if (r.nextBoolean()) {
      ObjectNode address = NODES.objectNode();
      address.set("city", jsonValue(r));
      traits.set("address", address);
    }
    return traits;
  }

  static JsonNode jsonValue(Random r) {
    return switch (r.nextInt(9)) {
      case 0, 1 ->
          NODES.stringNode(
              pick(
                  r,
                  "pro",
                  "free",
                  "Pro",
                  "42",
                  "7",
                  "-1.5",
                  "true",
                  "x'); drop table events;--",
                  "2026-02-20",
                  "2026-02-27T08:00:00Z",
                  "2025-02-30",
                  "pro plan"));
      case 2 -> NODES.numberNode(pick(r, 42, 7, 0, 100, -3));
      case 3 -> NODES.numberNode(new BigDecimal(pick(r, "-1.5", "42.5", "7.25")));
      case 4 -> NODES.booleanNode(r.nextBoolean());
      case 5 -> NODES.nullNode();
      case 6 -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = r.nextInt(3); i > 0; i--) {
          a.add(pick(r, "pro", "x", "42"));
        }
        yield a;
      }
      case 7 -> NODES.objectNode().put("city", "Berlin");
      default -> NODES.stringNode(pick(r, "Berlin", "berlin", "42", "free"));
    };
  }

  // --- generating filters ------------------------------------------------------------------

  static Filter filter(Random r, int depth) {
    if (depth >= 4 || r.nextInt(3) == 0) {
      return leaf(r);
    }
    return switch (r.nextInt(3)) {
      case 0 -> new Filter.All(children(r, depth));
      case 1 -> new Filter.Any(children(r, depth));
      default -> new Filter.Not(filter(r, depth + 1));
    };
  }

  static List<Filter> children(Random r, int depth) {
    List<Filter> list = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      list.add(filter(r, depth + 1));
    }
    return list;
  }

  static Filter leaf(Random r) {
    return switch (r.nextInt(10)) {
      case 0, 1 -> performed(r);
      case 2 -> new Filter.GroupRef(pick(r, "acme", "globex", "grp_acme", "nope"));
      case 3 -> new Filter.SegmentRef(pick(r, "seg_a", "seg_b"));
      default -> condition(r, false);
    };
  }

  static Filter plainLeaf(Random r) {
    Filter leaf = leaf(r);
    return leaf instanceof Filter.SegmentRef ? performed(r) : leaf;
  }

  static Filter.Performed performed(Random r) {
    Op[] ops = {Op.EQ, Op.NEQ, Op.GT, Op.GTE, Op.LT, Op.LTE};
    Filter.Count count =
        r.nextBoolean() ? Filter.Count.AT_LEAST_ONCE : new Filter.Count(pick(r, ops), r.nextInt(4));
    Filter.Window within =
        switch (r.nextInt(4)) {
          case 0 -> new Filter.Window(new DateValue.Relative(Duration.ofDays(-30)), null);
          case 1 ->
              new Filter.Window(
                  new DateValue.Absolute(NOW.minus(Duration.ofDays(40))),
                  new DateValue.Relative(Duration.ofDays(-10)));
          default -> null;
        };
    List<Filter.FieldCondition> where = new ArrayList<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      where.add(condition(r, true));
    }
    return new Filter.Performed(pick(r, EVENTS.toArray(String[]::new)), count, within, where);
  }

  static Filter.FieldCondition condition(Random r, boolean property) {
    FieldRef field;
    if (property) {
      String key = pick(r, "plan", "amount");
      field = new FieldRef("properties." + key, FieldRef.Kind.PROPERTY, List.of(key));
    } else {
      field =
          switch (r.nextInt(9)) {
            case 0 -> new FieldRef("email", FieldRef.Kind.EMAIL, List.of());
            case 1 -> new FieldRef("user_id", FieldRef.Kind.USER_ID, List.of());
            case 2 -> new FieldRef("created_at", FieldRef.Kind.CREATED_AT, List.of());
            case 3 -> new FieldRef("last_seen_at", FieldRef.Kind.LAST_SEEN_AT, List.of());
            case 4 ->
                new FieldRef(
                    "traits.address.city", FieldRef.Kind.TRAIT, List.of("address", "city"));
            default -> {
              String key = pick(r, "plan", "age", "since", "tags", "flag", "missing");
              yield new FieldRef("traits." + key, FieldRef.Kind.TRAIT, List.of(key));
            }
          };
    }
    FieldRef.Type type = field.kind().type();
    List<Op> ops =
        switch (type) {
          case TEXT ->
              List.of(
                  Op.EQ,
                  Op.NEQ,
                  Op.IN,
                  Op.NOT_IN,
                  Op.CONTAINS,
                  Op.STARTS_WITH,
                  Op.ENDS_WITH,
                  Op.EXISTS,
                  Op.NOT_EXISTS);
          case DATE ->
              List.of(Op.EQ, Op.NEQ, Op.GT, Op.GTE, Op.LT, Op.LTE, Op.EXISTS, Op.NOT_EXISTS);
          default -> List.of(Op.values());
        };
    Op op = ops.get(r.nextInt(ops.size()));
    boolean email = field.kind() == FieldRef.Kind.EMAIL;
    Value value;
    if (op.unary()) {
      value = null;
    } else if (type == FieldRef.Type.DATE) {
      value = new Value.Date(date(r));
    } else if (type == FieldRef.Type.TEXT) {
      value =
          op.list()
              ? new Value.ListOf(
                  List.<Value>of(
                      new Value.Text(textFor(r, email)), new Value.Text(textFor(r, email))))
              : new Value.Text(textFor(r, email));
    } else if (op.textMatch()) {
      value = new Value.Text(pick(r, "pro", "Pro", "4", "x", "", "'", "Ber"));
    } else if (op.ordering()) {
      value =
          r.nextBoolean()
              ? new Value.Number(new BigDecimal(pick(r, "0", "7", "42", "-1.5", "50")))
              : new Value.Date(date(r));
    } else if (op.list()) {
      List<Value> values = new ArrayList<>();
      for (int i = 1 + r.nextInt(3); i > 0; i--) {
        values.add(scalar(r));
      }
      value = new Value.ListOf(values);
    } else {
      value = scalar(r);
    }
    return new Filter.FieldCondition(field, op, value);
  }

  static Value scalar(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> new Value.Number(new BigDecimal(pick(r, "42", "7", "0", "-1.5", "42.50")));
      case 1 -> new Value.Bool(r.nextBoolean());
      default ->
          new Value.Text(
              pick(r, "pro", "Pro", "42", "7", "true", "Berlin", "x'); drop table events;--"));
    };
  }

  static String textFor(Random r, boolean email) {
    String s =
        pick(r, "ann", "Ann1@Example.com", "bob2@example.com", "u1", "u", "@example.com", "1");
    return email ? s.toLowerCase(java.util.Locale.ROOT) : s;
  }

  static DateValue date(Random r) {
    return r.nextBoolean()
        ? new DateValue.Relative(Duration.ofDays(-r.nextInt(60)))
        : new DateValue.Absolute(
            pick(r, NOW.minus(Duration.ofDays(10)), Instant.parse("2026-02-20T00:00:00Z")));
  }

  @SafeVarargs
  static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }
}
