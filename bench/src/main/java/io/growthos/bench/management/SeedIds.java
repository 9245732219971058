package io.growthos.bench.management;

import io.growthos.model.ids.IdPrefix;
import java.util.SplittableRandom;

/**
 * Ids in exactly the format of {@link io.growthos.model.ids.Ids} ({@code prefix_} + 9 base62
 * characters of epoch milliseconds + 14 random base62 characters) but for a chosen instant, so a
 * million seeded rows can carry distinct, increasing creation times as if created one by one.
 * {@code Ids} only makes ids for "now".
 */
final class SeedIds {

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final SplittableRandom random;

  SeedIds(long seed) {
    this.random = new SplittableRandom(seed);
  }

  String at(IdPrefix prefix, long epochMillis) {
    StringBuilder sb = new StringBuilder(prefix.prefix().length() + 24);
    sb.append(prefix.prefix()).append('_');
    char[] time = new char[9];
    long t = epochMillis;
    for (int k = 8; k >= 0; k--) {
      time[k] = ALPHABET.charAt((int) (t % 62));
      t /= 62;
    }
    sb.append(time);
    for (int k = 0; k < 14; k++) {
      sb.append(ALPHABET.charAt(random.nextInt(62)));
    }
    return sb.toString();
  }
}
