package io.growthos.management.contacts;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * Body of {@code PATCH /v1/contacts/{id}}. {@code traits} merges into the stored traits (a {@code
 * null} value removes that trait); {@code email} replaces the email when present ({@code null}
 * clears it); {@code version}, when sent, must be the current version. A null anywhere else ({@code
 * "traits": null}, {@code "version": null}) is a 400 naming the field.
 *
 * <p>A class rather than a record: an absent {@code email} and an {@code email} of {@code null}
 * mean different things.
 */
@Schema(name = "UpdateContact")
public final class UpdateContactRequest {

  private Map<String, Object> traits;
  private @Email @Size(max = 320) String email;
  private boolean emailPresent;
  private Integer version;

  @Schema(description = "Merged into the stored traits; a null value removes that trait")
  public Map<String, Object> getTraits() {
    return traits;
  }

  public void setTraits(Map<String, Object> traits) {
    this.traits = traits;
  }

  @Schema(description = "Replaces the email; null clears it", nullable = true)
  public String getEmail() {
    return email;
  }

  @JsonProperty("email")
  @JsonSetter(nulls = Nulls.SET)
  public void setEmail(String email) {
    // Without surrounding whitespace, as identify's email trait is read at ingest.
    this.email = email == null ? null : email.trim();
    this.emailPresent = true;
  }

  @JsonIgnore
  public boolean isEmailPresent() {
    return emailPresent;
  }

  @Schema(description = "The version read; 409 version_conflict when stale")
  public Integer getVersion() {
    return version;
  }

  public void setVersion(Integer version) {
    this.version = version;
  }
}
