package io.growthos.bench.ingest;

import java.time.Instant;

/**
 * One generated track call, with its JSON parts pre-rendered so the HTTP payload and the raw JDBC
 * baseline carry byte-for-byte the same properties and context.
 *
 * @param messageId unique per event unless the scenario re-sends it on purpose
 * @param userId the user
 * @param anonymousId the device
 * @param event the event name
 * @param propertiesJson the {@code properties} object as JSON
 * @param contextJson the {@code context} object as JSON
 * @param timestamp when the event happened
 */
public record TrackEvent(
    String messageId,
    String userId,
    String anonymousId,
    String event,
    String propertiesJson,
    String contextJson,
    Instant timestamp) {}
