package io.growthos.platform.ratelimit;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.KeyAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates a presented key and charges the request to a token bucket, in one step, for the
 * request pipeline (SPEC §2). The pipeline calls it after it has matched the handler and before any
 * other work of the request (for ingest: before the body is read).
 *
 * <p>Which bucket:
 *
 * <ul>
 *   <li>a valid key: the bucket of that key, sized by its workspace's plan for this service's API
 *       (admin keys: {@code growthos.ratelimit.admin-requests-per-second});
 *   <li>no key, or a malformed, unknown, revoked or expired key: the bucket of the client address
 *       ({@code anonymous-requests-per-second});
 *   <li>an ingest request without a header key, before its body (which may carry the key) is read:
 *       the address's body-key bucket ({@code body-key-requests-per-second}), then the key found.
 * </ul>
 *
 * <p>Guessing keys: a key not yet in {@link KeyAuthenticator}'s cache is looked up freely while the
 * client address still has tokens. Once the address's budget is spent, lookups of uncached keys
 * from it share one budget of {@code key-lookups-per-second} for the whole service: a valid key
 * from an address whose budget a neighbour spent (a shared NAT) still gets through, while a flood
 * of guesses reaches the database at most that often and is then refused by address.
 *
 * <p>A key's bucket id carries its limit, so a plan change seen by the authenticator (within its
 * cache TTL) moves the key to a new, full bucket of the new size at once, on every copy alike.
 *
 * <p>The client address is {@link HttpServletRequest#getRemoteAddr()}; {@code X-Forwarded-For} is
 * not read here. Behind a proxy, let the container rewrite the address from trusted proxies only
 * ({@code server.forward-headers-strategy=native}).
 */
public final class RateLimitGate {

  /** Request attribute holding the last {@link RateLimitDecision}, for the error dispatch. */
  static final String DECISION_ATTRIBUTE = RateLimitGate.class.getName() + ".decision";

  private final RateLimiter limiter;
  private final KeyAuthenticator authenticator;
  private final RateLimitProperties props;
  private final Clock clock;

  /**
   * @param limiter the buckets, or null when rate limiting is off: then this only authenticates
   */
  public RateLimitGate(
      RateLimiter limiter, KeyAuthenticator authenticator, RateLimitProperties props, Clock clock) {
    this.limiter = limiter;
    this.authenticator = authenticator;
    this.props = props;
    this.clock = clock;
  }

  /** A gate that authenticates and charges nothing ({@code growthos.ratelimit.enabled=false}). */
  public static RateLimitGate unlimited(KeyAuthenticator authenticator) {
    return new RateLimitGate(null, authenticator, null, Clock.systemUTC());
  }

  /** Whether this gate charges buckets (false: rate limiting is off, it only authenticates). */
  boolean limits() {
    return limiter != null;
  }

  /**
   * The caller of {@code presented}, charged to its bucket; or empty when the key is not valid, in
   * which case the request was charged to its address.
   *
   * @throws ApiException 429 when the bucket charged is empty, 503 when the key cannot be checked
   */
  public Optional<AuthenticatedKey> authenticate(
      HttpServletRequest request, HttpServletResponse response, String presented) {
    return authenticate(request, response, presented, false);
  }

  /**
   * As {@link #authenticate(HttpServletRequest, HttpServletResponse, String)}; a valid key on a
   * {@code browser} route (the widget routes, called with the page's public write key) is charged
   * first to its bucket for this client address ({@code browser-requests-per-second-per-address}),
   * then to a bucket of the key's own for browser routes, of the plan's size. Tracking calls and
   * other addresses then cannot spend what one visitor's widgets need, nor one address what every
   * visitor's need.
   *
   * @throws ApiException 429 when a bucket charged is empty, 503 when the key cannot be checked
   */
  public Optional<AuthenticatedKey> authenticate(
      HttpServletRequest request, HttpServletResponse response, String presented, boolean browser) {
    if (limiter == null) {
      return authenticator.authenticate(presented);
    }
    String address = request.getRemoteAddr();
    if (!authenticator.isCached(presented)
        && !limiter.hasTokens(addressBucket(address), props.anonymousRequestsPerSecond())) {
      // The address has spent its budget for requests without a valid key: this lookup comes out
      // of the service-wide lookup budget, or is refused by address without reaching the database.
      long lookups = props.keyLookupsPerSecond();
      if (!limiter.tryConsume("lookups:" + lookups, lookups).allowed()) {
        apply(request, response, chargeAddress(address), Subject.CLIENT_ADDRESS);
      }
    }
    Optional<AuthenticatedKey> caller = authenticator.authenticate(presented);
    if (caller.isPresent()) {
      long limit = limitFor(caller.get());
      String keyId = caller.get().keyId();
      if (browser) {
        long perAddress = props.browserRequestsPerSecondPerAddress();
        RateLimitDecision own =
            limiter.tryConsume(
                "browser-addr:" + keyId + ":" + address + ":" + perAddress, perAddress);
        if (!own.allowed()) {
          apply(request, response, own, Subject.KEY_AT_ADDRESS);
        }
      }
      String bucket = (browser ? "browser-key:" : "key:") + keyId + ":" + limit;
      apply(request, response, limiter.tryConsume(bucket, limit), Subject.API_KEY);
    } else {
      apply(request, response, chargeAddress(address), Subject.CLIENT_ADDRESS);
    }
    return caller;
  }

  /**
   * Charges a request that presents no key to its address.
   *
   * @throws ApiException 429 when the address's budget is spent
   */
  public void chargeAddress(HttpServletRequest request, HttpServletResponse response) {
    if (limiter != null) {
      apply(request, response, chargeAddress(request.getRemoteAddr()), Subject.CLIENT_ADDRESS);
    }
  }

  /**
   * Charges a request whose key may be in its body to its address, before the body is read: the
   * cost of reading, decompressing and parsing a body is bounded per address before anyone knows
   * whose request it is.
   *
   * @throws ApiException 429 when the address's body-key budget is spent
   */
  public void chargeBeforeBody(HttpServletRequest request, HttpServletResponse response) {
    if (limiter != null) {
      long limit = props.bodyKeyRequestsPerSecond();
      apply(
          request,
          response,
          limiter.tryConsume("body:" + request.getRemoteAddr() + ":" + limit, limit),
          Subject.CLIENT_ADDRESS);
    }
  }

  /**
   * Puts the headers of the request's decision on the response again, for the container's error
   * dispatch (which may have reset the response).
   */
  public void reapplyHeaders(HttpServletRequest request, HttpServletResponse response) {
    if (request.getAttribute(DECISION_ATTRIBUTE) instanceof RateLimitDecision decision) {
      decision.headers(clock.millis()).forEach(response::setHeader);
    }
  }

  private void apply(
      HttpServletRequest request,
      HttpServletResponse response,
      RateLimitDecision decision,
      Subject subject) {
    request.setAttribute(DECISION_ATTRIBUTE, decision);
    Map<String, String> headers = decision.headers(clock.millis());
    switch (decision.outcome()) {
      case ALLOWED -> headers.forEach(response::setHeader);
      case REJECTED -> throw rateLimited(decision, subject, headers);
      case UNAVAILABLE -> throw unavailable(headers);
    }
  }

  private String addressBucket(String address) {
    return "addr:" + address + ":" + props.anonymousRequestsPerSecond();
  }

  private RateLimitDecision chargeAddress(String address) {
    return limiter.tryConsume(addressBucket(address), props.anonymousRequestsPerSecond());
  }

  private long limitFor(AuthenticatedKey caller) {
    if (caller.type() == KeyType.ADMIN || caller.plan() == null) {
      return props.adminRequestsPerSecond();
    }
    return props.api().requestsPerSecond(caller.plan());
  }

  private static ApiException rateLimited(
      RateLimitDecision d, Subject subject, Map<String, String> headers) {
    String whose =
        switch (subject) {
          case API_KEY -> "this API key";
          case KEY_AT_ADDRESS -> "this API key's widget requests from this address";
          case CLIENT_ADDRESS -> "requests without a valid API key from this address";
        };
    String message =
        "Rate limit of "
            + d.limit()
            + " requests per second exceeded for "
            + whose
            + "; retry after "
            + d.retryAfterSeconds()
            + " s.";
    return new ApiException(
        ErrorCode.RATE_LIMITED,
        message,
        List.of(ErrorDetail.of(subject.field, "rate_limited", message)),
        headers);
  }

  private static ApiException unavailable(Map<String, String> headers) {
    return new Unavailable(headers);
  }

  /**
   * 503 while limits fail closed: logged where it happens, by the limiter (one WARN per {@code
   * warn-interval}), not once per refused request by the error handler (it logged an ERROR for
   * each, a line per request of an outage).
   */
  public static final class Unavailable extends ApiException {
    private static final long serialVersionUID = 1L;

    Unavailable(Map<String, String> headers) {
      super(
          ErrorCode.SERVICE_UNAVAILABLE,
          "Rate limiting is temporarily unavailable, so the request was not processed. It is safe"
              + " to retry.",
          List.of(),
          headers);
    }
  }

  private enum Subject {
    API_KEY("api_key"),
    KEY_AT_ADDRESS("client_address"),
    CLIENT_ADDRESS("client_address");

    final String field;

    Subject(String field) {
      this.field = field;
    }
  }
}
