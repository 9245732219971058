package io.growthos.ingest.web;

import io.growthos.ingest.admission.InFlightBudget;
import io.growthos.ingest.admission.RequestCosts;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A request's body as the ingest routes take it, read and parsed once ({@link IngestBodies}): the
 * JSON tree, its decompressed size, when it arrived (the events' {@code received_at}), and the
 * request's share of the in-flight budget ({@link AdmissionFilter} gives it back). Public so that
 * feature packages' handlers (the widget routes) take their JSON body the same way.
 */
public record IngestRequest(
    JsonNode body, int bodyBytes, Instant receivedAt, InFlightBudget.Reservation admission) {

  /** Charges the heap the events' text will take, before the parser builds them. */
  void reserveEventText(long utf8Bytes) {
    admission.charge(RequestCosts.eventText(utf8Bytes));
  }
}
