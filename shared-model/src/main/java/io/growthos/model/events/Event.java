package io.growthos.model.events;

import io.growthos.model.ids.WorkspaceScopedId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/**
 * A stored event, as the Ingest API wrote it. Read-only here: ingest writes events with plain JDBC.
 * The jsonb columns are exposed as JSON text (see {@link io.growthos.model.contacts.Contact}).
 */
@Entity
@Immutable
@Table(name = "events")
@IdClass(WorkspaceScopedId.class)
public class Event {

  @Id
  @Column(name = "workspace_id")
  private String workspaceId;

  @Id private String id;

  @Column(name = "message_id", nullable = false)
  private String messageId;

  @Column(nullable = false)
  private String type;

  private String event;

  private String name;

  @Column(name = "user_id")
  private String userId;

  @Column(name = "anonymous_id")
  private String anonymousId;

  @Column(name = "contact_id")
  private String contactId;

  @Column(name = "group_id")
  private String groupId;

  @Column(name = "previous_id")
  private String previousId;

  @Column(columnDefinition = "jsonb")
  private String properties;

  @Column(columnDefinition = "jsonb")
  private String traits;

  @Column(columnDefinition = "jsonb")
  private String context;

  @Column(columnDefinition = "jsonb")
  private String integrations;

  @Column(nullable = false)
  private Instant timestamp;

  @Column(name = "sent_at")
  private Instant sentAt;

  @Column(name = "original_timestamp")
  private Instant originalTimestamp;

  @Column(name = "received_at", nullable = false)
  private Instant receivedAt;

  protected Event() {}

  public String getWorkspaceId() {
    return workspaceId;
  }

  public String getId() {
    return id;
  }

  public String getMessageId() {
    return messageId;
  }

  public String getType() {
    return type;
  }

  public String getEvent() {
    return event;
  }

  public String getName() {
    return name;
  }

  public String getUserId() {
    return userId;
  }

  public String getAnonymousId() {
    return anonymousId;
  }

  public String getContactId() {
    return contactId;
  }

  public String getGroupId() {
    return groupId;
  }

  public String getPreviousId() {
    return previousId;
  }

  public String getProperties() {
    return properties;
  }

  public String getTraits() {
    return traits;
  }

  public String getContext() {
    return context;
  }

  public String getIntegrations() {
    return integrations;
  }

  public Instant getTimestamp() {
    return timestamp;
  }

  public Instant getSentAt() {
    return sentAt;
  }

  public Instant getOriginalTimestamp() {
    return originalTimestamp;
  }

  public Instant getReceivedAt() {
    return receivedAt;
  }
}
