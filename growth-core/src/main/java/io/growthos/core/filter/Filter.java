package io.growthos.core.filter;

import java.util.List;
import java.util.Objects;

/**
 * A parsed filter: a tree of boolean nodes over contacts (SPEC §7). Build it with {@link
 * FilterParser#parse}; compile it with {@link FilterSql}.
 */
public sealed interface Filter
    permits Filter.All,
        Filter.Any,
        Filter.Not,
        Filter.FieldCondition,
        Filter.Performed,
        Filter.SegmentRef,
        Filter.GroupRef {

  /** {@code {"all": [...]}}: every child holds; an empty list holds for every contact. */
  record All(List<Filter> filters) implements Filter {
    public All {
      filters = List.copyOf(filters);
    }
  }

  /** {@code {"any": [...]}}: at least one child holds; an empty list holds for no contact. */
  record Any(List<Filter> filters) implements Filter {
    public Any {
      filters = List.copyOf(filters);
    }
  }

  /** {@code {"not": {...}}}. */
  record Not(Filter filter) implements Filter {
    public Not {
      Objects.requireNonNull(filter);
    }
  }

  /**
   * A comparison of a contact field, a trait ({@code traits.<path>}) or, inside {@code where}, an
   * event property ({@code properties.<path>}). {@code value} is null for {@code exists} and {@code
   * not_exists}.
   */
  record FieldCondition(FieldRef field, Op op, Value value) implements Filter {
    public FieldCondition {
      Objects.requireNonNull(field);
      Objects.requireNonNull(op);
    }
  }

  /**
   * Behaviour: the contact performed {@code event} a number of times that satisfies {@code count}
   * within {@code within} (null: all time), counting only events whose properties satisfy every
   * condition of {@code where}.
   */
  record Performed(String event, Count count, Window within, List<FieldCondition> where)
      implements Filter {
    public Performed {
      Objects.requireNonNull(event);
      Objects.requireNonNull(count);
      where = List.copyOf(where);
    }
  }

  /** Membership of another segment: its filter is inlined when compiled. */
  record SegmentRef(String segmentId) implements Filter {
    public SegmentRef {
      Objects.requireNonNull(segmentId);
    }
  }

  /** Membership of a group, named by the group id the SDK sent (or its {@code grp_} id). */
  record GroupRef(String groupId) implements Filter {
    public GroupRef {
      Objects.requireNonNull(groupId);
    }
  }

  /** How often: {@code {"gte": 3}}; the default is {@code gte 1}, {@code eq 0} means "did not". */
  record Count(Op op, long n) {
    public static final Count AT_LEAST_ONCE = new Count(Op.GTE, 1);

    public Count {
      Objects.requireNonNull(op);
      if (!op.countable()) {
        throw new IllegalArgumentException("not a count op: " + op);
      }
      if (n < 0) {
        throw new IllegalArgumentException("negative count");
      }
    }

    /** True when the count holds for a contact that performed the event {@code actual} times. */
    public boolean test(long actual) {
      return switch (op) {
        case EQ -> actual == n;
        case NEQ -> actual != n;
        case GT -> actual > n;
        case GTE -> actual >= n;
        case LT -> actual < n;
        case LTE -> actual <= n;
        default -> throw new IllegalStateException(op.name());
      };
    }
  }

  /** A time range: {@code from} inclusive, {@code to} exclusive; a null end is open. */
  record Window(DateValue from, DateValue to) {}

  /** Every filter in the tree below (and including) {@code root}, depth first. */
  static void walk(Filter root, java.util.function.Consumer<Filter> visitor) {
    visitor.accept(root);
    if (root instanceof All all) {
      all.filters().forEach(f -> walk(f, visitor));
    } else if (root instanceof Any any) {
      any.filters().forEach(f -> walk(f, visitor));
    } else if (root instanceof Not not) {
      walk(not.filter(), visitor);
    }
  }

  /** The ids of the segments this filter refers to directly (not through them). */
  static List<String> segmentRefs(Filter root) {
    List<String> ids = new java.util.ArrayList<>();
    walk(
        root,
        f -> {
          if (f instanceof SegmentRef ref && !ids.contains(ref.segmentId())) {
            ids.add(ref.segmentId());
          }
        });
    return List.copyOf(ids);
  }
}
