package io.growthos.management.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.List;

/**
 * Optimistic concurrency checks shared by every PATCH (SPEC §4): a stale {@code version} in the
 * body is 409 {@code version_conflict}; an {@code If-Match: "<version>"} that does not match is 412
 * {@code precondition_failed} (RFC 9110).
 */
public final class Preconditions {

  private Preconditions() {}

  /** Parses {@code If-Match}; null when absent or {@code *}. */
  public static Integer ifMatchVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
      return null;
    }
    String v = ifMatch.strip();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw ApiException.invalid(
          "If-Match", "invalid_format", "Header 'If-Match' must be a version: \"<integer>\".");
    }
  }

  /**
   * The entity a PATCH changes, read with its row locked until the change commits: concurrent
   * changes without a version are then applied one after the other, and 409 is left for a stale
   * version (checked by {@link #check} on what this returns). 404 naming {@code resource}, with a
   * detail for the request's {@code field} that carried {@code id}, when there is no such row.
   */
  public static <T> T lockedForChange(
      EntityManager em, Class<T> type, Object key, String resource, String id, String field) {
    T entity = em.find(type, key, LockModeType.PESSIMISTIC_WRITE);
    if (entity == null) {
      throw ApiException.notFound(resource, id, field);
    }
    return entity;
  }

  /** Throws unless the resource at {@code current} may be changed by this request. */
  public static void check(int current, Integer ifMatch, Integer bodyVersion) {
    if (ifMatch != null && ifMatch != current) {
      throw new ApiException(
          ErrorCode.PRECONDITION_FAILED,
          "If-Match names version " + ifMatch + " but the resource is at version " + current + ".",
          List.of(
              ErrorDetail.of(
                  "If-Match", "precondition_failed", "Current version is " + current + ".")));
    }
    if (bodyVersion != null && bodyVersion != current) {
      throw versionConflict(current, bodyVersion);
    }
  }

  public static ApiException versionConflict(int current, Integer sent) {
    String message =
        sent == null
            ? "The resource was changed by another request; read it again and retry."
            : "Version "
                + sent
                + " is stale: the resource is at version "
                + current
                + ". Read it again and retry.";
    return new ApiException(
        ErrorCode.VERSION_CONFLICT,
        message,
        List.of(ErrorDetail.of("version", "version_conflict", message)));
  }
}
