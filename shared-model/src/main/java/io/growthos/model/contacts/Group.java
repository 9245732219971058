package io.growthos.model.contacts;

import io.growthos.model.ids.WorkspaceScopedId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** A group (an account or company) of one workspace, upserted by the Ingest API's group call. */
@Entity
@Table(name = "groups")
@IdClass(WorkspaceScopedId.class)
public class Group {

  @Id
  @Column(name = "workspace_id")
  private String workspaceId;

  @Id private String id;

  /** The id the client uses ({@code groupId} of a group call). */
  @Column(name = "group_id", nullable = false)
  private String groupId;

  @Column(nullable = false, columnDefinition = "jsonb")
  @ColumnTransformer(write = "?::jsonb")
  private String traits = "{}";

  @Version private int version;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected Group() {}

  public String getWorkspaceId() {
    return workspaceId;
  }

  public String getId() {
    return id;
  }

  public String getGroupId() {
    return groupId;
  }

  public String getTraits() {
    return traits;
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
}
