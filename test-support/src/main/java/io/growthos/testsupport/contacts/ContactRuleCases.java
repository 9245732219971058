package io.growthos.testsupport.contacts;

import java.util.List;
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
 */
public record ContactRuleCases(
    String name,
    String otherContactEmail,
    List<String> steps,
    String traits,
    String email,
    int version) {

  @Override
  public String toString() {
    return name;
  }

  private static ContactRuleCases of(
      String name, String other, List<String> steps, String traits, String email, int version) {
    return new ContactRuleCases(name, other, steps, traits, email, version);
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
        of(
            "a trait change and an email change in one call are one version",
            null,
            List.of("{\"a\":1}", "{\"a\":2,\"email\":\"c@example.com\"}"),
            "{\"a\":2,\"email\":\"c@example.com\"}",
            "c@example.com",
            2));
  }
}
