package io.growthos.platform.ratelimit;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.KeyAuthenticator;
import io.growthos.platform.web.ErrorResponses;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Charges every {@code /v1} request to a token bucket before any other work of the request, and
 * puts the {@code X-RateLimit-*} headers on its response, whatever the status (SPEC §2).
 *
 * <p>Which bucket:
 *
 * <ul>
 *   <li>a valid key: the bucket of that key, sized by its workspace's plan for this service's API
 *       (admin keys: {@code growthos.ratelimit.admin-requests-per-second});
 *   <li>no key, a malformed, unknown, revoked or expired key: the bucket of the client address
 *       ({@code growthos.ratelimit.anonymous-requests-per-second}).
 * </ul>
 *
 * <p>A key not yet in {@link KeyAuthenticator}'s cache is looked up only while the client address
 * still has tokens; an invalid key is then charged to the address. Guessing keys therefore costs
 * the guesser's address budget (about {@code anonymous-requests-per-second} lookups per second,
 * plus the requests already in flight), and once it is spent the refusals never reach the database.
 *
 * <p>A key's bucket id carries its limit, so a plan change seen by the authenticator (within its
 * cache TTL) moves the key to a new, full bucket of the new size at once, on every copy alike.
 *
 * <p>The client address is {@link HttpServletRequest#getRemoteAddr()}; {@code X-Forwarded-For} is
 * not read here. Behind a proxy, let the container rewrite the address from trusted proxies only
 * ({@code server.forward-headers-strategy=native}).
 *
 * <p>Headers are set before the chain runs, so they are on every response the handler or the
 * exception handler writes; the container's error dispatch (to {@code /error}) sets them again from
 * the decision kept in a request attribute.
 */
public class RateLimitFilter extends OncePerRequestFilter {

  /** Request attribute: the {@link AuthenticatedKey} the request was charged to, if any. */
  public static final String AUTHENTICATED_KEY_ATTRIBUTE =
      RateLimitFilter.class.getName() + ".authenticatedKey";

  static final String DECISION_ATTRIBUTE = RateLimitFilter.class.getName() + ".decision";

  private final RateLimiter limiter;
  private final KeyAuthenticator authenticator;
  private final PresentedKeyResolver keyResolver;
  private final ErrorResponses errors;
  private final RateLimitProperties props;
  private final Clock clock;

  public RateLimitFilter(
      RateLimiter limiter,
      KeyAuthenticator authenticator,
      PresentedKeyResolver keyResolver,
      ErrorResponses errors,
      RateLimitProperties props,
      Clock clock) {
    this.limiter = limiter;
    this.authenticator = authenticator;
    this.keyResolver = keyResolver;
    this.errors = errors;
    this.props = props;
    this.clock = clock;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    if (request.getDispatcherType() == DispatcherType.ERROR) {
      return request.getAttribute(DECISION_ATTRIBUTE) == null;
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !(path.equals("/v1") || path.startsWith("/v1/"));
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getDispatcherType() == DispatcherType.ERROR) {
      // The container may have reset the response for /error: the headers go on again.
      RateLimitDecision decision = (RateLimitDecision) request.getAttribute(DECISION_ATTRIBUTE);
      decision.headers(clock.millis()).forEach(response::setHeader);
      chain.doFilter(request, response);
      return;
    }
    HttpServletRequest prepared = keyResolver.prepare(request);
    Charge charge;
    try {
      charge = charge(prepared);
    } catch (ApiException e) {
      // e.g. 503 when a key cannot be looked up because the database is down
      errors.write(e, prepared, response);
      return;
    }
    RateLimitDecision decision = charge.decision();
    prepared.setAttribute(DECISION_ATTRIBUTE, decision);
    Map<String, String> headers = decision.headers(clock.millis());
    switch (decision.outcome()) {
      case ALLOWED -> {
        headers.forEach(response::setHeader);
        chain.doFilter(prepared, response);
      }
      case REJECTED -> errors.write(rateLimited(charge, headers), prepared, response);
      case UNAVAILABLE -> errors.write(unavailable(headers), prepared, response);
    }
  }

  private Charge charge(HttpServletRequest request) {
    String address = request.getRemoteAddr();
    RateLimitDecision byAddress = null;
    Optional<String> presented = keyResolver.resolve(request);
    if (presented.isPresent()) {
      String key = presented.get();
      if (!authenticator.isCached(key) && !limiter.hasTokens(addressBucket(address), anonymous())) {
        // The address has spent its budget for requests without a valid key: refuse before the
        // lookup reaches the database. A valid key is not charged to the address, so a burst on
        // a key not yet cached is never refused for its address.
        byAddress = chargeAddress(address);
        if (!byAddress.allowed()) {
          return new Charge(byAddress, Subject.CLIENT_ADDRESS);
        }
      }
      Optional<AuthenticatedKey> caller = authenticator.authenticate(key);
      if (caller.isPresent()) {
        request.setAttribute(AUTHENTICATED_KEY_ATTRIBUTE, caller.get());
        long limit = limitFor(caller.get());
        return new Charge(
            limiter.tryConsume("key:" + caller.get().keyId() + ":" + limit, limit),
            Subject.API_KEY);
      }
    }
    return new Charge(
        byAddress != null ? byAddress : chargeAddress(address), Subject.CLIENT_ADDRESS);
  }

  private long anonymous() {
    return props.anonymousRequestsPerSecond();
  }

  private String addressBucket(String address) {
    return "addr:" + address + ":" + anonymous();
  }

  private RateLimitDecision chargeAddress(String address) {
    return limiter.tryConsume(addressBucket(address), anonymous());
  }

  private long limitFor(AuthenticatedKey caller) {
    if (caller.type() == KeyType.ADMIN || caller.plan() == null) {
      return props.adminRequestsPerSecond();
    }
    return props.api().requestsPerSecond(caller.plan());
  }

  private static ApiException rateLimited(Charge charge, Map<String, String> headers) {
    RateLimitDecision d = charge.decision();
    String whose =
        charge.subject() == Subject.API_KEY
            ? "this API key"
            : "requests without a valid API key from this address";
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
        List.of(ErrorDetail.of(charge.subject().field, "rate_limited", message)),
        headers);
  }

  private static ApiException unavailable(Map<String, String> headers) {
    return new ApiException(
        ErrorCode.SERVICE_UNAVAILABLE,
        "Rate limiting is temporarily unavailable, so the request was not processed. It is safe to"
            + " retry.",
        List.of(),
        headers);
  }

  private enum Subject {
    API_KEY("api_key"),
    CLIENT_ADDRESS("client_address");

    final String field;

    Subject(String field) {
      this.field = field;
    }
  }

  private record Charge(RateLimitDecision decision, Subject subject) {}
}
