package io.growthos.model.contacts;

import io.growthos.model.values.TextLength;
import java.util.Locale;

/**
 * The rules of a contact's email field, shared by both services.
 *
 * <ul>
 *   <li>Stored as given (trimmed); compared case-insensitively: within a workspace no two contacts
 *       hold the same address in any case (unique index on {@code lower(email)}).
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

  /** The field value a given address is stored as: trimmed; blank is no address. */
  public static String normalize(String address) {
    if (address == null) {
      return null;
    }
    String trimmed = address.trim();
    return trimmed.isEmpty() ? null : trimmed;
  }

  /**
   * The value a lookup by email (the contact list's {@code email} filter) compares with the stored
   * field: trimmed, as the field is stored. A blank lookup stays blank and so matches no contact,
   * rather than becoming no filter at all.
   */
  public static String lookup(String address) {
    return address == null ? null : address.trim();
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
   * whitespace, at most {@link #MAX_CHARS} characters. The one format rule of a contact's email
   * field, wherever it is set: identify's and the Management API's {@code email} trait, the
   * Management API's explicit {@code email} field, and a campaign join (widget or Management API).
   */
  public static boolean isAddress(String address) {
    if (address == null || address.isEmpty() || !TextLength.atMost(address, MAX_CHARS)) {
      return false;
    }
    int at = address.indexOf('@');
    return at > 0
        && at < address.length() - 1
        && address.chars().noneMatch(Character::isWhitespace);
  }

  /** The uniqueness key of an address; the same as SQL's {@code lower(email)} for ASCII. */
  public static String key(String address) {
    return address == null ? null : address.toLowerCase(Locale.ROOT);
  }

  /** Whether two addresses are the same for uniqueness. */
  public static boolean sameAddress(String a, String b) {
    return a != null && b != null && key(a).equals(key(b));
  }
}
