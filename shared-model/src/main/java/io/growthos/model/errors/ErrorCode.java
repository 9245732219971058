package io.growthos.model.errors;

/**
 * The stable machine codes of the error envelope, with the HTTP status each one is sent with.
 * Clients switch on the code; the status follows SPEC §2.
 */
public enum ErrorCode {
  INVALID_JSON(400, "invalid_json"),
  VALIDATION_ERROR(400, "validation_error"),
  INVALID_CURSOR(400, "invalid_cursor"),
  UNAUTHORIZED(401, "unauthorized"),
  FORBIDDEN(403, "forbidden"),
  NOT_FOUND(404, "not_found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed"),
  NOT_ACCEPTABLE(406, "not_acceptable"),
  VERSION_CONFLICT(409, "version_conflict"),
  DUPLICATE_RESOURCE(409, "duplicate_resource"),
  IDEMPOTENCY_KEY_IN_USE(409, "idempotency_key_in_use"),
  /**
   * Another request changed the same rows at the same moment (a deadlock, a serialization failure,
   * a row deleted meanwhile); this one changed nothing and may be retried as it is.
   */
  CONCURRENT_UPDATE(409, "concurrent_update"),
  PRECONDITION_FAILED(412, "precondition_failed"),
  PAYLOAD_TOO_LARGE(413, "payload_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
  IDEMPOTENCY_KEY_REUSED(422, "idempotency_key_reused"),
  UNPROCESSABLE(422, "unprocessable_entity"),
  RATE_LIMITED(429, "rate_limited"),
  INTERNAL_ERROR(500, "internal_error"),
  SERVICE_UNAVAILABLE(503, "service_unavailable"),
  /** The service holds as many requests in memory as it may; retry after Retry-After. */
  OVERLOADED(503, "overloaded"),
  /** A read query ran past the configured statement timeout and was cancelled. */
  QUERY_TIMEOUT(503, "query_timeout");

  private final int status;
  private final String code;

  ErrorCode(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
