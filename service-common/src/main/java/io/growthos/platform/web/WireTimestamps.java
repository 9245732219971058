package io.growthos.platform.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Every timestamp leaves as RFC 3339 UTC with exactly three fractional digits (SPEC §2), e.g.
 * {@code 2026-11-26T07:16:12.000Z}, from both services (the Management API's resources, the Ingest
 * API's widget routes); Jackson's default drops zero millis and keeps PostgreSQL micros.
 */
public final class WireTimestamps {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private WireTimestamps() {}

  public static String format(Instant instant) {
    return FORMAT.format(instant);
  }

  /** The Jackson module that applies {@link #format} to every {@link Instant}. */
  public static SimpleModule module() {
    SimpleModule module = new SimpleModule("growthos-timestamps");
    module.addSerializer(
        Instant.class,
        new ValueSerializer<Instant>() {
          @Override
          public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeString(format(value));
          }
        });
    return module;
  }
}
