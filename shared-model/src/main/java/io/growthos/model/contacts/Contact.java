package io.growthos.model.contacts;

import io.growthos.model.errors.ApiException;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.ids.WorkspaceScopedId;
import io.growthos.model.values.TimestampRange;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A person known to one workspace. The contact guards its own state: traits change only by {@link
 * #mergeTraits(TraitPatch)} and the email only by {@link #changeEmail(String)}, with the rules of
 * {@link TraitPatch} and {@link ContactEmail} that the Ingest API's SQL path applies too. Every
 * change bumps {@code version} (JPA's optimistic lock here; the same column the Ingest API bumps in
 * SQL). First and last seen are the Ingest API's to write: this entity never writes them back, so a
 * management update cannot restore stale values. Rules: docs/contacts.md.
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
  @Convert(converter = TraitsConverter.class)
  private Traits traits = Traits.EMPTY;

  @Column(name = "first_seen_at", insertable = false, updatable = false)
  private Instant firstSeenAt;

  @Column(name = "last_seen_at", insertable = false, updatable = false)
  private Instant lastSeenAt;

  @Version private int version;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected Contact() {}

  /** A new contact with no traits and no email, at version 1. */
  public Contact(String workspaceId, String userId) {
    this.workspaceId = workspaceId;
    this.id = Ids.next(IdPrefix.CONTACT);
    this.userId = userId;
    this.createdAt = TimestampRange.now();
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

  public Traits getTraits() {
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

  /**
   * Applies a trait change ({@link TraitPatch}: a value sets a trait, {@code null} removes it).
   * Returns whether the traits changed; only a change touches the contact (and so its version).
   *
   * @throws ApiException 400 {@code too_large} on {@code traits} when the change leaves them larger
   *     than {@link Traits#MAX_BYTES} and larger than they were ({@link Traits#growsPastCap}: a
   *     change that shrinks traits grown past the bound some other way is allowed)
   */
  public boolean mergeTraits(TraitPatch patch) {
    Traits merged = traits.apply(patch);
    if (merged.equals(traits)) {
      return false;
    }
    long size = merged.sizeInBytes();
    if (Traits.growsPastCap(size, traits.sizeInBytes())) {
      throw ApiException.invalid(
          "traits",
          "too_large",
          "The contact's traits would be "
              + size
              + " bytes of JSON; at most "
              + Traits.MAX_BYTES
              + " are kept. Remove traits (null) or send smaller values.");
    }
    traits = merged;
    touched();
    return true;
  }

  /**
   * Sets the email field ({@link ContactEmail#normalize}; {@code null} clears it). Uniqueness in
   * the workspace is the caller's to check (it needs the database; the unique index backs it).
   * Returns whether the field changed.
   */
  public boolean changeEmail(String address) {
    String normalized = ContactEmail.normalize(address);
    if (Objects.equals(normalized, email)) {
      return false;
    }
    email = normalized;
    touched();
    return true;
  }

  private void touched() {
    updatedAt = TimestampRange.now();
  }
}
