package io.growthos.management.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Management API.
 *
 * @param cursorSecret HMAC key that signs pagination cursors. Every copy of the service must share
 *     it, or a cursor from one copy is rejected by the next; set {@code
 *     GROWTHOS_MANAGEMENT_CURSOR_SECRET} in production. The default is a fixed development value (a
 *     warning is logged).
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

  /** Fewest characters of a cursor secret: a short one can be guessed, and cursors forged. */
  public static final int MIN_CURSOR_SECRET_CHARS = 16;

  /**
   * A blank or short cursor secret stops the start with a message naming the variable (an empty
   * Kubernetes secret gives an empty string): until 2026-12-07 an empty one failed deep in a stack
   * trace as "Empty key", and a one-character one was taken (a black-box review).
   */
  public ManagementProperties {
    if (cursorSecret == null || cursorSecret.strip().length() < MIN_CURSOR_SECRET_CHARS) {
      throw new IllegalArgumentException(
          "GROWTHOS_MANAGEMENT_CURSOR_SECRET (growthos.management.cursor-secret) must be at least "
              + MIN_CURSOR_SECRET_CHARS
              + " characters, and the same on every copy: generate one with `openssl rand -hex"
              + " 32`, or leave the variable unset for the development value");
    }
  }

  public boolean usesDevCursorSecret() {
    return DEV_CURSOR_SECRET.equals(cursorSecret);
  }
}
