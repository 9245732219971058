package io.growthos.core.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of the Standard Webhooks specification: a delivery carries {@code webhook-id}, {@code
 * webhook-timestamp} (Unix seconds) and {@code webhook-signature}, a space-separated list of {@code
 * v1,<base64 HMAC-SHA256(secret, id "." timestamp "." body)>}, where the key is the base64-decoded
 * part of the secret after {@code whsec_}. Several signatures appear while an endpoint's secret is
 * being rotated; a receiver accepts the delivery when any one of them verifies.
 *
 * <p>{@link #verify} is what a Java receiver calls; it is also how the tests check deliveries.
 */
public final class WebhookSignature {

  public static final String SECRET_PREFIX = "whsec_";

  /** The tolerance of the Standard Webhooks libraries: older or newer timestamps are refused. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SECRET_BYTES = 32;

  private WebhookSignature() {}

  /** A new random secret, {@code whsec_} and the base64 of 256 random bits. */
  public static String newSecret() {
    byte[] key = new byte[SECRET_BYTES];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /** Whether {@code secret} is {@code whsec_} followed by base64 of at least 128 bits. */
  public static boolean isWellFormed(String secret) {
    try {
      return secret != null && key(secret).length >= 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** One signature, {@code v1,<base64>}, of the body's UTF-8 bytes (how it is sent). */
  public static String sign(String secret, String id, long timestamp, String body) {
    return sign(secret, id, timestamp, body.getBytes(StandardCharsets.UTF_8));
  }

  /** One signature, {@code v1,<base64>}, of the body's bytes. */
  public static String sign(String secret, String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      byte[] digest = mac.doFinal(body);
      return "v1," + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  /** The {@code webhook-signature} header: one signature per secret, space-separated. */
  public static String header(List<String> secrets, String id, long timestamp, String body) {
    List<String> out = new ArrayList<>(secrets.size());
    for (String secret : secrets) {
      out.add(sign(secret, id, timestamp, body));
    }
    return String.join(" ", out);
  }

  /** Why a delivery was refused. */
  public static final class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    VerificationException(String message) {
      super(message);
    }
  }

  /**
   * Verifies a delivery with the default tolerance and the current time, over the body's bytes
   * exactly as received: the safest form, as no decoding can change them.
   *
   * @param secret the endpoint's secret, {@code whsec_…}
   * @param id the {@code webhook-id} header
   * @param timestamp the {@code webhook-timestamp} header
   * @param signatures the {@code webhook-signature} header
   * @param body the raw request body
   */
  public static void verify(
      String secret, String id, String timestamp, String signatures, byte[] body)
      throws VerificationException {
    verify(secret, id, timestamp, signatures, body, Instant.now(), DEFAULT_TOLERANCE);
  }

  /**
   * Verifies a delivery with the default tolerance and the current time; the body decoded as UTF-8
   * (the charset the delivery's {@code Content-Type} names).
   *
   * @param secret the endpoint's secret, {@code whsec_…}
   * @param id the {@code webhook-id} header
   * @param timestamp the {@code webhook-timestamp} header
   * @param signatures the {@code webhook-signature} header
   * @param body the raw request body, exactly as received
   */
  public static void verify(
      String secret, String id, String timestamp, String signatures, String body)
      throws VerificationException {
    verify(secret, id, timestamp, signatures, body, Instant.now(), DEFAULT_TOLERANCE);
  }

  /** Verifies a delivery as seen at {@code now}, refusing timestamps off by more than tolerance. */
  public static void verify(
      String secret,
      String id,
      String timestamp,
      String signatures,
      String body,
      Instant now,
      Duration tolerance)
      throws VerificationException {
    verify(
        secret,
        id,
        timestamp,
        signatures,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        now,
        tolerance);
  }

  /** {@link #verify(String, String, String, String, byte[])} as seen at {@code now}. */
  public static void verify(
      String secret,
      String id,
      String timestamp,
      String signatures,
      byte[] body,
      Instant now,
      Duration tolerance)
      throws VerificationException {
    if (id == null || timestamp == null || signatures == null || body == null) {
      throw new VerificationException("Missing webhook-id, webhook-timestamp or webhook-signature");
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      throw new VerificationException("webhook-timestamp is not a number of seconds");
    }
    if (Math.abs(now.getEpochSecond() - ts) > tolerance.toSeconds()) {
      throw new VerificationException("webhook-timestamp is outside the tolerance");
    }
    byte[] expected = sign(secret, id, ts, body).substring(3).getBytes(StandardCharsets.UTF_8);
    for (String candidate : signatures.strip().split(" +")) {
      int comma = candidate.indexOf(',');
      if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given = candidate.substring(comma + 1).getBytes(StandardCharsets.UTF_8);
      if (MessageDigest.isEqual(expected, given)) {
        return;
      }
    }
    throw new VerificationException("No matching signature found");
  }

  private static byte[] key(String secret) {
    String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(6) : secret;
    return Base64.getDecoder().decode(encoded);
  }
}
