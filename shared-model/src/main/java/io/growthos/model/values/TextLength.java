package io.growthos.model.values;

/**
 * How both services count the length of client text against a limit: in Unicode code points, as
 * people count characters (an emoji is one) and as PostgreSQL's {@code char_length} counts them in
 * a UTF-8 database, not in UTF-16 units as {@link String#length()} does (an emoji is two there, so
 * 200 emoji would be 400 and refused by a limit of 255 they fit).
 */
public final class TextLength {

  private TextLength() {}

  /** The number of characters (code points) of {@code s}. */
  public static int of(String s) {
    return s.codePointCount(0, s.length());
  }

  /**
   * Whether {@code s} has at most {@code max} characters. Costs nothing more than {@code length()}
   * for text of at most {@code max} UTF-16 units (a character is one or two units), which is every
   * id on the ingest hot path; only longer text is counted.
   */
  public static boolean atMost(String s, int max) {
    return s.length() <= max || of(s) <= max;
  }
}
