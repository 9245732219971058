package io.growthos.management.segments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.growthos.management.web.NotBlankText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/**
 * Body of {@code PATCH /v1/segments/{id}}: fields present replace the stored ones; {@code
 * description} sent as {@code null} clears it; {@code version}, when sent, must be the current
 * version. A null anywhere else is a 400 naming the field.
 *
 * <p>A class rather than a record: an absent {@code description} and a {@code description} of
 * {@code null} mean different things.
 */
@Schema(name = "UpdateSegment")
final class UpdateSegmentRequest {

  private @Size(max = 200) @Pattern(regexp = NotBlankText.REGEXP, message = NotBlankText.MESSAGE)
  String name;
  private @Size(max = 2000) String description;
  private boolean descriptionPresent;
  private JsonNode filter;
  private Integer version;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
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

  @Schema(ref = "#/components/schemas/Filter")
  public JsonNode getFilter() {
    return filter;
  }

  public void setFilter(JsonNode filter) {
    this.filter = filter;
  }

  @Schema(description = "The version read; 409 version_conflict when stale")
  public Integer getVersion() {
    return version;
  }

  public void setVersion(Integer version) {
    this.version = version;
  }
}
