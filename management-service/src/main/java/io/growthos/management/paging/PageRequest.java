package io.growthos.management.paging;

import io.growthos.model.errors.ApiException;

/**
 * A keyset page request: at most {@code limit} rows with ids below {@code beforeId} (null for the
 * first page), newest first.
 */
public record PageRequest(int limit, String beforeId) {

  public static final int DEFAULT_LIMIT = 25;
  public static final int MAX_LIMIT = 100;

  /** Checks {@code limit} (1 to 100, SPEC §4). */
  public static int checkLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.invalid(
          "limit",
          "out_of_range",
          "Parameter 'limit' must be between 1 and " + MAX_LIMIT + "; got " + limit + ".");
    }
    return limit;
  }
}
