package io.growthos.model.contacts;

import io.growthos.model.values.TextLength;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The rules of a contact's email field, shared by both services.
 *
 * <ul>
 *   <li>Stored as given, trimmed of whitespace (Unicode's, no-break spaces included) and in Unicode
 *       NFC, so a composed and a decomposed "ë" are one spelling ({@link #normalize}); compared
 *       case-insensitively: within a workspace no two contacts hold the same address in any case
 *       (unique index on {@code lower(email)}).
 *   <li>The {@code email} trait (identify traits, or traits of a Management API create/PATCH)
 *       offers its value for the field when it is a usable address. If another contact of the
 *       workspace already holds that address, the field is left as it is and the address stays a
 *       trait only; the call still succeeds. Removing the trait does not clear the field.
 *   <li>The explicit {@code email} field of the Management API is strict: an address another
 *       contact holds is 409 {@code duplicate_resource}; {@code null} clears the field.
 * </ul>
 */
public final class ContactEmail {

  /** The trait whose value the field follows. */
  public static final String TRAIT = "email";

  /** Longest address kept as the field (RFC 5321's path limit, as the Management API accepts). */
  public static final int MAX_CHARS = 320;

  private ContactEmail() {}

  /**
   * The field value a given address is stored as: without the whitespace around it (every Unicode
   * space, no-break spaces included, and control characters), in Unicode NFC; blank is no address.
   * The one rule of both services, of identify's trait, the Management API's field and its filter,
   * and campaign joins.
   */
  public static String normalize(String address) {
    if (address == null) {
      return null;
    }
    String trimmed = strip(address);
    return trimmed.isEmpty() ? null : Normalizer.normalize(trimmed, Normalizer.Form.NFC);
  }

  /**
   * The value a lookup by email (the contact list's {@code email} filter) compares with the stored
   * field: normalized as the field is stored. A blank lookup stays blank and so matches no contact,
   * rather than becoming no filter at all.
   */
  public static String lookup(String address) {
    if (address == null) {
      return null;
    }
    String normalized = normalize(address);
    return normalized == null ? "" : normalized;
  }

  private static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  /** Whitespace in Java's sense or Unicode's (no-break spaces), or a control character. */
  private static boolean isSpace(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c);
  }

  /**
   * A character no address holds: whitespace, a control character, or an invisible format character
   * (zero-width space and joiners, the byte-order mark, a soft hyphen, direction marks), which
   * would make an address that looks like another one.
   */
  private static boolean isForbidden(int c) {
    return isSpace(c) || Character.getType(c) == Character.FORMAT;
  }

  /**
   * The address an {@code email} trait value offers: a string that looks like one address
   * (something@something, no whitespace, at most {@link #MAX_CHARS}), trimmed; otherwise null.
   */
  public static String fromTrait(Object value) {
    if (!(value instanceof String s)) {
      return null;
    }
    String address = normalize(s);
    return isAddress(address) ? address : null;
  }

  /**
   * Whether {@code address} (already trimmed) is a usable address: something@something, no
   * whitespace (no-break spaces included), control or invisible format character (a zero-width
   * space), at most {@link #MAX_CHARS} characters. The one format rule of a contact's email field,
   * wherever it is set: identify's and the Management API's {@code email} trait, the Management
   * API's explicit {@code email} field, and a campaign join (widget or Management API).
   */
  public static boolean isAddress(String address) {
    if (address == null || address.isEmpty() || !TextLength.atMost(address, MAX_CHARS)) {
      return false;
    }
    int at = address.indexOf('@');
    return at > 0
        && at < address.length() - 1
        && address.codePoints().noneMatch(ContactEmail::isForbidden);
  }

  /**
   * The uniqueness key of an address, as stored ({@link #normalize}) then lower-cased; the same as
   * SQL's {@code lower(email)} of the stored field for ASCII.
   */
  public static String key(String address) {
    String normalized = normalize(address);
    return normalized == null ? null : normalized.toLowerCase(Locale.ROOT);
  }

  /** Whether two addresses are the same for uniqueness. */
  public static boolean sameAddress(String a, String b) {
    return a != null && b != null && key(a).equals(key(b));
  }
}
