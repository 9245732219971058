package io.growthos.ingest.web;

import io.growthos.ingest.admission.InFlightBudget;
import io.growthos.ingest.admission.RequestCosts;
import io.growthos.platform.auth.AuthenticatedKey;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * What the ingest filters established about a request before the controller runs: who calls (null
 * until {@link IngestAuthFilter} has checked the key), the parsed body, its decompressed size, when
 * it arrived (the events' {@code received_at}), and its share of the in-flight budget, which the
 * filter gives back when the response is complete.
 */
record IngestRequest(
    AuthenticatedKey key,
    JsonNode body,
    int bodyBytes,
    Instant receivedAt,
    InFlightBudget.Reservation admission) {

  static final String ATTRIBUTE = "io.growthos.ingest.web.IngestRequest";

  IngestRequest authenticatedAs(AuthenticatedKey caller) {
    return new IngestRequest(caller, body, bodyBytes, receivedAt, admission);
  }

  /** Charges the heap the events' text will take, before the parser builds them. */
  void reserveEventText(long utf8Bytes) {
    admission.charge(RequestCosts.eventText(utf8Bytes));
  }
}
