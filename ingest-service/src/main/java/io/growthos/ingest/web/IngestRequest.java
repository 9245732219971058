package io.growthos.ingest.web;

import io.growthos.platform.auth.AuthenticatedKey;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * What the ingest filters established about a request before the controller runs: who calls (null
 * until {@link IngestAuthFilter} has checked the key), the parsed body, its decompressed size, and
 * when it arrived (the events' {@code received_at}).
 */
record IngestRequest(AuthenticatedKey key, JsonNode body, int bodyBytes, Instant receivedAt) {

  static final String ATTRIBUTE = "io.growthos.ingest.web.IngestRequest";

  IngestRequest authenticatedAs(AuthenticatedKey caller) {
    return new IngestRequest(caller, body, bodyBytes, receivedAt);
  }
}
