package io.growthos.ingest.web;

import io.growthos.ingest.admission.InFlightBudget;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Opens each POST's share of the {@link InFlightBudget} before anything reads its body, and gives
 * it back when the request has been answered, however it ends (every ingest route answers on the
 * request's thread, after the commit). {@link IngestBodies} charges the body and its tree, the
 * controller the events.
 */
class AdmissionFilter extends OncePerRequestFilter {

  static final String ATTRIBUTE = AdmissionFilter.class.getName();

  private final InFlightBudget budget;

  AdmissionFilter(InFlightBudget budget) {
    this.budget = budget;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod());
  }

  /** The request's reservation; one that holds nothing when the filter did not run. */
  static InFlightBudget.Reservation of(HttpServletRequest request, InFlightBudget budget) {
    if (request.getAttribute(ATTRIBUTE) instanceof InFlightBudget.Reservation open) {
      return open;
    }
    InFlightBudget.Reservation opened = budget.open();
    request.setAttribute(ATTRIBUTE, opened);
    return opened;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    InFlightBudget.Reservation admission = of(request, budget);
    try {
      chain.doFilter(request, response);
    } finally {
      admission.close();
    }
  }
}
