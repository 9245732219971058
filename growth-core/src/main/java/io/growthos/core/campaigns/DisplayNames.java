package io.growthos.core.campaigns;

import java.util.Locale;

/**
 * The name a browser may see of someone (SPEC §8: widget leaderboards, social-proof feeds): the
 * first name and the initial of the last name at most ({@code "Ada L."}), never an e-mail, a user
 * id or a full name. Built from traits only; someone without a usable first name shows as the
 * caller's fallback (e.g. {@code "Someone"}).
 *
 * <p>The first name is the trait {@code first_name} (or {@code firstName}), else the first word of
 * {@code name} (not a one-word CJK {@code name}: {@link #isUnspacedFullName}); the initial comes
 * from {@code last_name} (or {@code lastName}), else the last word of a {@code name} of two words
 * or more. Only the first word of a first-name trait is kept (a full name stored there is cut),
 * anything that looks like an e-mail is dropped, and the first name is cut to {@link
 * #MAX_FIRST_NAME} characters.
 */
public final class DisplayNames {

  /** Longest first name shown, in code points. */
  public static final int MAX_FIRST_NAME = 24;

  /**
   * SQL select expressions (on contacts aliased {@code c}) for the string traits {@link #masked}
   * reads, in its parameter order: first name, last name, full name. A trait that is not a JSON
   * string reads as null.
   */
  public static final String SQL_COLUMNS =
      stringTrait("first_name", "firstName")
          + " as dn_first, "
          + stringTrait("last_name", "lastName")
          + " as dn_last, "
          + stringTrait("name", null)
          + " as dn_name";

  private DisplayNames() {}

  private static String stringTrait(String snake, String camel) {
    String one =
        "case when jsonb_typeof(c.traits->'"
            + snake
            + "') = 'string' then c.traits->>'"
            + snake
            + "' end";
    if (camel == null) {
      return one;
    }
    String other =
        "case when jsonb_typeof(c.traits->'"
            + camel
            + "') = 'string' then c.traits->>'"
            + camel
            + "' end";
    return "coalesce(" + one + ", " + other + ")";
  }

  /**
   * {@code "First L."}, {@code "First"}, or {@code fallback} when no usable first name is known.
   *
   * @param firstName the first-name trait, may be null
   * @param lastName the last-name trait, may be null
   * @param fullName the name trait, may be null
   */
  public static String masked(String firstName, String lastName, String fullName, String fallback) {
    String[] full = words(fullName);
    String first = usable(firstWord(firstName));
    if (first == null && full.length > 0 && !(full.length == 1 && isUnspacedFullName(full[0]))) {
      first = usable(full[0]);
    }
    if (first == null) {
      return fallback;
    }
    if (first.codePointCount(0, first.length()) > MAX_FIRST_NAME) {
      first = first.substring(0, first.offsetByCodePoints(0, MAX_FIRST_NAME));
    }
    String last = usable(firstWord(lastName));
    if (last == null && full.length > 1) {
      last = usable(full[full.length - 1]);
    }
    String initial = initial(last);
    return initial == null ? first : first + " " + initial + ".";
  }

  /**
   * Whether a one-word {@code name} is a whole name: Chinese, Japanese and Korean names are written
   * without a space between family and given name ("李小龙", "山田太郎", "김민준"), so such a word is not a
   * first name and is never shown. Any Han, Hiragana, Katakana or Hangul letter in it says so.
   */
  public static boolean isUnspacedFullName(String word) {
    return word != null
        && word.codePoints()
            .anyMatch(
                cp -> {
                  Character.UnicodeScript script = Character.UnicodeScript.of(cp);
                  return script == Character.UnicodeScript.HAN
                      || script == Character.UnicodeScript.HIRAGANA
                      || script == Character.UnicodeScript.KATAKANA
                      || script == Character.UnicodeScript.HANGUL;
                });
  }

  private static String[] words(String s) {
    if (s == null || s.isBlank()) {
      return new String[0];
    }
    return s.strip().split("\\s+");
  }

  private static String firstWord(String s) {
    String[] w = words(s);
    return w.length == 0 ? null : w[0];
  }

  /** The word, or null when it could identify someone beyond a first name or shows nothing. */
  private static String usable(String word) {
    if (word == null || word.isEmpty() || word.contains("@")) {
      return null;
    }
    return word.codePoints().anyMatch(Character::isLetter) ? word : null;
  }

  private static String initial(String last) {
    if (last == null) {
      return null;
    }
    return last.codePoints().filter(Character::isLetter).findFirst().stream()
        .mapToObj(cp -> new String(Character.toChars(cp)).toUpperCase(Locale.ROOT))
        .findFirst()
        .orElse(null);
  }
}
