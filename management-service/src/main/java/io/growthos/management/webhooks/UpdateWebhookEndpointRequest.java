package io.growthos.management.webhooks;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code PATCH /v1/webhook-endpoints/{id}}: fields sent replace the stored ones, absent
 * fields stay; {@code description} sent as {@code null} clears it, a null anywhere else is a 400
 * naming the field. Enabling a disabled endpoint clears its {@code disabled_reason}.
 *
 * <p>A class rather than a record: an absent {@code description} and a {@code description} of
 * {@code null} mean different things.
 */
@Schema(name = "UpdateWebhookEndpoint")
public final class UpdateWebhookEndpointRequest {

  private @Size(max = WebhookUrls.MAX_LENGTH) String url;
  private @Size(min = 1, max = 50) List<@NotNull String> events;
  private @Size(max = 500) String description;
  private boolean descriptionPresent;
  private String status;
  private Integer version;

  @Schema(description = "As on create; an internationalised host is stored in ASCII form")
  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public List<String> getEvents() {
    return events;
  }

  public void setEvents(List<String> events) {
    this.events = events;
  }

  @Schema(description = "Replaces the description; null clears it", nullable = true)
  public String getDescription() {
    return description;
  }

  @JsonProperty("description")
  @JsonSetter(nulls = Nulls.SET)
  public void setDescription(String description) {
    this.description = description;
    this.descriptionPresent = true;
  }

  @JsonIgnore
  public boolean isDescriptionPresent() {
    return descriptionPresent;
  }

  @Schema(allowableValues = {"enabled", "disabled"})
  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  @Schema(description = "The version read; 409 version_conflict when stale")
  public Integer getVersion() {
    return version;
  }

  public void setVersion(Integer version) {
    this.version = version;
  }
}
