package io.growthos.core.campaigns;

import io.growthos.model.contacts.ContactEmail;
import java.util.Locale;
import java.util.Optional;

/**
 * The form of an e-mail address that fraud checks compare: the address as a contact's email field
 * holds it ({@link ContactEmail#normalize}: trimmed of every Unicode space, composed to NFC, the
 * one rule of both services), then lower case, the {@code +tag} dropped, and for Gmail ({@code
 * gmail.com}, {@code googlemail.com}) the dots of the local part dropped and the domain folded to
 * {@code gmail.com}, since Gmail delivers all of those to one inbox. It is a comparison key, never
 * an address to send to.
 */
public final class EmailNormalizer {

  private EmailNormalizer() {}

  /** The comparison key of {@code email}, or empty when it has no {@code local@domain} shape. */
  public static Optional<String> normalize(String email) {
    // ContactEmail's rule first: a trait typed decomposed ("zoe" + U+0308) or pasted with a
    // no-break space is the same address as the contact's field, so the same key.
    String address = ContactEmail.normalize(email);
    if (address == null) {
      return Optional.empty();
    }
    String e = address.toLowerCase(Locale.ROOT);
    int at = e.lastIndexOf('@');
    if (at <= 0 || at == e.length() - 1) {
      return Optional.empty();
    }
    String local = e.substring(0, at);
    // A domain's absolute form ends in a dot ("example.com.") and names the same domain: without
    // this, "jane@gmail.com." was another person than "jane@gmail.com", a self-referral that
    // passed.
    String domain = e.endsWith(".") ? e.substring(at + 1, e.length() - 1) : e.substring(at + 1);
    if (domain.isEmpty()) {
      return Optional.empty();
    }
    int plus = local.indexOf('+');
    if (plus == 0) {
      return Optional.empty();
    }
    if (plus > 0) {
      local = local.substring(0, plus);
    }
    if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
      local = local.replace(".", "");
      domain = "gmail.com";
    }
    if (local.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(local + "@" + domain);
  }
}
