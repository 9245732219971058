package io.growthos.model.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Key generation and hashing.
 *
 * <p>A key is its type prefix followed by {@value #RANDOM_CHARS} base62 characters from a {@link
 * SecureRandom} (about 190 bits). Only the SHA-256 of the whole key is stored: with that much
 * entropy a fast hash is as safe as a slow one and keeps authentication at microseconds, as GitHub
 * and Stripe do for their tokens.
 */
public final class ApiKeys {

  static final int RANDOM_CHARS = 32;
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  /** A new random key of the given type, in full. Show it once; store only {@link #hash}. */
  public static String generate(KeyType type) {
    StringBuilder key = new StringBuilder(type.prefix().length() + RANDOM_CHARS);
    key.append(type.prefix());
    for (int i = 0; i < RANDOM_CHARS; i++) {
      key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return key.toString();
  }

  /** Whether {@code key} has the exact shape of a generated key of {@code type}. */
  public static boolean isWellFormed(KeyType type, String key) {
    if (key == null
        || !key.startsWith(type.prefix())
        || key.length() != type.prefix().length() + RANDOM_CHARS) {
      return false;
    }
    for (int i = type.prefix().length(); i < key.length(); i++) {
      if (ALPHABET.indexOf(key.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** SHA-256 of the key's UTF-8 bytes: what the database stores and looks keys up by. */
  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The last four characters, shown in listings beside the prefix. */
  public static String lastFour(String key) {
    return key.substring(Math.max(0, key.length() - 4));
  }
}
