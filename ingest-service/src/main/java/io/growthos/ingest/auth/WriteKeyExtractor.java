package io.growthos.ingest.auth;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The one place that finds the write key a request presents (SPEC §3), in this order:
 *
 * <ol>
 *   <li>{@code Authorization: Basic base64(key:)} — the key is the username, the password empty and
 *       ignored, the colon optional (Segment and RudderStack server SDKs);
 *   <li>{@code Authorization: Bearer key};
 *   <li>the {@code writeKey} member of the JSON body (analytics.js, {@code sendBeacon}).
 * </ol>
 *
 * The header wins when both are present. The body is read once, by the ingest filter, which leaves
 * the parsed tree in the request attribute {@link #BODY_ATTRIBUTE}; other filters (such as a rate
 * limiter keyed by API key) can call {@link #presentedKey} after it.
 */
public class WriteKeyExtractor {

  /** Request attribute holding the parsed body ({@link JsonNode}). */
  public static final String BODY_ATTRIBUTE = WriteKeyExtractor.class.getName() + ".body";

  /** The key in the Authorization header, or in the parsed body, or empty. */
  public Optional<String> presentedKey(HttpServletRequest request) {
    Optional<String> header = fromHeader(request);
    if (header.isPresent()) {
      return header;
    }
    return request.getAttribute(BODY_ATTRIBUTE) instanceof JsonNode body
        ? fromBody(body)
        : Optional.empty();
  }

  /**
   * The key of the Authorization header, or empty when there is none.
   *
   * @throws ApiException 401 when the header is present but not Basic or Bearer with a key
   */
  public Optional<String> fromHeader(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
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
        throw malformed("The Basic credentials carry no username; the write key is the username.");
      }
      return Optional.of(user);
    }
    throw malformed(
        "Send the write key as 'Authorization: Basic base64(<write key>:)' or 'Authorization:"
            + " Bearer <write key>'.");
  }

  /** The {@code writeKey} member of a body, when it is a string. */
  public Optional<String> fromBody(JsonNode body) {
    JsonNode key = body == null ? null : body.get("writeKey");
    return key != null && key.isString() && !key.asString().isBlank()
        ? Optional.of(key.asString())
        : Optional.empty();
  }

  private static ApiException malformed(String message) {
    return new ApiException(
        ErrorCode.UNAUTHORIZED,
        message,
        List.of(ErrorDetail.of("Authorization", "malformed", message)));
  }
}
