package io.growthos.model.contacts;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.ids.WorkspaceScopedId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A person known to one workspace. {@code traits} is the jsonb document as JSON text: Hibernate 7.2
 * only ships a Jackson 2 JSON format mapper and the apps run Jackson 3, so the column is mapped as
 * text with a {@code ::jsonb} cast on write and parsed by the service that owns the JSON mapper.
 */
@Entity
@Table(name = "contacts")
@IdClass(WorkspaceScopedId.class)
public class Contact {

  @Id
  @Column(name = "workspace_id")
  private String workspaceId;

  @Id private String id;

  @Column(name = "user_id")
  private String userId;

  private String email;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String traits = "{}";

  @Column(name = "first_seen_at")
  private Instant firstSeenAt;

  @Column(name = "last_seen_at")
  private Instant lastSeenAt;

  @Version private int version;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected Contact() {}

  /** A new contact; {@code traitsJson} must be a JSON object. */
  public Contact(String workspaceId, String userId, String email, String traitsJson) {
    this.workspaceId = workspaceId;
    this.id = Ids.next(IdPrefix.CONTACT);
    this.userId = userId;
    this.email = email;
    this.traits = traitsJson == null ? "{}" : traitsJson;
    this.createdAt = Instant.now();
    this.updatedAt = createdAt;
    this.version = 1;
  }

  public String getWorkspaceId() {
    return workspaceId;
  }

  public String getId() {
    return id;
  }

  public String getUserId() {
    return userId;
  }

  public String getEmail() {
    return email;
  }

  /** The traits as a JSON object text. */
  public String getTraits() {
    return traits;
  }

  public Instant getFirstSeenAt() {
    return firstSeenAt;
  }

  public Instant getLastSeenAt() {
    return lastSeenAt;
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

  /** Replaces the traits document (the caller merged it) and the email. */
  public void update(String traitsJson, String email) {
    this.traits = traitsJson;
    this.email = email;
    this.updatedAt = Instant.now();
  }
}
