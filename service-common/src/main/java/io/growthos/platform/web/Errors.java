package io.growthos.platform.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.values.NumberRange;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;

/** Factories for the errors of the web layer that both services raise alike. */
public final class Errors {

  private Errors() {}

  public static ApiException unknownRoute(HttpServletRequest request) {
    return unknownRoute(request.getMethod(), request.getRequestURI());
  }

  /**
   * Whether the parser refused a number literal for its length (more characters than its {@code
   * maxNumberLength}), rather than for another of its limits: the one reading of Jackson's message
   * for both services.
   */
  public static boolean isNumberTooLong(StreamConstraintsException e) {
    return String.valueOf(e.getOriginalMessage()).startsWith("Number value length");
  }

  /** Whether the parser refused a document for nesting deeper than its {@code maxNestingDepth}. */
  public static boolean isNestingTooDeep(StreamConstraintsException e) {
    return String.valueOf(e.getOriginalMessage()).contains("nesting depth");
  }

  /**
   * 400 {@code out_of_range} naming {@code field}, a number literal longer than {@link
   * NumberRange#MAX_CHARS}: the answer to a number beyond that bound, whichever reader found it.
   */
  public static ApiException numberTooLong(String field) {
    ErrorDetail detail = NumberRange.outOfRange(field);
    return new ApiException(ErrorCode.VALIDATION_ERROR, detail.message(), List.of(detail));
  }

  /** The 404 of a request {@code method path} that no route matches. */
  /**
   * 403 for scopes a key lacks: {@code message} says what needs them, and each scope is a detail
   * {@code {field: "scope", reason: "missing_scope", message: <scope>}}, whether the route needs it
   * (the request pipeline) or what the request asks for does (an analytics breakdown by trait).
   */
  public static ApiException missingScopes(String message, List<String> scopes) {
    return new ApiException(
        ErrorCode.FORBIDDEN,
        message,
        scopes.stream().map(s -> ErrorDetail.of("scope", "missing_scope", s)).toList());
  }

  public static ApiException unknownRoute(String method, String path) {
    return new ApiException(
        ErrorCode.NOT_FOUND,
        "Unknown route: " + method + " " + path + ".",
        List.of(ErrorDetail.of("path", "unknown_route", "No route matches " + path + ".")));
  }

  /**
   * The one value of header {@code name} ({@code values}: each of the request's, in order), or null
   * when there is none.
   *
   * @throws ApiException 400 {@code duplicate_header} naming it when there are several: which one
   *     the client meant cannot be known, and taking the first lets the order of two headers decide
   *     ({@code Authorization}: the workspace written to; {@code Idempotency-Key}: whether a retry
   *     runs again). Nothing runs.
   */
  public static String singleHeader(String name, List<String> values) {
    if (values.size() > 1) {
      String message = "Send one " + name + " header; this request has " + values.size() + ".";
      throw new ApiException(
          ErrorCode.VALIDATION_ERROR,
          message,
          List.of(ErrorDetail.of(name, "duplicate_header", message)));
    }
    return values.isEmpty() ? null : values.get(0);
  }

  /** Longest field path a {@link #tooDeep} answer names; a deeper one is cut, ending in "…". */
  private static final int MAX_DEEP_PATH = 300;

  /**
   * 400 {@code too_deep} naming {@code field}, where a body nests deeper than {@code maxDepth}
   * levels (both services: {@code JsonNesting}); {@code body} when the value nested too deep is the
   * body itself (an array at the root). The path is cut to {@value #MAX_DEEP_PATH} characters: a
   * 100-level path of long keys would otherwise fill the answer.
   */
  public static ApiException tooDeep(String field, int maxDepth) {
    String named =
        field.startsWith("[")
            ? "body"
            : field.length() <= MAX_DEEP_PATH ? field : field.substring(0, MAX_DEEP_PATH) + "…";
    return ApiException.invalid(
        named,
        "too_deep",
        "The JSON is nested deeper than " + maxDepth + " levels at '" + named + "'.");
  }

  public static ApiException malformedJson(String parserMessage) {
    String reason = parserMessage == null ? null : parserReason(parserMessage);
    String why = reason == null ? "" : " (" + reason + ")";
    return new ApiException(
        ErrorCode.INVALID_JSON,
        "The request body is not valid JSON" + why + ".",
        List.of(ErrorDetail.of("body", "invalid_json", "Send one well-formed JSON value.")));
  }

  /**
   * 400 for a body that could not be read to its end: shorter than its Content-Length (the client's
   * connection dropped mid-upload) or with broken chunked framing.
   */
  public static ApiException unreadableBody() {
    return new ApiException(
        ErrorCode.INVALID_JSON,
        "The request body could not be read to its end: it is shorter than its Content-Length, or"
            + " its chunked encoding is broken. Send the whole body again.",
        List.of(
            ErrorDetail.of(
                "body", "incomplete", "The body ended early or is not properly chunked.")));
  }

  /**
   * 415 for a body in a Content-Encoding the route does not decode, naming the header: read as it
   * is, a gzip body was a misleading "not UTF-8" 400, and a plain body labelled {@code br} was
   * taken as if unlabelled. {@code supported} is the one coding the route decodes, or null for none
   * (identity only).
   */
  public static ApiException unsupportedContentEncoding(String encoding, String supported) {
    return new ApiException(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "Content-Encoding '"
            + encoding
            + "' is not supported; send "
            + (supported == null ? "the body unencoded." : supported + " or no encoding."),
        List.of(
            ErrorDetail.of(
                "Content-Encoding",
                "unsupported",
                supported == null
                    ? "Send no Content-Encoding."
                    : "Supported: " + supported + ".")));
  }

  /** Whether {@code encoding} (a Content-Encoding header, maybe null) says the body is as sent. */
  public static boolean isIdentityEncoding(String encoding) {
    return encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity");
  }

  /** 413; {@code limitBytes} below zero when the limit is not known here. */
  public static ApiException bodyTooLarge(long limitBytes) {
    String limit = limitBytes < 0 ? "" : " of " + limitBytes + " bytes";
    return new ApiException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "The request body is larger than the limit" + limit + ".",
        List.of(ErrorDetail.of("body", "too_large", "Send a smaller body" + limit + ".")));
  }

  public static ApiException internal() {
    return new ApiException(
        ErrorCode.INTERNAL_ERROR,
        "Something went wrong on our side. It is safe to retry; quote the request id if it"
            + " persists.");
  }

  /**
   * Jackson's message, with {@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}, for a key given
   * twice.
   */
  private static final String DUPLICATE_KEY = "Duplicate Object property";

  /**
   * 400 {@code duplicate_key} naming the key's path when {@code e} is the parser's refusal of a key
   * given twice in one object (both services read JSON with STRICT_DUPLICATE_DETECTION: which of
   * two values a client meant cannot be known); null for any other failure.
   */
  public static ApiException duplicateKey(JacksonException e) {
    String message = e.getOriginalMessage();
    if (!(e instanceof StreamReadException)
        || message == null
        || !message.startsWith(DUPLICATE_KEY)) {
      return null;
    }
    String field = parserPath(e);
    return ApiException.invalid(
        field,
        "duplicate_key",
        "Field '" + field + "' appears twice in the same object; send each key once.");
  }

  /**
   * The path where the parser that raised {@code e} stopped, as {@code batch[3].properties.a};
   * {@code body} at the top or when {@code e} came from no parser. Unlike {@link #jsonPath} it
   * needs no binding: it names the place in the text, also for a failure of the parser itself.
   */
  public static String parserPath(JacksonException e) {
    if (!(e.processor() instanceof JsonParser parser)) {
      return "body";
    }
    return parserPath(parser);
  }

  /** The path where {@code parser} stands, as {@link #parserPath(JacksonException)} names it. */
  public static String parserPath(JsonParser parser) {
    ArrayDeque<String> parts = new ArrayDeque<>();
    for (TokenStreamContext ctx = parser.streamReadContext();
        ctx != null && !ctx.inRoot();
        ctx = ctx.getParent()) {
      if (ctx.inArray()) {
        parts.push("[" + Math.max(0, ctx.getCurrentIndex()) + "]");
      } else if (ctx.currentName() != null) {
        parts.push("." + ctx.currentName());
      }
    }
    String out = String.join("", parts);
    if (out.startsWith(".")) {
      out = out.substring(1);
    }
    return out.isEmpty() ? "body" : out;
  }

  /** A JSON path such as {@code batch[3].event} from a Jackson reference chain. */
  public static String jsonPath(Collection<JacksonException.Reference> path) {
    StringBuilder out = new StringBuilder();
    for (JacksonException.Reference ref : path) {
      if (ref.getPropertyName() != null) {
        if (!out.isEmpty()) {
          out.append('.');
        }
        out.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.isEmpty() ? "body" : out.toString();
  }

  /**
   * What the parser said is wrong, for the client, or null: never a Java type or a parser feature
   * (Jackson names {@code tools.jackson.databind.JsonNode} and {@code
   * DeserializationFeature.FAIL_ON_TRAILING_TOKENS} for a second value after the first, and its
   * source-location switch for a body that ends early). Anything still naming one is left out.
   */
  static String parserReason(String parserMessage) {
    String line = firstLine(parserMessage);
    if (isTrailingContent(line)) {
      return "more content follows the JSON value";
    }
    int source = line.indexOf("[Source:");
    if (source >= 0) {
      line = line.substring(0, source).replaceAll("\\s*\\(?(start marker )?at\\s*$", "");
    }
    line = line.strip();
    if (line.isEmpty()
        || line.contains("`")
        || line.contains("jackson")
        || line.contains("Feature")
        || line.contains("java.")) {
      return null;
    }
    return line;
  }

  /**
   * Whether Jackson's {@code message} is its refusal of a second value after the body's first
   * ({@code FAIL_ON_TRAILING_TOKENS}): invalid JSON, not a value of the wrong type.
   */
  static boolean isTrailingContent(String message) {
    return message != null && message.startsWith("Trailing token");
  }

  private static String firstLine(String message) {
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
