package io.growthos.model.contacts;

import io.growthos.model.values.TimestampRange;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One id a contact is known by ({@code user_id} or {@code anonymous_id}); within a workspace an id
 * points at exactly one contact, whatever its kind: the table's primary key is {@code
 * (workspace_id, value)} (migration V55). The entity keeps the kind in its id, a superset of that
 * key.
 */
@Entity
@Table(name = "contact_identities")
@IdClass(ContactIdentity.Pk.class)
public class ContactIdentity {

  /** The kinds of id, as stored. */
  public static final String USER_ID = "user_id";

  public static final String ANONYMOUS_ID = "anonymous_id";

  /** The entity's key {@code (workspace_id, kind, value)}; the table's is without the kind. */
  public static class Pk implements Serializable {
    private static final long serialVersionUID = 1L;
    private String workspaceId;
    private String kind;
    private String value;

    protected Pk() {}

    public Pk(String workspaceId, String kind, String value) {
      this.workspaceId = workspaceId;
      this.kind = kind;
      this.value = value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pk other
          && Objects.equals(workspaceId, other.workspaceId)
          && Objects.equals(kind, other.kind)
          && Objects.equals(value, other.value);
    }

    @Override
    public int hashCode() {
      return Objects.hash(workspaceId, kind, value);
    }
  }

  @Id
  @Column(name = "workspace_id")
  private String workspaceId;

  @Id private String kind;

  @Id private String value;

  @Column(name = "contact_id", nullable = false)
  private String contactId;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  protected ContactIdentity() {}

  public ContactIdentity(String workspaceId, String kind, String value, String contactId) {
    this.workspaceId = workspaceId;
    this.kind = kind;
    this.value = value;
    this.contactId = contactId;
    this.createdAt = TimestampRange.now();
  }

  public String getWorkspaceId() {
    return workspaceId;
  }

  public String getKind() {
    return kind;
  }

  public String getValue() {
    return value;
  }

  public String getContactId() {
    return contactId;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
