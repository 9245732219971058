package io.growthos.model.errors;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of every 4xx and 5xx response on both APIs (SPEC §2):
 *
 * <pre>{"error": {"code": ..., "message": ..., "details": [...]}, "request_id": "req_..."}</pre>
 */
public record ErrorEnvelope(ApiError error, @JsonProperty("request_id") String requestId) {}
