package io.growthos.model.errors;

import java.util.List;
import java.util.Map;

/**
 * A failure that the client should see as an error envelope. Services throw it; each app's single
 * error handler renders it. The message is for humans and must not contain internals.
 */
public class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient List<ErrorDetail> details;
  private final transient Map<String, String> headers;

  /** The challenge of every 401 (both APIs also take a key as HTTP Basic's username). */
  public static final String WWW_AUTHENTICATE = "Bearer realm=\"GrowthOS\"";

  public ApiException(ErrorCode code, String message) {
    this(code, message, List.of(), Map.of());
  }

  public ApiException(ErrorCode code, String message, List<ErrorDetail> details) {
    this(code, message, details, Map.of());
  }

  public ApiException(
      ErrorCode code, String message, List<ErrorDetail> details, Map<String, String> headers) {
    super(message, null, false, false);
    this.code = code;
    this.details = details == null ? List.of() : List.copyOf(details);
    Map<String, String> all = new java.util.LinkedHashMap<>();
    if (code == ErrorCode.UNAUTHORIZED) {
      // RFC 9110 §11.6.1: a 401 names the scheme to authenticate with. Bearer only: a Basic
      // challenge would make a browser prompt for a password. Until 2026-12-07 no 401 had it.
      all.put("WWW-Authenticate", WWW_AUTHENTICATE);
    }
    if (headers != null) {
      all.putAll(headers);
    }
    this.headers = Map.copyOf(all);
  }

  public ErrorCode code() {
    return code;
  }

  public int status() {
    return code.status();
  }

  public List<ErrorDetail> details() {
    return details;
  }

  /** Extra response headers, such as {@code Retry-After}. */
  public Map<String, String> headers() {
    return headers;
  }

  public ApiError toApiError() {
    return new ApiError(code.code(), getMessage(), details);
  }

  /**
   * 404 for an id that does not exist in the caller's workspace (or exists in another), naming the
   * request's {@code field} that carried it: the path variable as the OpenAPI document spells it
   * ({@code id}, {@code pid}, {@code delivery_id}, …), or the body or query field. There is no
   * variant without a field: every 4xx names the field at fault.
   */
  public static ApiException notFound(String resource, String id, String field) {
    return new ApiException(
        ErrorCode.NOT_FOUND,
        "No such " + resource + ": '" + id + "'.",
        List.of(ErrorDetail.of(field, "not_found", "No " + resource + " has this " + field + ".")));
  }

  /** 400 naming one bad field. */
  public static ApiException invalid(String field, String reason, String message) {
    return new ApiException(
        ErrorCode.VALIDATION_ERROR, message, List.of(ErrorDetail.of(field, reason, message)));
  }

  /** 400 naming several bad fields; the message summarises the first. */
  public static ApiException invalid(List<ErrorDetail> details) {
    String message =
        details.size() == 1
            ? details.get(0).message()
            : "The request has " + details.size() + " invalid fields; see details.";
    return new ApiException(ErrorCode.VALIDATION_ERROR, message, details);
  }

  /**
   * 400 for {@code total} problems of which {@code first} were kept (at most {@link
   * ApiError#MAX_DETAILS}): a last detail says how many more were left out, as every capped list of
   * details does.
   */
  public static ApiException invalid(List<ErrorDetail> first, long total) {
    if (total <= first.size()) {
      return invalid(first);
    }
    List<ErrorDetail> details = new java.util.ArrayList<>(first);
    details.add(ApiError.omitted(total - first.size()));
    return new ApiException(
        ErrorCode.VALIDATION_ERROR,
        "The request has " + total + " invalid fields; see details.",
        details);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(ErrorCode.UNAUTHORIZED, message);
  }
}
