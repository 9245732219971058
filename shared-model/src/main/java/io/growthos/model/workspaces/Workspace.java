package io.growthos.model.workspaces;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.plans.Plan;
import io.growthos.model.values.TimestampRange;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A tenant: every other resource belongs to exactly one workspace. */
@Entity
@Table(name = "workspaces")
public class Workspace {

  @Id private String id;

  @Column(nullable = false)
  private String name;

  @Column(nullable = false)
  private String plan;

  @Column(nullable = false)
  private String timezone = "UTC";

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "allowed_origins", nullable = false)
  private String[] allowedOrigins = new String[0];

  @Column(name = "dedupe_window_seconds", nullable = false)
  private int dedupeWindowSeconds = 7 * 24 * 3600;

  @Version private int version;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected Workspace() {}

  public Workspace(String name, Plan plan) {
    this.id = Ids.next(IdPrefix.WORKSPACE);
    this.name = name;
    this.plan = plan.wireName();
    // Rows start at version 1, as the column default gives rows inserted with SQL.
    this.version = 1;
    this.createdAt = TimestampRange.now();
    this.updatedAt = createdAt;
  }

  public String getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public Plan getPlan() {
    return Plan.ofWireName(plan).orElseThrow();
  }

  public String getTimezone() {
    return timezone;
  }

  public List<String> getAllowedOrigins() {
    return List.of(allowedOrigins);
  }

  public int getDedupeWindowSeconds() {
    return dedupeWindowSeconds;
  }

  public int getVersion() {
    return version;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Instant getUpdatedAt() {
    return updatedAt;
  }

  public void rename(String name) {
    this.name = name;
    touch();
  }

  public void changePlan(Plan plan) {
    this.plan = plan.wireName();
    touch();
  }

  public void changeTimezone(String timezone) {
    this.timezone = timezone;
    touch();
  }

  public void changeAllowedOrigins(List<String> origins) {
    this.allowedOrigins = origins.toArray(String[]::new);
    touch();
  }

  public void changeDedupeWindowSeconds(int seconds) {
    this.dedupeWindowSeconds = seconds;
    touch();
  }

  private void touch() {
    this.updatedAt = TimestampRange.now();
  }

  @Override
  public String toString() {
    return "Workspace["
        + id
        + ", plan="
        + plan
        + ", origins="
        + Arrays.toString(allowedOrigins)
        + "]";
  }
}
