package io.growthos.model.values;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The one way JDBC code passes an {@link Instant} to and from a {@code timestamptz} column: as an
 * {@link OffsetDateTime} in UTC, which pgjdbc writes and reads with {@code java.time}, in the
 * proleptic Gregorian calendar PostgreSQL uses too. {@code java.sql.Timestamp} converts with the
 * hybrid Julian/Gregorian calendar instead, so an instant before 1582-10-15 would be stored or read
 * days off (1000-06-15 read back as 1000-06-21), while {@link TimestampRange} accepts years from
 * 0001. JPA entities get the same conversion from {@code
 * hibernate.type.preferred_instant_jdbc_type: TIMESTAMP_WITH_TIMEZONE} in both services'
 * application.yml.
 */
public final class SqlInstants {

  private SqlInstants() {}

  /** {@code t} as a statement parameter for a {@code timestamptz}; null stays null. */
  public static OffsetDateTime param(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  /** The {@code timestamptz} at {@code column} (1-based), or null when it is SQL NULL. */
  public static Instant get(ResultSet rs, int column) throws SQLException {
    return instant(rs.getObject(column, OffsetDateTime.class));
  }

  /** The {@code timestamptz} column {@code column}, or null when it is SQL NULL. */
  public static Instant get(ResultSet rs, String column) throws SQLException {
    return instant(rs.getObject(column, OffsetDateTime.class));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
