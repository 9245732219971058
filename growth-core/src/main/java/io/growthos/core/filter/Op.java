package io.growthos.core.filter;

import java.util.Optional;

/** The comparison operators of the grammar, with their JSON names. */
public enum Op {
  EQ("eq"),
  NEQ("neq"),
  GT("gt"),
  GTE("gte"),
  LT("lt"),
  LTE("lte"),
  IN("in"),
  NOT_IN("not_in"),
  CONTAINS("contains"),
  STARTS_WITH("starts_with"),
  ENDS_WITH("ends_with"),
  EXISTS("exists"),
  NOT_EXISTS("not_exists");

  private final String json;

  Op(String json) {
    this.json = json;
  }

  public String json() {
    return json;
  }

  public static Optional<Op> fromJson(String name) {
    for (Op op : values()) {
      if (op.json.equals(name)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  /** Ops that order values: they take a number or a date. */
  public boolean ordering() {
    return this == GT || this == GTE || this == LT || this == LTE;
  }

  /** Ops that take no value. */
  public boolean unary() {
    return this == EXISTS || this == NOT_EXISTS;
  }

  /** Ops that take a list. */
  public boolean list() {
    return this == IN || this == NOT_IN;
  }

  /** Ops that match inside strings. */
  public boolean textMatch() {
    return this == CONTAINS || this == STARTS_WITH || this == ENDS_WITH;
  }

  /** Ops allowed in a behaviour leaf's {@code count}. */
  public boolean countable() {
    return this == EQ || this == NEQ || ordering();
  }
}
