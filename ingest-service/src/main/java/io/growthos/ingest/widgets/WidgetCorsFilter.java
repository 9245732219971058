package io.growthos.ingest.widgets;

import io.growthos.ingest.web.WidgetRoutes;
import io.growthos.platform.web.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CORS of the widget routes ({@link WidgetRoutes#PREFIX}), in two halves because a preflight
 * carries no key:
 *
 * <ul>
 *   <li>a preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) is answered here
 *       for any origin: methods {@link WidgetRoutes#METHODS}, headers {@link WidgetRoutes#HEADERS},
 *       cached for {@code growthos.ingest.cors.max-age};
 *   <li>an actual request goes on to the request pipeline, which authenticates the key, then {@link
 *       WidgetOriginCheck}, which refuses an origin the workspace does not allow. The CORS headers
 *       ({@code Access-Control-Allow-Origin}: the request's origin) are added only when the
 *       response starts, and left out when the origin was refused. Errors before the key is known
 *       (401, 429) carry them, so a widget can read why it failed.
 * </ul>
 */
class WidgetCorsFilter extends OncePerRequestFilter {

  static final String EXPOSED =
      String.join(
          ", ",
          RequestIds.HEADER,
          "Retry-After",
          "X-RateLimit-Limit",
          "X-RateLimit-Remaining",
          "X-RateLimit-Reset");

  private final Duration maxAge;

  WidgetCorsFilter(Duration maxAge) {
    this.maxAge = maxAge;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !WidgetRoutes.isWidgetPath(request);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
    if (CorsUtils.isPreFlightRequest(request)) {
      response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
      response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
      response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      response.setHeader(
          HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, String.join(", ", WidgetRoutes.METHODS));
      response.setHeader(
          HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, String.join(", ", WidgetRoutes.HEADERS));
      response.setHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, String.valueOf(maxAge.toSeconds()));
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
      return;
    }
    if (origin == null) {
      chain.doFilter(request, response);
      return;
    }
    CorsOnCommit wrapped = new CorsOnCommit(request, response, origin);
    try {
      chain.doFilter(request, wrapped);
    } finally {
      wrapped.apply();
    }
  }

  /** Adds the CORS headers just before the response starts, unless the origin was refused. */
  private static final class CorsOnCommit extends HttpServletResponseWrapper {
    private final HttpServletRequest request;
    private final String origin;
    private boolean applied;

    CorsOnCommit(HttpServletRequest request, HttpServletResponse response, String origin) {
      super(response);
      this.request = request;
      this.origin = origin;
    }

    void apply() {
      if (applied || isCommitted()) {
        return;
      }
      applied = true;
      if (request.getAttribute(WidgetOriginCheck.REFUSED) != null) {
        return;
      }
      HttpServletResponse r = (HttpServletResponse) getResponse();
      r.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
      r.setHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      apply();
      return super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
      apply();
      return super.getWriter();
    }

    @Override
    public void flushBuffer() throws IOException {
      apply();
      super.flushBuffer();
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
      apply();
      super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
      apply();
      super.sendError(sc);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
      apply();
      super.sendRedirect(location);
    }
  }
}
