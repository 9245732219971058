package io.growthos.management.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Management API.
 *
 * @param cursorSecret HMAC key that signs pagination cursors. Every copy of the service must share
 *     it, or a cursor from one copy is rejected by the next; set {@code GROWTHOS_CURSOR_SECRET} in
 *     production. The default is a fixed development value (a warning is logged).
 * @param idempotencyTtl how long a stored first response is replayed (SPEC §4: 24 h)
 * @param idempotencyStaleAfter when an in-flight claim whose request never finished (a crash) may
 *     be taken over by a retry
 */
@ConfigurationProperties("growthos.management")
public record ManagementProperties(
    @DefaultValue(DEV_CURSOR_SECRET) String cursorSecret,
    @DefaultValue("24h") Duration idempotencyTtl,
    @DefaultValue("60s") Duration idempotencyStaleAfter) {

  public static final String DEV_CURSOR_SECRET = "growthos-dev-cursor-secret-change-me";

  public boolean usesDevCursorSecret() {
    return DEV_CURSOR_SECRET.equals(cursorSecret);
  }
}
