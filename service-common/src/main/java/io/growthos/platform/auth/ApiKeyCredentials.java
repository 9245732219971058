package io.growthos.platform.auth;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.platform.web.Errors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The one parser of the key a request presents, for both services (SPEC §2, §3):
 *
 * <ol>
 *   <li>{@code Authorization: Bearer <key>};
 *   <li>{@code Authorization: Basic base64(<key>:)} — the key is the username, the password empty
 *       and ignored, the colon optional (Segment and RudderStack server SDKs);
 *   <li>on routes that allow it (the Ingest API), the {@code writeKey} member of the JSON body
 *       (analytics.js, {@code sendBeacon}). With a key in the header too, the body's must be the
 *       same key ({@link #requireBodyKeyAgrees}); a {@code writeKey} that is no string is a 400.
 * </ol>
 *
 * A request with more than one {@code Authorization} header is refused, never resolved by order.
 *
 * <p>Pure string work, no I/O: whether the key is valid is {@link KeyAuthenticator}'s business.
 */
public final class ApiKeyCredentials {

  /** The header the key travels in. */
  public static final String HEADER = "Authorization";

  /** The body member analytics.js puts the write key in. */
  public static final String BODY_FIELD = "writeKey";

  private ApiKeyCredentials() {}

  /**
   * The key of a request's {@code Authorization} headers ({@code values}: each of them, in order),
   * or empty when there is none.
   *
   * @throws ApiException 400 {@code duplicate_header} when there is more than one: which of two
   *     keys the client meant cannot be known, and taking the first let the order of two headers
   *     choose the workspace written to
   */
  public static Optional<String> fromAuthorizationHeaders(List<String> values) {
    return fromAuthorization(Errors.singleHeader(HEADER, values));
  }

  /**
   * The key of an {@code Authorization} header value, or empty when there is none.
   *
   * @throws ApiException 401 {@code malformed} when a header is present but carries no key in the
   *     Basic or Bearer scheme: a client that sends one wants to authenticate, and silently falling
   *     back to another credential would hide its bug
   */
  public static Optional<String> fromAuthorization(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.strip();
    int space = value.indexOf(' ');
    String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
    String credentials = space < 0 ? "" : value.substring(space + 1).strip();
    if (scheme.equals("bearer") && !credentials.isEmpty()) {
      return Optional.of(credentials);
    }
    if (scheme.equals("basic") && !credentials.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw malformed("The Basic credentials are not valid base64.");
      }
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? decoded : decoded.substring(0, colon);
      if (user.isEmpty()) {
        throw malformed("The Basic credentials carry no username; the key is the username.");
      }
      return Optional.of(user);
    }
    throw malformed(
        "Send the key as 'Authorization: Bearer <key>' or 'Authorization: Basic base64(<key>:)'.");
  }

  /**
   * The {@code writeKey} member of a parsed body, when it is a non-blank string; empty when it is
   * absent, {@code null} or blank.
   *
   * @throws ApiException 400 {@code invalid_type} naming {@code writeKey} when it is anything else
   *     (a number, an object, an array, a boolean): a client that sends one means a key, and
   *     ignoring it (with a key in the header) or calling the key missing (without) hid its bug
   */
  public static Optional<String> fromBody(JsonNode body) {
    return fromBody(body, "");
  }

  /** {@link #fromBody} of an object inside a body, its field named {@code prefix + "writeKey"}. */
  private static Optional<String> fromBody(JsonNode body, String prefix) {
    JsonNode key = body == null ? null : body.get(BODY_FIELD);
    if (key == null || key.isNull()) {
      return Optional.empty();
    }
    if (!key.isString()) {
      String field = prefix + BODY_FIELD;
      throw ApiException.invalid(
          field,
          "invalid_type",
          "Field '" + field + "' must be a string: the write key (gos_wk_...).");
    }
    return key.asString().isBlank() ? Optional.empty() : Optional.of(key.asString());
  }

  /**
   * Checks the {@code writeKey} of every event of a batch ({@code events}, the body's {@code batch}
   * array; analytics.js puts the key on each event as well as on the batch) against the request's
   * key ({@code requestKey}: the header's, else the batch's own {@code writeKey}; read only when an
   * event carries a key): each is absent, {@code null}, blank or that same key.
   *
   * @throws ApiException 400 naming {@code batch[i].writeKey}: {@code invalid_type} when it is no
   *     string, {@code conflicts_with_key} when it is another key
   */
  public static void requireBatchKeysAgree(JsonNode events, Supplier<Optional<String>> requestKey) {
    if (events == null || !events.isArray()) {
      return;
    }
    Optional<String> request = null; // read once, at the first event that carries a key
    for (int i = 0; i < events.size(); i++) {
      JsonNode event = events.get(i);
      if (!event.isObject()) {
        continue;
      }
      String prefix = "batch[" + i + "].";
      Optional<String> key = fromBody(event, prefix);
      if (key.isEmpty()) {
        continue;
      }
      if (request == null) {
        request = requestKey.get();
      }
      if (request.isEmpty()) {
        // No key in the header nor on the batch: an event's key never authenticates a batch on
        // its own, and authentication answers 401 (until 2026-12-07 this was 400
        // conflicts_with_key, validation feedback before authentication).
        return;
      }
      if (!key.equals(request)) {
        String field = prefix + BODY_FIELD;
        throw ApiException.invalid(
            field,
            "conflicts_with_key",
            "Field '"
                + field
                + "' is not the key of this request (the Authorization header's, else the body's"
                + " 'writeKey'); a batch is written with one key.");
      }
    }
  }

  /**
   * Checks that a body's {@code writeKey} (if any, read as {@link #fromBody}) agrees with the key
   * of the {@code Authorization} header (if any): the same key, character for character. The header
   * is read ({@code headerKey}) only when the body has a key.
   *
   * @throws ApiException 400 {@code invalid_type} as {@link #fromBody}; 400 {@code
   *     conflicts_with_header} naming {@code writeKey} when both carry a key and they differ: which
   *     workspace the client meant cannot be known (as with two {@code Authorization} headers), and
   *     letting the header win silently wrote another workspace's events into the header's
   */
  public static void requireBodyKeyAgrees(JsonNode body, Supplier<Optional<String>> headerKey) {
    Optional<String> bodyKey = fromBody(body);
    if (bodyKey.isEmpty()) {
      return;
    }
    Optional<String> header = headerKey.get();
    if (header.isPresent() && !bodyKey.get().equals(header.get())) {
      throw ApiException.invalid(
          BODY_FIELD,
          "conflicts_with_header",
          "The body's 'writeKey' is not the key of the Authorization header; send one key, or the"
              + " same key in both.");
    }
  }

  private static ApiException malformed(String message) {
    return new ApiException(
        ErrorCode.UNAUTHORIZED, message, List.of(ErrorDetail.of(HEADER, "malformed", message)));
  }
}
