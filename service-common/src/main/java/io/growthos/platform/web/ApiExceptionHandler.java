package io.growthos.platform.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.errors.ErrorEnvelope;
import io.growthos.platform.ratelimit.RateLimitGate;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where exceptions become responses (STYLE §3): every error leaves as the envelope of
 * SPEC §2 with a stable code and, where a field is at fault, its path in {@code details}.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private final ErrorResponses responses;

  public ApiExceptionHandler(ErrorResponses responses) {
    this.responses = responses;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ErrorEnvelope> api(ApiException e, HttpServletRequest request) {
    if (e.status() >= 500 && !(e instanceof RateLimitGate.Unavailable)) {
      log.error("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }
    return responses.entity(e, request);
  }

  @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
  ResponseEntity<ErrorEnvelope> unknownRoute(Exception e, HttpServletRequest request) {
    return responses.entity(Errors.unknownRoute(request), request);
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorEnvelope> methodNotAllowed(
      HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    String allowed =
        e.getSupportedHttpMethods() == null
            ? ""
            : e.getSupportedHttpMethods().stream()
                .map(Object::toString)
                .collect(Collectors.joining(", "));
    return responses.entity(
        new ApiException(
            ErrorCode.METHOD_NOT_ALLOWED,
            "Method " + e.getMethod() + " is not allowed on " + request.getRequestURI() + ".",
            List.of(ErrorDetail.of("method", "not_allowed", "Allowed: " + allowed + ".")),
            allowed.isEmpty() ? Map.of() : Map.of("Allow", allowed)),
        request);
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorEnvelope> unsupportedMediaType(
      HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
    String supported =
        e.getSupportedMediaTypes().stream().map(Object::toString).collect(Collectors.joining(", "));
    return responses.entity(
        new ApiException(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            (e.getContentType() == null
                    ? "The request has no Content-Type"
                    : "Content-Type '" + e.getContentType() + "' is not supported")
                + "; send "
                + supported
                + ".",
            List.of(ErrorDetail.of("Content-Type", "unsupported", "Supported: " + supported))),
        request);
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<ErrorEnvelope> notAcceptable(
      HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
    return responses.entity(
        new ApiException(
            ErrorCode.NOT_ACCEPTABLE,
            "This API answers only application/json.",
            List.of(ErrorDetail.of("Accept", "not_acceptable", "Accept application/json."))),
        request);
  }

  @ExceptionHandler(MaxUploadSizeExceededException.class)
  ResponseEntity<ErrorEnvelope> tooLarge(Exception e, HttpServletRequest request) {
    return responses.entity(Errors.bodyTooLarge(-1), request);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ErrorEnvelope> unreadable(
      HttpMessageNotReadableException e, HttpServletRequest request) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BodySizeLimitFilter.BodyTooLargeException tooLarge) {
        return responses.entity(Errors.bodyTooLarge(tooLarge.limit()), request);
      }
      if (t instanceof ApiException api) {
        return responses.entity(api, request);
      }
    }
    return responses.entity(fromJackson(e.getCause()), request);
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<ErrorEnvelope> invalidBody(
      MethodArgumentNotValidException e, HttpServletRequest request) {
    List<ErrorDetail> details = new ArrayList<>();
    Object target = e.getBindingResult().getTarget();
    for (FieldError fe : e.getBindingResult().getFieldErrors()) {
      String field = responses.wireName(fe.getField());
      details.add(
          ErrorDetail.of(
              field, reasonOf(fe.getCode()), "Field '" + field + "' " + text(fe, target)));
    }
    e.getBindingResult()
        .getGlobalErrors()
        .forEach(
            ge ->
                details.add(
                    ErrorDetail.of(
                        ge.getObjectName(), reasonOf(ge.getCode()), ge.getDefaultMessage())));
    return responses.entity(ApiException.invalid(details), request);
  }

  @ExceptionHandler(HandlerMethodValidationException.class)
  ResponseEntity<ErrorEnvelope> invalidParameters(
      HandlerMethodValidationException e, HttpServletRequest request) {
    List<ErrorDetail> details = new ArrayList<>();
    e.getParameterValidationResults()
        .forEach(
            result -> {
              String name = result.getMethodParameter().getParameterName();
              result
                  .getResolvableErrors()
                  .forEach(
                      err ->
                          details.add(
                              ErrorDetail.of(
                                  name,
                                  reasonOf(err.getCodes() == null ? null : err.getCodes()[0]),
                                  "Parameter '" + name + "' " + err.getDefaultMessage() + ".")));
            });
    return responses.entity(ApiException.invalid(details), request);
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<ErrorEnvelope> missingParameter(
      MissingServletRequestParameterException e, HttpServletRequest request) {
    return responses.entity(
        ApiException.invalid(
            e.getParameterName(),
            "required",
            "Query parameter '" + e.getParameterName() + "' is required."),
        request);
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<ErrorEnvelope> missingHeader(
      MissingRequestHeaderException e, HttpServletRequest request) {
    return responses.entity(
        ApiException.invalid(
            e.getHeaderName(), "required", "Header '" + e.getHeaderName() + "' is required."),
        request);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ErrorEnvelope> typeMismatch(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    String expected = describe(e.getRequiredType());
    return responses.entity(
        ApiException.invalid(
            e.getName(),
            "invalid_type",
            "Parameter '"
                + e.getName()
                + "' must be "
                + expected
                + "; got '"
                + (e.getValue() instanceof String[] values
                    ? String.join("', '", values)
                    : e.getValue())
                + "'."),
        request);
  }

  /** HikariCP's message (without SQLState) for any use of a connection it has closed. */
  private static final String POOL_CONNECTION_CLOSED = "Connection is closed";

  /**
   * The answer to a failure of the database somewhere in {@code e}'s causes, whichever layer
   * wrapped it (Spring's translation, Hibernate, JPA outside a repository, a transaction's commit);
   * null when there is none. Unreachable is a 503 with {@code Retry-After} (the client may retry);
   * text PostgreSQL cannot store (the NUL character) is the client's 400; a race with another
   * request is a 409 the client may retry as it is ({@link #raceWithAnotherRequest}).
   */
  private ResponseEntity<ErrorEnvelope> fromDatabase(Exception e, HttpServletRequest request) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.equals("22021") || state.equals("22P05")) {
          return responses.entity(
              ApiException.invalid(
                  "body", "invalid_character", "Text may not contain the NUL character (\\u0000)."),
              request);
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("53300")) {
          return unavailable(e, request);
        }
        ApiException race = raceWithAnotherRequest(state);
        if (race != null) {
          // The SQLSTATE only: PostgreSQL's message holds the row's values (a unique e-mail).
          log.warn(
              "{} {}: {} (SQLSTATE {})",
              request.getMethod(),
              request.getRequestURI(),
              race.code().code(),
              state);
          return responses.entity(race, request);
        }
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() == null
          && POOL_CONNECTION_CLOSED.equals(sql.getMessage())) {
        // The connection broke during the request (SQLState 08006) and the pool closed it; the
        // rollback on the closed connection then replaced the original error. Still unreachable.
        return unavailable(e, request);
      }
      if (t instanceof DataAccessResourceFailureException
          || t instanceof CannotCreateTransactionException
          || t instanceof SQLTransientConnectionException) {
        return unavailable(e, request);
      }
    }
    return null;
  }

  /**
   * What a request that lost a race with another one gets, by SQLSTATE; null for other states. The
   * handlers check what they can before they write (a referenced resource exists, a unique value is
   * free), so these states mean another request got in between the check and the write: a deadlock
   * ({@code 40P01}), a serialization failure ({@code 40001}), a lock not available ({@code 55P03}),
   * a referenced row deleted meanwhile ({@code 23503}) are 409 {@code concurrent_update} with
   * {@code Retry-After}; a unique value taken meanwhile ({@code 23505}) is 409 {@code
   * duplicate_resource}, as it would have been had the other request come first. The transaction
   * was rolled back, so nothing of this request was kept.
   */
  private static ApiException raceWithAnotherRequest(String state) {
    return switch (state) {
      case "40P01", "40001", "55P03", "23503" ->
          new ApiException(
              ErrorCode.CONCURRENT_UPDATE,
              "Another request changed the same data at the same moment; this one changed nothing."
                  + " Retry it.",
              List.of(
                  ErrorDetail.of(
                      "request", "concurrent_update", "Nothing was changed; retry after 1 s.")),
              Map.of("Retry-After", "1"));
      case "23505" ->
          new ApiException(
              ErrorCode.DUPLICATE_RESOURCE,
              "Another request stored the same unique value at the same moment; this one changed"
                  + " nothing.",
              List.of(
                  ErrorDetail.of(
                      "body", "duplicate", "A resource with the same unique value exists now.")));
      default -> null;
    };
  }

  private ResponseEntity<ErrorEnvelope> unavailable(Exception e, HttpServletRequest request) {
    log.warn(
        "{} {}: database unavailable ({})",
        request.getMethod(),
        request.getRequestURI(),
        e.getMessage());
    return responses.entity(
        new ApiException(
            ErrorCode.SERVICE_UNAVAILABLE,
            "The database is unavailable right now; retry shortly.",
            List.of(ErrorDetail.of("service", "unavailable", "Retry after 1 s.")),
            Map.of("Retry-After", "1")),
        request);
  }

  /**
   * Anything else is a 500, unless {@link #fromDatabase} knows the failure or the client hung up
   * before its answer was written (a timeout on its side, a closed tab): there is no one to answer
   * and nothing went wrong here, so that is a debug line, not an error with its stack trace.
   */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorEnvelope> unexpected(Exception e, HttpServletRequest request) {
    if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
      log.debug(
          "Client went away before the answer to {} {} was written: {}",
          request.getMethod(),
          request.getRequestURI(),
          e.getMessage());
      return null;
    }
    ResponseEntity<ErrorEnvelope> known = fromDatabase(e, request);
    if (known != null) {
      return known;
    }
    log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return responses.entity(Errors.internal(), request);
  }

  /**
   * Maps a Jackson failure to 400 with the path of the offending field; also for a service that
   * binds a tree it read itself.
   */
  public static ApiException fromJackson(Throwable cause) {
    if (cause instanceof UnrecognizedPropertyException u) {
      String field = Errors.jsonPath(u.getPath());
      return ApiException.invalid(
          field, "unknown_field", "Unknown field '" + field + "'; check its spelling.");
    }
    if (cause instanceof InvalidNullException n) {
      // A null where the request type takes none (the Management API's request bodies,
      // RequestBodyNulls): never read as absent, since the client meant something by it.
      String field =
          n.getPath().isEmpty()
              ? (n.getPropertyName() == null ? "body" : n.getPropertyName().getSimpleName())
              : Errors.jsonPath(n.getPath());
      return ApiException.invalid(
          field,
          "invalid_type",
          "Field '"
              + field
              + "' must not be null; omit the field to leave it unchanged (or to take its"
              + " default).");
    }
    if (cause instanceof InvalidFormatException f) {
      String field = Errors.jsonPath(f.getPath());
      Class<?> target = f.getTargetType();
      String message =
          target != null && target.isEnum()
              ? "Field '"
                  + field
                  + "' must be one of: "
                  + Arrays.stream(target.getEnumConstants())
                      .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
                      .collect(Collectors.joining(", "))
                  + "."
              : "Field '" + field + "' must be " + describe(target) + ".";
      // An enum's unknown name is a bad value; anything else here is a value of the wrong type
      // (a number for a string, "2" for an integer).
      return ApiException.invalid(
          field, target != null && target.isEnum() ? "invalid_value" : "invalid_type", message);
    }
    if (cause instanceof MismatchedInputException m
        && Errors.isTrailingContent(m.getOriginalMessage())) {
      // {"a":1}{"a":2}: the body is well formed up to a second value, which is not the wrong type
      // of the first (it was read as "The body must be an object").
      return Errors.malformedJson(m.getOriginalMessage());
    }
    if (cause instanceof MismatchedInputException m && m.getPath().isEmpty()) {
      // e.g. [] or "x" where an object is expected: name the body, never the Java type
      return ApiException.invalid(
          "body", "invalid_type", "The body must be " + describe(m.getTargetType()) + ".");
    }
    if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      String field = Errors.jsonPath(m.getPath());
      return ApiException.invalid(
          field,
          "invalid_type",
          "Field '" + field + "' must be " + describe(m.getTargetType()) + ".");
    }
    if (cause instanceof InputCoercionException range) {
      // Valid JSON: a number too large for its field, such as 1e10 for a count.
      String field = range.getPath().isEmpty() ? "body" : Errors.jsonPath(range.getPath());
      return ApiException.invalid(
          field, "out_of_range", "Field '" + field + "' is out of range" + bounds(range) + ".");
    }
    if (cause instanceof StreamConstraintsException tooLong && Errors.isNumberTooLong(tooLong)) {
      // A number literal of more digits than the parser reads: the rule of a number written out
      // longer than NumberRange allows, named where it stands (until 2026-12-07 "The body could
      // not be read." naming its parent; 1e1000, parsed, already got this answer).
      return Errors.numberTooLong(Errors.parserPath(tooLong));
    }
    if (cause instanceof StreamReadException read) {
      ApiException duplicate = Errors.duplicateKey(read);
      return duplicate != null ? duplicate : Errors.malformedJson(read.getOriginalMessage());
    }
    if (cause instanceof JacksonException databind) {
      // Binding messages name Java types; say where, not what the parser thought.
      return ApiException.invalid(
          Errors.jsonPath(databind.getPath()), "invalid_value", "The body could not be read.");
    }
    return Errors.malformedJson(null);
  }

  /**
   * The bounds of the field a too-large number was given for: its own {@code @Min}/{@code @Max}
   * where the request type declares them ("from 60 to 7776000"), else those of its Java type.
   */
  private static String bounds(InputCoercionException range) {
    java.lang.reflect.Field declared = declaredField(range.getPath());
    if (declared != null) {
      jakarta.validation.constraints.Min min =
          declared.getAnnotation(jakarta.validation.constraints.Min.class);
      jakarta.validation.constraints.Max max =
          declared.getAnnotation(jakarta.validation.constraints.Max.class);
      if (min != null && max != null) {
        return ": it must be an integer from " + min.value() + " to " + max.value();
      }
    }
    Class<?> type = range.getTargetType();
    if (type == Integer.class || type == int.class) {
      return ": it must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
    }
    if (type == Long.class || type == long.class) {
      return ": it must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
    }
    return "";
  }

  /**
   * The Java field a JSON path's last property was read into, when the reader says which type it
   * was reading (its wire name matched ignoring case and underscores: {@code dedupe_window_seconds}
   * is {@code dedupeWindowSeconds}); null when it cannot tell.
   */
  private static java.lang.reflect.Field declaredField(List<JacksonException.Reference> path) {
    if (path.isEmpty()) {
      return null;
    }
    JacksonException.Reference last = path.get(path.size() - 1);
    Object from = last.from();
    String name = last.getPropertyName();
    if (from == null || name == null) {
      return null;
    }
    Class<?> owner = from instanceof Class<?> c ? c : from.getClass();
    String wanted = name.replace("_", "");
    for (java.lang.reflect.Field f : owner.getDeclaredFields()) {
      if (f.getName().equalsIgnoreCase(wanted)) {
        return f;
      }
    }
    return null;
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (java.util.Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
      return "an RFC 3339 timestamp";
    }
    if (type.isEnum()) {
      return "one of " + String.join(", ", enumValues(type));
    }
    return "an object";
  }

  /** An enum's constants as the wire spells them (lower case). */
  private static List<String> enumValues(Class<?> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
        .toList();
  }

  private static String reasonOf(String constraintCode) {
    if (constraintCode == null) {
      return "invalid";
    }
    return switch (constraintCode) {
      case "NotNull", "NotBlank", "NotEmpty" -> "required";
      case "Size", "Min", "Max", "DecimalMin", "DecimalMax", "Positive", "PositiveOrZero" ->
          "out_of_range";
      case "Email" -> "invalid_email";
      case "Pattern" -> "invalid_format";
      default -> "invalid";
    };
  }

  private static String text(FieldError fe, Object target) {
    if (fe.getRejectedValue() == null && "required".equals(reasonOf(fe.getCode()))) {
      // Absent or null: "is required", with the values it takes where the request type says.
      String values = allowedValues(target, fe.getField());
      return values.isEmpty() ? "is required." : "is required: " + values + ".";
    }
    return fe.getDefaultMessage() == null ? "is invalid." : fe.getDefaultMessage() + ".";
  }

  /**
   * The values a top-level field of a request body takes, from its {@code @Schema(allowableValues)}
   * or its enum type ("free, growth or scale"); empty when neither says.
   */
  static String allowedValues(Object target, String field) {
    if (target == null || field.contains(".") || field.contains("[")) {
      return "";
    }
    java.lang.reflect.Field declared;
    try {
      declared = target.getClass().getDeclaredField(field);
    } catch (NoSuchFieldException e) {
      return "";
    }
    List<String> values;
    io.swagger.v3.oas.annotations.media.Schema schema =
        declared.getAnnotation(io.swagger.v3.oas.annotations.media.Schema.class);
    if (schema != null && schema.allowableValues().length > 0) {
      values = List.of(schema.allowableValues());
    } else if (declared.getType().isEnum()) {
      values = enumValues(declared.getType());
    } else {
      return "";
    }
    if (values.size() == 1) {
      return values.get(0);
    }
    return String.join(", ", values.subList(0, values.size() - 1))
        + " or "
        + values.get(values.size() - 1);
  }
}
