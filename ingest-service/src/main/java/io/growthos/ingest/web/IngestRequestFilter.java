package io.growthos.ingest.web;

import io.growthos.ingest.auth.WriteKeyExtractor;
import io.growthos.ingest.events.IngestJson;
import io.growthos.model.errors.ApiException;
import io.growthos.platform.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;

/**
 * Runs before every ingest route and before the rate limiter: checks the form of the Authorization
 * header, reads the body once (bounded, gzip-aware) and parses it, so that the limiter can charge a
 * key sent in the body. It does no database work: the key is checked after the limiter, by {@link
 * IngestAuthFilter}. Rejections leave here as the envelope.
 *
 * <p>Content types: whatever the client puts on the body, which is JSON or a 400. SDKs in use label
 * it {@code application/json}, {@code text/plain} (analytics.js, {@code sendBeacon}) or, as
 * {@code @rudderstack/rudder-sdk-node} 3.0 does for its gzipped batches (axios' default for a
 * Buffer), {@code application/x-www-form-urlencoded}; RudderStack's own server accepts them all.
 * The body is read here, before anything could parse it as form parameters.
 */
class IngestRequestFilter extends OncePerRequestFilter {

  private final Set<String> paths;
  private final WriteKeyExtractor extractor;
  private final BodyReader bodyReader;
  private final IngestJson json;
  private final ErrorResponses errors;

  IngestRequestFilter(
      Set<String> paths,
      WriteKeyExtractor extractor,
      BodyReader bodyReader,
      IngestJson json,
      ErrorResponses errors) {
    this.paths = paths;
    this.extractor = extractor;
    this.bodyReader = bodyReader;
    this.json = json;
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod())
        || !paths.contains(request.getRequestURI().substring(request.getContextPath().length()));
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Instant receivedAt = Instant.now();
    try {
      // Only the form of the header here: a malformed one is refused before the body is read.
      extractor.fromHeader(request);
      byte[] body = bodyReader.read(request);
      if (body.length == 0 || isBlank(body)) {
        throw ApiException.invalid("body", "required", "The request body is empty; send JSON.");
      }
      JsonNode tree = json.parse(body);
      request.setAttribute(WriteKeyExtractor.BODY_ATTRIBUTE, tree);
      request.setAttribute(
          IngestRequest.ATTRIBUTE, new IngestRequest(null, tree, body.length, receivedAt));
    } catch (ApiException e) {
      errors.write(e, request, response);
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
