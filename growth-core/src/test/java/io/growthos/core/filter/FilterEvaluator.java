package io.growthos.core.filter;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The filter semantics written out plainly in Java, row by row, as the reference the compiled SQL
 * is checked against. It follows the rules documented on {@link FilterSql}.
 */
final class FilterEvaluator {

  record Contact(
      String id,
      String email,
      String userId,
      Instant createdAt,
      Instant firstSeenAt,
      Instant lastSeenAt,
      JsonNode traits,
      Set<String> groups) {}

  record Event(String contactId, String event, Instant timestamp, JsonNode properties) {}

  private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,100}(\\.[0-9]{1,100})?");
  private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern TIME =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[-+][0-9]{2}:[0-9]{2})");

  private final Clock clock;
  private final SegmentResolver segments;
  private final List<Event> events;
  private final Deque<String> inlining = new ArrayDeque<>();

  FilterEvaluator(Clock clock, SegmentResolver segments, List<Event> events) {
    this.clock = clock;
    this.segments = segments;
    this.events = events;
  }

  boolean test(Filter filter, Contact c) {
    if (filter instanceof Filter.All all) {
      return all.filters().stream().allMatch(f -> test(f, c));
    }
    if (filter instanceof Filter.Any any) {
      return any.filters().stream().anyMatch(f -> test(f, c));
    }
    if (filter instanceof Filter.Not not) {
      return !test(not.filter(), c);
    }
    if (filter instanceof Filter.FieldCondition fc) {
      return condition(fc, c, c.traits());
    }
    if (filter instanceof Filter.Performed p) {
      long n =
          events.stream()
              .filter(e -> e.contactId().equals(c.id()) && e.event().equals(p.event()))
              .filter(e -> inWindow(p.within(), e.timestamp()))
              .filter(e -> p.where().stream().allMatch(w -> condition(w, c, e.properties())))
              .count();
      return p.count().test(n);
    }
    if (filter instanceof Filter.SegmentRef ref) {
      if (inlining.contains(ref.segmentId())) {
        throw new IllegalStateException("cycle");
      }
      inlining.push(ref.segmentId());
      boolean result = test(segments.resolve(ref.segmentId()).orElseThrow(), c);
      inlining.pop();
      return result;
    }
    if (filter instanceof Filter.GroupRef g) {
      // the test stores each group with internal id "grp_" + its group id
      String id = g.groupId();
      return c.groups().contains(id)
          || id.startsWith("grp_") && c.groups().contains(id.substring(4));
    }
    throw new IllegalStateException();
  }

  private boolean inWindow(Filter.Window w, Instant t) {
    if (w == null) {
      return true;
    }
    if (w.from() != null && t.isBefore(w.from().resolve(clock))) {
      return false;
    }
    return w.to() == null || t.isBefore(w.to().resolve(clock));
  }

  private boolean condition(Filter.FieldCondition fc, Contact c, JsonNode json) {
    Op op = fc.op();
    switch (fc.field().kind()) {
      case EMAIL:
        return text(op, lower(c.email()), lower(fc.value()));
      case USER_ID:
        return text(op, c.userId(), fc.value());
      case CREATED_AT:
        return date(op, c.createdAt(), fc.value());
      case FIRST_SEEN_AT:
        return date(op, c.firstSeenAt(), fc.value());
      case LAST_SEEN_AT:
        return date(op, c.lastSeenAt(), fc.value());
      default:
        return json(op, at(json, fc.field().path()), fc.value());
    }
  }

  private static String lower(String email) {
    return email == null ? null : email.toLowerCase(Locale.ROOT);
  }

  /** The filter's email values, lower-cased as the SQL does (ASCII here: Java's rules agree). */
  private static Value lower(Value value) {
    if (value instanceof Value.Text t) {
      return new Value.Text(lower(t.value()));
    }
    if (value instanceof Value.ListOf l) {
      return new Value.ListOf(l.values().stream().map(FilterEvaluator::lower).toList());
    }
    return value;
  }

  private static JsonNode at(JsonNode root, List<String> path) {
    JsonNode node = root;
    for (String segment : path) {
      if (node == null || !node.isObject()) {
        return null;
      }
      node = node.get(segment);
    }
    return node;
  }

  private static boolean text(Op op, String actual, Value value) {
    switch (op) {
      case EXISTS:
        return actual != null;
      case NOT_EXISTS:
        return actual == null;
      case NEQ:
        return !text(Op.EQ, actual, value);
      case NOT_IN:
        return !text(Op.IN, actual, value);
      default:
        break;
    }
    if (actual == null) {
      return false;
    }
    return switch (op) {
      case EQ -> actual.equals(((Value.Text) value).value());
      case IN ->
          ((Value.ListOf) value)
              .values().stream().anyMatch(v -> actual.equals(((Value.Text) v).value()));
      case CONTAINS -> actual.contains(((Value.Text) value).value());
      case STARTS_WITH -> actual.startsWith(((Value.Text) value).value());
      case ENDS_WITH -> actual.endsWith(((Value.Text) value).value());
      default -> throw new IllegalStateException(op.name());
    };
  }

  private boolean date(Op op, Instant actual, Value value) {
    switch (op) {
      case EXISTS:
        return actual != null;
      case NOT_EXISTS:
        return actual == null;
      case NEQ:
        return !date(Op.EQ, actual, value);
      default:
        break;
    }
    if (actual == null) {
      return false;
    }
    return compare(op, actual.compareTo(((Value.Date) value).value().resolve(clock)));
  }

  private static boolean compare(Op op, int cmp) {
    return switch (op) {
      case EQ -> cmp == 0;
      case GT -> cmp > 0;
      case GTE -> cmp >= 0;
      case LT -> cmp < 0;
      case LTE -> cmp <= 0;
      default -> throw new IllegalStateException(op.name());
    };
  }

  private boolean json(Op op, JsonNode actual, Value value) {
    switch (op) {
      case EXISTS:
        return actual != null && !actual.isNull();
      case NOT_EXISTS:
        return !json(Op.EXISTS, actual, value);
      case NEQ:
        return !json(Op.EQ, actual, value);
      case NOT_IN:
        return !json(Op.IN, actual, value);
      default:
        break;
    }
    if (actual == null) {
      return false;
    }
    switch (op) {
      case IN:
        return ((Value.ListOf) value).values().stream().anyMatch(v -> json(Op.EQ, actual, v));
      case CONTAINS:
        {
          String s = ((Value.Text) value).value();
          if (actual.isString()) {
            return actual.stringValue().contains(s);
          }
          if (actual.isArray()) {
            return actual.values().stream()
                .anyMatch(e -> e.isString() && e.stringValue().equals(s));
          }
          return false;
        }
      case STARTS_WITH:
        return actual.isString() && actual.stringValue().startsWith(((Value.Text) value).value());
      case ENDS_WITH:
        return actual.isString() && actual.stringValue().endsWith(((Value.Text) value).value());
      default:
        break;
    }
    if (value instanceof Value.Number n) {
      BigDecimal a = numeric(actual);
      return a != null && compare(op, a.compareTo(n.value()));
    }
    if (value instanceof Value.Date d) {
      Instant a = timestamp(actual);
      return a != null && compare(op, a.compareTo(d.value().resolve(clock)));
    }
    String a = text(actual);
    String v =
        value instanceof Value.Bool b ? Boolean.toString(b.value()) : ((Value.Text) value).value();
    return a != null && op == Op.EQ && a.equals(v);
  }

  static BigDecimal numeric(JsonNode node) {
    if (node.isNumber()) {
      return new BigDecimal(node.asString());
    }
    if (node.isString() && NUMBER.matcher(node.stringValue()).matches()) {
      return new BigDecimal(node.stringValue());
    }
    return null;
  }

  static String text(JsonNode node) {
    if (node.isString()) {
      return node.stringValue();
    }
    if (node.isNumber() || node.isBoolean()) {
      return node.asString();
    }
    return null;
  }

  static Instant timestamp(JsonNode node) {
    if (!node.isString()) {
      return null;
    }
    String s = node.stringValue();
    if (s.startsWith("0000")) {
      return null; // years from 0001, as every date of the API (PostgreSQL has no year 0)
    }
    try {
      if (DAY.matcher(s).matches()) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      if (TIME.matcher(s).matches()) {
        return OffsetDateTime.parse(s.toUpperCase(Locale.ROOT)).toInstant();
      }
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
    return null;
  }
}
