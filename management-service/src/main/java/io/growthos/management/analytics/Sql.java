package io.growthos.management.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL text with positional parameters, built in pieces. Values only ever reach the database as bind
 * parameters; lists become PostgreSQL arrays ({@link TextArray}, {@link NumericArray}).
 */
final class Sql {

  /** A list bound as {@code text[]}. */
  record TextArray(List<String> values) {}

  /** A list bound as {@code numeric[]}. */
  record NumericArray(List<java.math.BigDecimal> values) {}

  private final StringBuilder text = new StringBuilder();
  private final List<Object> params = new ArrayList<>();

  Sql append(String sql, Object... values) {
    text.append(sql);
    params.addAll(List.of(values));
    return this;
  }

  Sql append(Sql other) {
    text.append(other.text);
    params.addAll(other.params);
    return this;
  }

  /** Appends a fragment compiled elsewhere (the filter grammar's {@code SqlFragment}). */
  Sql append(String sql, List<Object> values) {
    text.append(sql);
    params.addAll(values);
    return this;
  }

  String text() {
    return text.toString();
  }

  /**
   * This statement with {@code cte} ({@code name as (…)}, its parameters first) as its first common
   * table expression, joining the statement's own {@code with} list when it has one.
   */
  Sql withFirst(Sql cte) {
    String own = text.toString();
    boolean listed = own.startsWith("with ");
    Sql out = new Sql().append("with ").append(cte).append(listed ? ", " : " ");
    out.text.append(own, listed ? "with ".length() : 0, own.length());
    out.params.addAll(params);
    return out;
  }

  List<Object> params() {
    return params;
  }

  PreparedStatement prepare(Connection c) throws SQLException {
    PreparedStatement ps = c.prepareStatement(text.toString());
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p instanceof Instant t) {
        ps.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
      } else if (p instanceof TextArray a) {
        ps.setArray(i + 1, c.createArrayOf("text", a.values().toArray()));
      } else if (p instanceof NumericArray a) {
        ps.setArray(i + 1, c.createArrayOf("numeric", a.values().toArray()));
      } else {
        ps.setObject(i + 1, p);
      }
    }
    return ps;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
