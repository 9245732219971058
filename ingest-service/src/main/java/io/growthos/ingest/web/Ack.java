package io.growthos.ingest.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** The ACK of every accepted ingest request, sent only after its events are committed. */
@Schema(description = "Sent once every event of the request is durably stored.")
public record Ack(@Schema(example = "true") boolean success) {

  static final Ack OK = new Ack(true);
}
