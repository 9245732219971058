package io.growthos.core.campaigns;

import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What of a person a social-proof feed may show, decided on the server (SPEC §8): a first name and
 * at most the initial of the last name, a city or country, and a coarse "time ago". Never an
 * e-mail, a user id or a full name.
 *
 * <p>Values come from contact traits that anyone may have filled with anything, so each is cleaned
 * (Unicode NFC, control, format and private-use characters removed, whitespace collapsed) and then
 * accepted only when it looks like what it claims to be: a first name is one word of letters (with
 * marks, apostrophes, hyphens, dots) of at most {@value #MAX_NAME} characters, so an e-mail, a
 * handle with digits, a URL or a full name typed into {@code first_name} falls back instead of
 * showing. {@link #leaks} is the last check on a whole rendered message.
 */
public final class SocialProofMasking {

  /** Longest first name shown, in code points. */
  public static final int MAX_NAME = 24;

  /** Longest city or country shown, in code points. */
  public static final int MAX_PLACE = 40;

  private static final Pattern NAME_WORD = Pattern.compile("[\\p{L}\\p{M}][\\p{L}\\p{M}'’.\\-]*");

  /**
   * A dot between two letters and something more ({@code anna.schmidt}, {@code acme.com}): a
   * handle, an e-mail's local part or a domain, not a name. An initial's dot ({@code J.R.}) follows
   * a single letter, and a final dot ({@code Wm.}) is followed by nothing.
   */
  private static final Pattern DOT_INSIDE = Pattern.compile("\\p{L}\\p{M}*\\p{L}\\p{M}*\\.(?=.)");

  private static final Pattern PLACE = Pattern.compile("[\\p{L}\\p{M}][\\p{L}\\p{M}'’.\\- ]*");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /**
   * Anything with an at sign (ASCII, full-width or small) between two non-space characters: what
   * counts as e-mail-shaped for {@link #leaks}.
   */
  static final Pattern EMAIL_SHAPED = Pattern.compile("\\S[@＠﹫]\\S");

  private SocialProofMasking() {}

  /** The first name to show, from traits {@code first_name}, {@code firstName} or {@code name}. */
  public static Optional<String> firstName(JsonNode traits) {
    Optional<String> given = text(traits, "first_name").or(() -> text(traits, "firstName"));
    Optional<String> raw =
        given.isPresent()
            ? given
            : text(traits, "name")
                .map(SocialProofMasking::words)
                .filter(w -> !isWholeName(w))
                .flatMap(w -> w.stream().findFirst());
    return raw.flatMap(r -> words(r).stream().findFirst()).filter(SocialProofMasking::isNameWord);
  }

  /**
   * "Anna K." (first name and last initial) when both are known, else the first name alone. The
   * last name comes from {@code last_name}, {@code lastName} or the last word of a {@code name} of
   * two words or more.
   */
  public static Optional<String> shortName(JsonNode traits) {
    Optional<String> first = firstName(traits);
    if (first.isEmpty()) {
      return first;
    }
    return Optional.of(
        lastInitial(traits).map(i -> first.get() + " " + i + ".").orElse(first.get()));
  }

  private static Optional<String> lastInitial(JsonNode traits) {
    // An e-mail typed as the last name is no last name: not even its first letter is shown. Nor is
    // the initial of a last name of one letter, which is all of it, nor of a Chinese, Japanese or
    // Korean one: such family names are mostly one or two characters, so "小明 王." was the whole
    // name 王小明, and they are not shortened to initials.
    return lastName(traits)
        .filter(last -> !EMAIL_SHAPED.matcher(last).find())
        .filter(last -> last.codePoints().filter(Character::isLetter).count() >= 2)
        .filter(last -> !DisplayNames.isUnspacedFullName(last))
        .flatMap(
            last ->
                last.codePoints().filter(Character::isLetter).findFirst().stream()
                    .mapToObj(cp -> new String(Character.toChars(cp)).toUpperCase(Locale.ROOT))
                    .findFirst())
        .filter(i -> i.codePointCount(0, i.length()) == 1 && isNameWord(i));
  }

  /** The contact's last name as given (not for display: for {@link #leaks}). */
  static Optional<String> lastName(JsonNode traits) {
    Optional<String> given = text(traits, "last_name").or(() -> text(traits, "lastName"));
    if (given.isPresent()) {
      List<String> w = words(given.get());
      return w.isEmpty() ? Optional.empty() : Optional.of(w.get(w.size() - 1));
    }
    List<String> name = text(traits, "name").map(SocialProofMasking::words).orElse(List.of());
    return name.size() >= 2 ? Optional.of(name.get(name.size() - 1)) : Optional.empty();
  }

  /** A city from traits {@code city} or {@code address.city}. */
  public static Optional<String> city(JsonNode traits) {
    return place(traits, "city");
  }

  /** A country from traits {@code country} or {@code address.country}. */
  public static Optional<String> country(JsonNode traits) {
    return place(traits, "country");
  }

  private static Optional<String> place(JsonNode traits, String field) {
    Optional<String> raw =
        text(traits, field).or(() -> text(traits == null ? null : traits.get("address"), field));
    return raw.map(r -> String.join(" ", words(r)))
        .filter(p -> !p.isEmpty() && p.codePointCount(0, p.length()) <= MAX_PLACE)
        .filter(p -> PLACE.matcher(p).matches());
  }

  /**
   * Coarse time since an event: "just now", "5 minutes ago", "2 hours ago", "3 days ago", "2 weeks
   * ago", "4 months ago". Never finer than the unit it names.
   */
  public static String timeAgo(Duration age) {
    long s = Math.max(0, age.toSeconds());
    if (s < 60) {
      return "just now";
    }
    if (s < 3600) {
      return unit(s / 60, "minute");
    }
    if (s < 86_400) {
      return unit(s / 3600, "hour");
    }
    if (s < 14 * 86_400) {
      return unit(s / 86_400, "day");
    }
    if (s < 60 * 86_400) {
      return unit(s / (7 * 86_400), "week");
    }
    return unit(s / (30 * 86_400), "month");
  }

  private static String unit(long n, String unit) {
    return n + " " + unit + (n == 1 ? "" : "s") + " ago";
  }

  /**
   * Whether {@code message} shows something of the person it must not: an e-mail-shaped string, the
   * contact's e-mail, its local part (unless that is only the given name of a contact whose last
   * name it lacks), user id, or their last name or whole {@code name} (so no full name: also a
   * one-word CJK name). Case-insensitive; the local part, user id and last name count as whole
   * words only, and those shorter than 3 characters (2 for a last name) are too short to tell apart
   * from ordinary text. A Chinese, Japanese or Korean last name counts wherever it appears, as
   * those scripts put no space between family and given name.
   */
  public static boolean leaks(String message, String email, String userId, JsonNode traits) {
    if (EMAIL_SHAPED.matcher(message).find()) {
      return true;
    }
    String m = message.toLowerCase(Locale.ROOT);
    Optional<String> last = lastName(traits);
    if (email != null && !email.isBlank()) {
      String address = email.strip().toLowerCase(Locale.ROOT);
      if (m.contains(address)) {
        return true;
      }
      // "annaschmidt" shown for annaschmidt@…: with the domain (a guess away) that is the address.
      // A local part that is only the given name (anna@…, of Anna Schmidt) says no more than the
      // name does; without a last name to tell the two apart, it counts as the address.
      int at = address.lastIndexOf('@');
      String local = at > 0 ? address.substring(0, at) : "";
      if (local.codePointCount(0, local.length()) >= 3
          && containsWord(m, local)
          && (last.isEmpty() || local.contains(last.get().toLowerCase(Locale.ROOT)))) {
        return true;
      }
    }
    if (userId != null && userId.strip().length() >= 3 && containsWord(m, userId.strip())) {
      return true;
    }
    if (last.isPresent()
        && (DisplayNames.isUnspacedFullName(last.get())
            ? m.contains(last.get())
            : last.get().length() >= 2 && containsWord(m, last.get()))) {
      return true;
    }
    Optional<String> full =
        text(traits, "name").filter(n -> words(n).size() >= 2 || isWholeName(words(n)));
    return full.isPresent()
        && m.contains(String.join(" ", words(full.get())).toLowerCase(Locale.ROOT));
  }

  /** A {@code name} of one CJK word is a whole name ({@link DisplayNames#isUnspacedFullName}). */
  private static boolean isWholeName(List<String> nameWords) {
    return nameWords.size() == 1 && DisplayNames.isUnspacedFullName(nameWords.get(0));
  }

  private static boolean containsWord(String lowerMessage, String word) {
    String w = word.toLowerCase(Locale.ROOT);
    int from = 0;
    while (true) {
      int at = lowerMessage.indexOf(w, from);
      if (at < 0) {
        return false;
      }
      int end = at + w.length();
      boolean startOk = at == 0 || !Character.isLetterOrDigit(lowerMessage.codePointBefore(at));
      boolean endOk =
          end >= lowerMessage.length() || !Character.isLetterOrDigit(lowerMessage.codePointAt(end));
      if (startOk && endOk) {
        return true;
      }
      from = at + 1;
    }
  }

  private static boolean isNameWord(String w) {
    return w.codePointCount(0, w.length()) <= MAX_NAME
        && NAME_WORD.matcher(w).matches()
        && !DOT_INSIDE.matcher(w).find();
  }

  private static Optional<String> text(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    JsonNode v = node.get(field);
    if (v == null || !v.isString()) {
      return Optional.empty();
    }
    String cleaned = clean(v.asString());
    return cleaned.isEmpty() ? Optional.empty() : Optional.of(cleaned);
  }

  /** NFC, without control/format/private-use/unassigned characters, whitespace collapsed. */
  static String clean(String s) {
    String n = Normalizer.normalize(s, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(n.length());
    n.codePoints()
        .forEach(
            cp -> {
              if (isSpace(cp)) {
                out.append(' ');
              } else if (!isInvisible(cp)) {
                out.appendCodePoint(cp);
              }
            });
    return SPACES.matcher(out).replaceAll(" ").strip();
  }

  /**
   * Whether {@code s} shows nothing: every character is a space (no-break spaces included) or one
   * {@link #clean} removes (zero-width, bidi marks, other format and control characters). Exactly
   * when {@code clean(s)} is empty, without building it.
   */
  static boolean showsNothing(String s) {
    return s.codePoints().allMatch(cp -> isSpace(cp) || isInvisible(cp));
  }

  private static boolean isSpace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  private static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE
        || type == Character.UNASSIGNED;
  }

  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    for (String w : SPACES.split(clean(s))) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }
}
