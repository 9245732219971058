package io.growthos.core.filter;

import java.util.List;

/**
 * A piece of SQL with its positional ({@code ?}) bind parameters, in order. Parameters are {@code
 * String}, {@code Long}, {@code java.time.OffsetDateTime} or {@code String[]} (bound as {@code
 * text[]}; PgJDBC's {@code setObject} takes it).
 */
public record SqlFragment(String sql, List<Object> params) {

  public SqlFragment {
    params = List.copyOf(params);
  }

  /** The parameters as an array, for {@code JdbcTemplate}/{@code JdbcClient}. */
  public Object[] paramArray() {
    return params.toArray();
  }
}
