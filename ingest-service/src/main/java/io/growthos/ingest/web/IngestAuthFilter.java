package io.growthos.ingest.web;

import io.growthos.ingest.auth.WriteKeyExtractor;
import io.growthos.ingest.auth.WriteKeys;
import io.growthos.model.errors.ApiException;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks the write key of an ingest request, after the rate limiter: a flood of guessed keys is
 * refused by the limiter (charged to the client address) before any of them reaches the database.
 * The header's key wins over the body's {@code writeKey}.
 */
class IngestAuthFilter extends OncePerRequestFilter {

  private final WriteKeyExtractor extractor;
  private final WriteKeys writeKeys;
  private final ErrorResponses errors;

  IngestAuthFilter(WriteKeyExtractor extractor, WriteKeys writeKeys, ErrorResponses errors) {
    this.extractor = extractor;
    this.writeKeys = writeKeys;
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !(request.getAttribute(IngestRequest.ATTRIBUTE) instanceof IngestRequest);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    IngestRequest parsed = (IngestRequest) request.getAttribute(IngestRequest.ATTRIBUTE);
    try {
      Optional<String> headerKey = extractor.fromHeader(request);
      AuthenticatedKey caller =
          headerKey.isPresent()
              ? writeKeys.require(headerKey, "Authorization")
              : writeKeys.require(extractor.fromBody(parsed.body()), "writeKey");
      request.setAttribute(IngestRequest.ATTRIBUTE, parsed.authenticatedAs(caller));
    } catch (ApiException e) {
      errors.write(e, request, response);
      return;
    }
    chain.doFilter(request, response);
  }
}
