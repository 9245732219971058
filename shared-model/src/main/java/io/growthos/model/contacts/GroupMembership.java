package io.growthos.model.contacts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A contact's membership of a group. */
@Entity
@Table(name = "group_memberships")
@IdClass(GroupMembership.Pk.class)
public class GroupMembership {

  /** Primary key {@code (workspace_id, group_id, contact_id)}. */
  public static class Pk implements Serializable {
    private static final long serialVersionUID = 1L;
    private String workspaceId;
    private String groupId;
    private String contactId;

    protected Pk() {}

    public Pk(String workspaceId, String groupId, String contactId) {
      this.workspaceId = workspaceId;
      this.groupId = groupId;
      this.contactId = contactId;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pk other
          && Objects.equals(workspaceId, other.workspaceId)
          && Objects.equals(groupId, other.groupId)
          && Objects.equals(contactId, other.contactId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(workspaceId, groupId, contactId);
    }
  }

  @Id
  @Column(name = "workspace_id")
  private String workspaceId;

  /** The internal id of the group ({@code grp_...}), not the client's group id. */
  @Id
  @Column(name = "group_id")
  private String groupId;

  @Id
  @Column(name = "contact_id")
  private String contactId;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  protected GroupMembership() {}

  public String getWorkspaceId() {
    return workspaceId;
  }

  public String getGroupId() {
    return groupId;
  }

  public String getContactId() {
    return contactId;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
