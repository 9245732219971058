package io.growthos.management.campaigns;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.growthos.management.web.NotBlankText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;

/**
 * Body of {@code PATCH /v1/campaigns/{id}}. Every field is optional; {@code starts_at}, {@code
 * ends_at} and {@code audience} sent as {@code null} clear them, a null anywhere else is a 400
 * naming the field; {@code settings} replaces the settings as a whole (validated again, defaults
 * filled). The type cannot change.
 */
@Schema(name = "UpdateCampaign")
public final class UpdateCampaignRequest {

  private @Size(max = 200) @Pattern(regexp = NotBlankText.REGEXP, message = NotBlankText.MESSAGE)
  String name;
  private String status;
  private Instant startsAt;
  private boolean startsAtPresent;
  private Instant endsAt;
  private boolean endsAtPresent;
  private Object audience;
  private boolean audiencePresent;
  private Map<String, Object> settings;
  private Integer version;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Schema(
      description = "draft → active ↔ paused → ended; other moves are 422",
      allowableValues = {"draft", "active", "paused", "ended"})
  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  @Schema(
      description = "When the campaign starts; null clears it (no start: open once active)",
      nullable = true)
  public Instant getStartsAt() {
    return startsAt;
  }

  @JsonProperty("starts_at")
  @JsonSetter(nulls = Nulls.SET)
  public void setStartsAt(Instant startsAt) {
    this.startsAt = startsAt;
    this.startsAtPresent = true;
  }

  @JsonIgnore
  public boolean isStartsAtPresent() {
    return startsAtPresent;
  }

  @Schema(description = "When the campaign ends; null clears it (no end)", nullable = true)
  public Instant getEndsAt() {
    return endsAt;
  }

  @JsonProperty("ends_at")
  @JsonSetter(nulls = Nulls.SET)
  public void setEndsAt(Instant endsAt) {
    this.endsAt = endsAt;
    this.endsAtPresent = true;
  }

  @JsonIgnore
  public boolean isEndsAtPresent() {
    return endsAtPresent;
  }

  @Schema(
      description = "A filter (object) or a segment id (string); null for everyone",
      types = {"object", "string", "null"})
  public Object getAudience() {
    return audience;
  }

  @JsonProperty("audience")
  @JsonSetter(nulls = Nulls.SET)
  public void setAudience(Object audience) {
    this.audience = audience;
    this.audiencePresent = true;
  }

  @JsonIgnore
  public boolean isAudiencePresent() {
    return audiencePresent;
  }

  @Schema(description = "Replaces the settings as a whole")
  public Map<String, Object> getSettings() {
    return settings;
  }

  public void setSettings(Map<String, Object> settings) {
    this.settings = settings;
  }

  @Schema(description = "The version read; 409 version_conflict when stale")
  public Integer getVersion() {
    return version;
  }

  public void setVersion(Integer version) {
    this.version = version;
  }
}
