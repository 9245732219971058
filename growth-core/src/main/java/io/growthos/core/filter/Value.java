package io.growthos.core.filter;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** A value a condition compares with, typed when parsed. */
public sealed interface Value {

  /** A string. Compared case-sensitively (except with {@code email}). */
  record Text(String value) implements Value {
    public Text {
      Objects.requireNonNull(value);
    }
  }

  /** A JSON number, compared numerically. */
  record Number(BigDecimal value) implements Value {
    public Number {
      Objects.requireNonNull(value);
    }
  }

  /** {@code true} or {@code false}. */
  record Bool(boolean value) implements Value {}

  /** An instant, absolute or relative to the compiling clock. */
  record Date(DateValue value) implements Value {
    public Date {
      Objects.requireNonNull(value);
    }
  }

  /** The list of {@code in}/{@code not_in}: texts, numbers and booleans. */
  record ListOf(List<Value> values) implements Value {
    public ListOf {
      values = List.copyOf(values);
    }
  }
}
