package io.growthos.management.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a request whose {@code Accept} admits no JSON (no range includes it, or the most specific
 * one that does has {@code q=0}) with 406 before its handler runs. Spring negotiates the answer
 * after the handler returned it, so a POST with {@code Accept: text/html} created its resource and
 * then answered 406: the client saw a failure for a change that was made (and a retry without an
 * Idempotency-Key made it twice). The Management API answers JSON only; the Ingest API ignores
 * {@code Accept} instead (docs/security.md). Only this API's own handlers: the framework's
 * documents keep their own negotiation.
 */
class AcceptsJson implements HandlerInterceptor {

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws HttpMediaTypeNotAcceptableException {
    if (ManagementHandlers.own(request, handler) == null) {
      return true;
    }
    String accept = request.getHeader("Accept");
    if (accept == null || accept.isBlank()) {
      return true;
    }
    List<MediaType> accepted;
    try {
      accepted = MediaType.parseMediaTypes(accept);
    } catch (InvalidMediaTypeException e) {
      throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
    }
    if (jsonQuality(accepted) > 0) {
      return true;
    }
    throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
  }

  /**
   * The quality {@code accepted} gives JSON: that of the most specific range including it ({@code
   * application/json} over {@code application/*} over {@code *}{@code /*}; the highest of equally
   * specific ones), 0 when none does (RFC 9110 §12.5.1). So {@code application/json;q=0, *}{@code
   * /*} refuses JSON: taking any range with a quality used to let the wildcard win.
   */
  private static double jsonQuality(List<MediaType> accepted) {
    int best = -1;
    double quality = 0;
    for (MediaType range : accepted) {
      if (!range.includes(MediaType.APPLICATION_JSON)) {
        continue;
      }
      int specificity = range.isWildcardType() ? 0 : range.isWildcardSubtype() ? 1 : 2;
      if (specificity > best) {
        best = specificity;
        quality = range.getQualityValue();
      } else if (specificity == best) {
        quality = Math.max(quality, range.getQualityValue());
      }
    }
    return quality;
  }
}
