package io.growthos.ingest.web;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A request's body as the ingest routes take it, read and parsed once ({@link IngestBodies}): the
 * JSON tree, its decompressed size, and when it arrived (the events' {@code received_at}).
 */
record IngestRequest(JsonNode body, int bodyBytes, Instant receivedAt) {}
