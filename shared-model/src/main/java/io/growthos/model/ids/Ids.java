package io.growthos.model.ids;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Prefixed opaque identifiers: {@code <prefix>_<9 chars of time><14 random chars>}, base62.
 *
 * <p>The time part (milliseconds since the epoch, fixed width) makes ids sort by creation when
 * compared as bytes (the schema stores them with the "C" collation), so keyset pagination can walk
 * a primary key. The 14 random characters (~83 bits) make ids unguessable and reveal nothing about
 * volume, unlike sequential integers.
 */
public final class Ids {

  static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  static final int TIME_CHARS = 9;
  static final int RANDOM_CHARS = 14;

  private Ids() {}

  /** A new id of the given kind. */
  public static String next(IdPrefix prefix) {
    return next(prefix, System.currentTimeMillis());
  }

  static String next(IdPrefix prefix, long epochMillis) {
    char[] out = new char[prefix.prefix().length() + 1 + TIME_CHARS + RANDOM_CHARS];
    int i = 0;
    for (char c : prefix.prefix().toCharArray()) {
      out[i++] = c;
    }
    out[i++] = '_';
    long t = epochMillis;
    for (int k = TIME_CHARS - 1; k >= 0; k--) {
      out[i + k] = ALPHABET.charAt((int) (t % 62));
      t /= 62;
    }
    i += TIME_CHARS;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int k = 0; k < RANDOM_CHARS; k++) {
      out[i++] = ALPHABET.charAt(random.nextInt(62));
    }
    return new String(out);
  }

  /** Whether {@code id} has the shape of an id of this kind (not whether it exists). */
  public static boolean isWellFormed(IdPrefix prefix, String id) {
    if (id == null) {
      return false;
    }
    String head = prefix.prefix() + "_";
    if (!id.startsWith(head) || id.length() != head.length() + TIME_CHARS + RANDOM_CHARS) {
      return false;
    }
    for (int k = head.length(); k < id.length(); k++) {
      if (ALPHABET.indexOf(id.charAt(k)) < 0) {
        return false;
      }
    }
    return true;
  }
}
