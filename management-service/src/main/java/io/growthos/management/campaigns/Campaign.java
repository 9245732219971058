package io.growthos.management.campaigns;

import io.growthos.core.campaigns.CampaignStatus;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.ids.WorkspaceScopedId;
import io.growthos.model.values.TimestampRange;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A campaign. It guards its own lifecycle: the status only moves along {@link CampaignStatus}'s
 * transitions. {@code settings} and {@code audience} are jsonb held as JSON text (see {@code
 * Contact} for why); the service validates them per type before they get here.
 */
@Entity
@Table(name = "campaigns")
@IdClass(WorkspaceScopedId.class)
class Campaign {

  @Id
  @Column(name = "workspace_id")
  private String workspaceId;

  @Id private String id;

  @Column(nullable = false, updatable = false)
  private String type;

  @Column(nullable = false)
  private String name;

  @Column(nullable = false)
  private String status;

  @Column(name = "starts_at")
  private Instant startsAt;

  @Column(name = "ends_at")
  private Instant endsAt;

  @Column(columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String audience;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String settings = "{}";

  @Version private int version;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected Campaign() {}

  Campaign(
      String workspaceId,
      CampaignType type,
      String name,
      Instant startsAt,
      Instant endsAt,
      String audienceJson,
      String settingsJson) {
    this.workspaceId = workspaceId;
    this.id = Ids.next(IdPrefix.CAMPAIGN);
    this.type = type.wireName();
    this.name = name;
    this.status = CampaignStatus.DRAFT.wireName();
    this.startsAt = startsAt;
    this.endsAt = endsAt;
    this.audience = audienceJson;
    this.settings = settingsJson;
    this.version = 1;
    this.createdAt = TimestampRange.now();
    this.updatedAt = createdAt;
  }

  String getWorkspaceId() {
    return workspaceId;
  }

  String getId() {
    return id;
  }

  CampaignType getType() {
    return CampaignType.ofWireName(type).orElseThrow();
  }

  String getName() {
    return name;
  }

  CampaignStatus getStatus() {
    return CampaignStatus.ofWireName(status).orElseThrow();
  }

  Instant getStartsAt() {
    return startsAt;
  }

  Instant getEndsAt() {
    return endsAt;
  }

  String getAudience() {
    return audience;
  }

  String getSettings() {
    return settings;
  }

  int getVersion() {
    return version;
  }

  Instant getCreatedAt() {
    return createdAt;
  }

  Instant getUpdatedAt() {
    return updatedAt;
  }

  /**
   * Moves to {@code target}; 422 when the state machine does not allow it.
   *
   * @return whether the status changed
   */
  boolean moveTo(CampaignStatus target) {
    CampaignStatus current = getStatus();
    current.moveTo(target);
    if (current == target) {
      return false;
    }
    this.status = target.wireName();
    touch();
    return true;
  }

  void rename(String name) {
    this.name = name;
    touch();
  }

  void schedule(Instant startsAt, Instant endsAt) {
    this.startsAt = startsAt;
    this.endsAt = endsAt;
    touch();
  }

  void target(String audienceJson) {
    this.audience = audienceJson;
    touch();
  }

  void configure(String settingsJson) {
    this.settings = settingsJson;
    touch();
  }

  private void touch() {
    this.updatedAt = TimestampRange.now();
  }
}
