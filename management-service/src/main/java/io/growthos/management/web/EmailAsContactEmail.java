package io.growthos.management.web;

import io.growthos.model.contacts.ContactEmail;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.constraints.Email;

/**
 * {@code @Email} on a string applies the one format rule of a contact's email field ({@link
 * ContactEmail#isAddress}: something@something, no whitespace), the rule identify's {@code email}
 * trait and the widget join follow. Hibernate Validator's own validator is stricter in some ways (a
 * 64-character local part, no {@code ..}) and looser in others (a quoted local part with a space),
 * so an address identify had stored as a contact's email was 400 when sent back in a PATCH, and a
 * widget join took addresses the Management API's join refused. Blank stays valid, as before (the
 * field is then no address). Registered next to Hibernate Validator's, and chosen for {@code
 * String} as the more specific, like {@link SizeInCharacters}.
 */
public final class EmailAsContactEmail implements ConstraintValidator<Email, String> {

  @Override
  public boolean isValid(String value, ConstraintValidatorContext context) {
    if (value == null) {
      return true;
    }
    String address = ContactEmail.normalize(value);
    return address == null || ContactEmail.isAddress(address);
  }
}
