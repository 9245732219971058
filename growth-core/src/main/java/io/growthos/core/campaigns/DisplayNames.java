package io.growthos.core.campaigns;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The name a browser may see of someone on a widget leaderboard (SPEC §8): the first name and the
 * initial of the last name at most ({@code "Ada L."}), never an e-mail, a user id or a full name,
 * by the one rule social-proof feeds use ({@link SocialProofMasking#shortName}): this class reads
 * the traits in SQL ({@link #SQL_COLUMNS}) and hands them to it. Someone without a usable first
 * name shows as the caller's fallback (e.g. {@code "Someone"}).
 */
public final class DisplayNames {

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
   * {@code "First L."}, {@code "First"}, or {@code fallback} when no usable first name is known:
   * {@link SocialProofMasking#shortName} of these traits, held to the feeds' last check ({@link
   * SocialProofMasking#leaks}: e.g. a first name that is the e-mail's local part falls back).
   *
   * @param firstName the first-name trait, may be null
   * @param lastName the last-name trait, may be null
   * @param fullName the name trait, may be null
   * @param email the contact's e-mail, may be null
   */
  public static String masked(
      String firstName, String lastName, String fullName, String email, String fallback) {
    ObjectNode traits = JsonNodeFactory.instance.objectNode();
    if (firstName != null) {
      traits.put("first_name", firstName);
    }
    if (lastName != null) {
      traits.put("last_name", lastName);
    }
    if (fullName != null) {
      traits.put("name", fullName);
    }
    return SocialProofMasking.shortName(traits)
        .filter(name -> !SocialProofMasking.leaks(name, email, null, traits))
        .orElse(fallback);
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
}
