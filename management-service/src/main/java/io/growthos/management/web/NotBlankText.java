package io.growthos.management.web;

/**
 * The rule for an optional text field that, when given, must hold more than white space (names and
 * labels): {@code @Pattern(regexp = NotBlankText.REGEXP, message = NotBlankText.MESSAGE)} next to a
 * {@code @Size}. Absent or {@code null} passes, as for every bean validation constraint; {@code ""}
 * and {@code " \t"} are a 400 naming the field. The pattern also reaches the OpenAPI document, so
 * generated clients check it too.
 */
public final class NotBlankText {

  /**
   * At least one character that is not white space, anywhere in the text (line breaks too). White
   * space is what both Java's and JavaScript's {@code \s} match among ASCII (space, tab, line
   * breaks, form feed): the pattern reads the same in the OpenAPI document's clients. A name of
   * Unicode spaces alone (U+3000) passes; ids are not checked with it (identify's rule is {@link
   * String#isBlank}).
   */
  public static final String REGEXP = "[\\s\\S]*\\S[\\s\\S]*";

  public static final String MESSAGE = "must not be blank";

  private NotBlankText() {}
}
