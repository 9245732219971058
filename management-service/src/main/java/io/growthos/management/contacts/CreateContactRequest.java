package io.growthos.management.contacts;

import io.growthos.model.contacts.ContactIds;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/contacts}. Every field is optional. Ids follow {@link ContactIds}, the
 * rule identify reads them by.
 */
@Schema(name = "CreateContact")
public record CreateContactRequest(
    @Email @Size(max = 320) String email,
    @Size(min = 1, max = ContactIds.MAX_CHARS) String userId,
    @Size(max = 100) List<@NotBlank @Size(max = ContactIds.MAX_CHARS) String> anonymousIds,
    Map<String, Object> traits) {

  /** The email without surrounding whitespace, as identify's email trait is read at ingest. */
  public CreateContactRequest {
    email = email == null ? null : email.trim();
  }
}
