package io.growthos.platform.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Finds the API key a request presents, so that the rate limit is charged to it. The default
 * ({@link AuthorizationHeaderKeyResolver}) reads the {@code Authorization} header; a service whose
 * clients may send the key elsewhere (Segment's {@code writeKey} body field) declares its own bean,
 * so that such keys are limited too rather than bypassing the limit.
 */
public interface PresentedKeyResolver {

  /**
   * Called once before {@link #resolve}; the request returned goes down the filter chain. A
   * resolver that reads the body returns a wrapper here that lets the handler read it again.
   */
  default HttpServletRequest prepare(HttpServletRequest request) {
    return request;
  }

  /** The key as presented (not yet checked), or empty when the request carries none. */
  Optional<String> resolve(HttpServletRequest request);
}
