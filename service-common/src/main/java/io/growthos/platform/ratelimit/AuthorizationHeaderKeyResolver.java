package io.growthos.platform.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.springframework.http.HttpHeaders;

/**
 * The key from {@code Authorization: Bearer <key>} or from {@code Authorization: Basic
 * base64(<key>:)} (the key as user name, as Segment's and Stripe's clients send it).
 */
public class AuthorizationHeaderKeyResolver implements PresentedKeyResolver {

  private static final String BEARER = "Bearer ";
  private static final String BASIC = "Basic ";

  @Override
  public Optional<String> resolve(HttpServletRequest request) {
    return fromAuthorization(request.getHeader(HttpHeaders.AUTHORIZATION));
  }

  /** The key in an {@code Authorization} header value, if it carries one. */
  public static Optional<String> fromAuthorization(String header) {
    if (header == null) {
      return Optional.empty();
    }
    if (header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return nonBlank(header.substring(BEARER.length()).trim());
    }
    if (header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      try {
        String decoded =
            new String(
                Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
                StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return nonBlank(colon < 0 ? decoded : decoded.substring(0, colon));
      } catch (IllegalArgumentException notBase64) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static Optional<String> nonBlank(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
