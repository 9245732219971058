package io.growthos.core.campaigns;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * Referral codes: Crockford base32 (digits and letters without I, L, O, U), so a code read aloud or
 * copied by hand cannot be mistaken, and case does not matter. Generated codes are 8 characters (40
 * bits: collisions within a workspace are rare and retried by the caller on the unique index).
 *
 * <p>Codes are stored in their canonical form ({@link #canonical}): upper case, spaces dropped, and
 * the look-alikes Crockford decodes ({@code I}/{@code L} → {@code 1}, {@code O} → {@code 0})
 * mapped. Vanity codes (chosen by the operator) may use any letter, digit, {@code -} or {@code _},
 * 3 to 32 characters; they are stored upper case and compared case-insensitively.
 */
public final class ReferralCodes {

  /** Crockford's base32 alphabet. */
  public static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  public static final int LENGTH = 8;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ReferralCodes() {}

  /** A new random code of {@link #LENGTH} characters. */
  public static String generate() {
    char[] out = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(out);
  }

  /**
   * The form a code is stored and looked up in, or empty when {@code input} cannot be a code (so a
   * lookup can skip the database).
   */
  public static Optional<String> canonical(String input) {
    if (input == null) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder(input.length());
    for (char c : input.strip().toUpperCase(Locale.ROOT).toCharArray()) {
      if (c == ' ') {
        continue;
      }
      if (isVanityChar(c)) {
        out.append(c);
      } else {
        return Optional.empty();
      }
    }
    if (out.length() < 3 || out.length() > 32) {
      return Optional.empty();
    }
    String code = out.toString();
    // A code of generated shape: map look-alikes as Crockford decodes them.
    if (code.length() == LENGTH) {
      String mapped = code.replace('I', '1').replace('L', '1').replace('O', '0');
      if (mapped.chars().allMatch(ch -> ALPHABET.indexOf(ch) >= 0)) {
        return Optional.of(mapped);
      }
    }
    return Optional.of(code);
  }

  /**
   * Why {@code vanity} cannot be a vanity code, or empty when it can. Codes of the generated shape
   * are refused so a vanity code can never collide with a future generated one by accident.
   */
  public static Optional<String> vanityProblem(String vanity) {
    // Measured as stored ({@link #canonical}: upper case): "ß" becomes "SS", so 17 of them are a
    // 34-character code (until 2026-12-06 such a code passed here, {@link #canonical} had none for
    // it, and the join failed with a 500).
    String upper = vanity == null ? null : vanity.toUpperCase(Locale.ROOT);
    if (upper == null || upper.length() < 3 || upper.length() > 32) {
      return Optional.of("A vanity code has 3 to 32 characters.");
    }
    for (char c : upper.toCharArray()) {
      if (!isVanityChar(c)) {
        return Optional.of("A vanity code has only letters, digits, '-' and '_'.");
      }
    }
    if (upper.length() == LENGTH
        && upper
            .replace('I', '1')
            .replace('L', '1')
            .replace('O', '0')
            .chars()
            .allMatch(ch -> ALPHABET.indexOf(ch) >= 0)) {
      return Optional.of(
          "A vanity code of 8 base32 characters could clash with generated codes; pick another"
              + " length or add '-' or '_'.");
    }
    return Optional.empty();
  }

  private static boolean isVanityChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }
}
