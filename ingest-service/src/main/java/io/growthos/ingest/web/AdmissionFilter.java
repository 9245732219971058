package io.growthos.ingest.web;

import io.growthos.ingest.admission.InFlightBudget;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Opens each POST's share of the {@link InFlightBudget} before anything reads its body, and gives
 * it back when the response is complete, however it ends: here when the request finished on its
 * thread, or when its asynchronous response (sent once the events are committed) completes, times
 * out or fails. {@link IngestBodies} charges the body and its tree, the controller the events.
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
    boolean releasedLater = false;
    try {
      chain.doFilter(request, response);
      if (request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new Release(admission));
        releasedLater = true;
      }
    } finally {
      if (!releasedLater) {
        admission.close();
      }
    }
  }

  /** Gives a request's reservation back however its asynchronous response ends. */
  private record Release(InFlightBudget.Reservation admission) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      admission.close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      admission.close();
    }

    @Override
    public void onError(AsyncEvent event) {
      admission.close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      // a new async cycle of the same request: still this reservation, released when it ends
    }
  }
}
