package io.growthos.testsupport.contacts;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One table of what a sequence of trait changes does to a contact, whichever service applies it.
 * Each step is the traits document of one call: the first creates the contact (identify of a new
 * userId, or {@code POST /v1/contacts} with those traits), every later one changes it (identify
 * again, or {@code PATCH /v1/contacts/{id}} with those traits). A test of each service runs every
 * case and checks the stored contact against the expectation.
 *
 * @param name what the case shows
 * @param otherContactEmail an email another contact of the workspace holds before the steps, or
 *     null
 * @param steps traits JSON object texts, in order
 * @param traits the expected traits (JSON object text)
 * @param email the expected email field, or null
 * @param version the expected version: 1 at creation, one more per call that changed the contact
 * @param refused the indexes of the steps whose change the traits cap ({@code Traits.MAX_BYTES})
 *     refuses as a whole, traits and email: the Management API answers 400 {@code too_large} on
 *     {@code traits}, the Ingest API stores and acknowledges the identify and leaves the contact as
 *     it was (docs/contacts.md)
 */
public record ContactRuleCases(
    String name,
    String otherContactEmail,
    List<String> steps,
    String traits,
    String email,
    int version,
    Set<Integer> refused) {

  @Override
  public String toString() {
    return name;
  }

  private static ContactRuleCases of(
      String name, String other, List<String> steps, String traits, String email, int version) {
    return new ContactRuleCases(name, other, steps, traits, email, version, Set.of());
  }

  private static ContactRuleCases capped(
      String name,
      List<String> steps,
      String traits,
      String email,
      int version,
      Integer... refused) {
    return new ContactRuleCases(name, null, steps, traits, email, version, Set.of(refused));
  }

  /**
   * {@code {"<key>": "<length x's>"}}. Traits of string members {@code k1…kn} of lengths {@code
   * l1…ln} are {@code Σ l + 10n} bytes as PostgreSQL writes them ({@code {"k1": "…", "k2": "…"}}),
   * so three members of 21,836 + 21,835 + 21,835 are exactly 65,536 = 64 KB (as compact JSON they
   * would be 5 bytes fewer). Each fits in one 32 KB identify.
   */
  /** One character, two UTF-16 units. */
  private static final String EMOJI = "\uD83D\uDE00";

  private static String text(String key, int length) {
    return "{\"" + key + "\":\"" + "x".repeat(length) + "\"}";
  }

  private static String texts(int... lengths) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < lengths.length; i++) {
      out.append(i == 0 ? "" : ",")
          .append("\"k")
          .append(i + 1)
          .append("\":\"")
          .append("x".repeat(lengths[i]))
          .append('"');
    }
    return out.append('}').toString();
  }

  /** Every case; a source for {@code @MethodSource}. */
  public static Stream<ContactRuleCases> all() {
    return Stream.of(
        of(
            "values set traits",
            null,
            List.of("{\"plan\":\"free\",\"age\":30}"),
            "{\"plan\":\"free\",\"age\":30}",
            null,
            1),
        of(
            "later values win",
            null,
            List.of("{\"plan\":\"free\"}", "{\"plan\":\"pro\"}"),
            "{\"plan\":\"pro\"}",
            null,
            2),
        of(
            "absent traits are kept",
            null,
            List.of("{\"a\":1}", "{\"b\":2}"),
            "{\"a\":1,\"b\":2}",
            null,
            2),
        of(
            "null removes a trait",
            null,
            List.of("{\"a\":1,\"b\":2}", "{\"a\":null}"),
            "{\"b\":2}",
            null,
            2),
        of(
            "null of an absent trait changes nothing",
            null,
            List.of("{\"a\":1}", "{\"zzz\":null}"),
            "{\"a\":1}",
            null,
            1),
        of("null at creation stores nothing", null, List.of("{\"a\":null}"), "{}", null, 1),
        of(
            "the same values change nothing",
            null,
            List.of("{\"a\":1,\"b\":\"x\"}", "{\"a\":1}", "{}"),
            "{\"a\":1,\"b\":\"x\"}",
            null,
            1),
        of(
            "a nested object is replaced whole and its nulls are kept",
            null,
            List.of("{\"o\":{\"x\":1,\"y\":2}}", "{\"o\":{\"x\":null}}"),
            "{\"o\":{\"x\":null}}",
            null,
            2),
        of(
            "the email trait becomes the field",
            null,
            List.of("{\"email\":\"Ada@Example.com\"}"),
            "{\"email\":\"Ada@Example.com\"}",
            "Ada@Example.com",
            1),
        of(
            "an email another contact holds stays a trait",
            "ada@example.com",
            List.of("{\"email\":\"ADA@example.com\",\"plan\":\"pro\"}"),
            "{\"email\":\"ADA@example.com\",\"plan\":\"pro\"}",
            null,
            1),
        of(
            "a new email trait changes the field",
            null,
            List.of("{\"email\":\"a@example.com\"}", "{\"email\":\"b@example.com\"}"),
            "{\"email\":\"b@example.com\"}",
            "b@example.com",
            2),
        of(
            "removing the email trait keeps the field",
            null,
            List.of("{\"email\":\"a@example.com\"}", "{\"email\":null}"),
            "{}",
            "a@example.com",
            2),
        of(
            "an email trait that is no address stays a trait",
            null,
            List.of("{\"email\":\"not an address\"}"),
            "{\"email\":\"not an address\"}",
            null,
            1),
        // One spelling of an address whatever the keyboard: decomposed (NFD, as some macOS
        // input sends "ë" as e + U+0308) is the composed (NFC) address, and invisible characters
        // are no part of one (docs/contacts.md "Email").
        of(
            "a decomposed (NFD) email trait becomes the field composed (NFC)",
            null,
            List.of("{\"email\":\"Zoe\\u0308@example.com\"}"),
            "{\"email\":\"Zoe\\u0308@example.com\"}",
            "Zo\u00eb@example.com",
            1),
        of(
            "a decomposed email trait is the composed address another contact holds",
            "zo\u00eb@example.com",
            List.of("{\"email\":\"ZOE\\u0308@example.com\"}"),
            "{\"email\":\"ZOE\\u0308@example.com\"}",
            null,
            1),
        of(
            "an email trait with a zero-width space is no address",
            null,
            List.of("{\"email\":\"ada\\u200b@example.com\"}"),
            "{\"email\":\"ada\\u200b@example.com\"}",
            null,
            1),
        of(
            "an email trait with a no-break space inside is no address",
            null,
            List.of("{\"email\":\"ada\\u00a0lovelace@example.com\"}"),
            "{\"email\":\"ada\\u00a0lovelace@example.com\"}",
            null,
            1),
        of(
            "an email trait between no-break spaces becomes the field without them",
            null,
            List.of("{\"email\":\"\\u00a0\\u2003ada@example.com\\u00a0\"}"),
            "{\"email\":\"\\u00a0\\u2003ada@example.com\\u00a0\"}",
            "ada@example.com",
            1),
        of(
            "an email of 320 characters, emoji among them (628 UTF-16 units), becomes the field",
            null,
            List.of("{\"email\":\"" + EMOJI.repeat(308) + "@example.com\"}"),
            "{\"email\":\"" + EMOJI.repeat(308) + "@example.com\"}",
            EMOJI.repeat(308) + "@example.com",
            1),
        of(
            "an email of 321 characters stays a trait",
            null,
            List.of("{\"email\":\"" + EMOJI.repeat(309) + "@example.com\"}"),
            "{\"email\":\"" + EMOJI.repeat(309) + "@example.com\"}",
            null,
            1),
        of(
            "a trait change and an email change in one call are one version",
            null,
            List.of("{\"a\":1}", "{\"a\":2,\"email\":\"c@example.com\"}"),
            "{\"a\":2,\"email\":\"c@example.com\"}",
            "c@example.com",
            2),
        capped(
            "traits of exactly 64 KB as PostgreSQL writes them are kept",
            List.of(text("k1", 21_836), text("k2", 21_835), text("k3", 21_835)),
            texts(21_836, 21_835, 21_835),
            null,
            3),
        capped(
            "a change that would grow traits one byte past 64 KB is refused, later ones apply",
            List.of(
                text("k1", 21_836), text("k2", 21_835), text("k3", 21_836), "{\"k1\":\"short\"}"),
            "{\"k1\":\"short\",\"k2\":\"" + "x".repeat(21_835) + "\"}",
            null,
            3,
            2),
        capped(
            "a refused change sets no email either",
            List.of(
                text("k1", 30_000),
                text("k2", 30_000),
                "{\"email\":\"big@example.com\",\"k3\":\"" + "x".repeat(10_000) + "\"}"),
            texts(30_000, 30_000),
            null,
            2,
            2),
        capped(
            "a change that stays within 64 KB by removing traits is kept",
            List.of(
                text("k1", 30_000),
                text("k2", 30_000),
                "{\"k1\":null,\"k3\":\"" + "x".repeat(30_000) + "\"}"),
            "{\"k2\":\"" + "x".repeat(30_000) + "\",\"k3\":\"" + "x".repeat(30_000) + "\"}",
            null,
            3));
  }
}
