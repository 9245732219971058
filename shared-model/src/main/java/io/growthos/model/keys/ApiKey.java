package io.growthos.model.keys;

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
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A write or secret key of one workspace. Holds the key's hash, never the key. */
@Entity
@Table(name = "api_keys")
@IdClass(WorkspaceScopedId.class)
public class ApiKey {

  public enum Status {
    ACTIVE,
    REVOKED
  }

  @Id
  @Column(name = "workspace_id")
  private String workspaceId;

  @Id private String id;

  @Column(nullable = false)
  private String type;

  @Column(nullable = false)
  private String name = "";

  @Column(name = "key_hash", nullable = false, updatable = false)
  private byte[] keyHash;

  @Column(nullable = false, updatable = false)
  private String prefix;

  @Column(name = "last_four", nullable = false, updatable = false)
  private String lastFour;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(nullable = false)
  private String[] scopes = new String[0];

  @Column(nullable = false)
  private String status = "active";

  @Column(name = "expires_at")
  private Instant expiresAt;

  @Column(name = "rolled_to_id")
  private String rolledToId;

  @Version private int version;

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected ApiKey() {}

  /**
   * A new key record for {@code plaintextKey}, which the caller shows once and then forgets.
   *
   * @throws IllegalArgumentException for an admin key (those live in {@code admin_keys})
   */
  public ApiKey(
      String workspaceId, KeyType type, String name, List<String> scopes, String plaintextKey) {
    if (type == KeyType.ADMIN) {
      throw new IllegalArgumentException("admin keys belong to no workspace");
    }
    this.workspaceId = workspaceId;
    this.id = Ids.next(IdPrefix.API_KEY);
    this.type = type.wireName();
    this.name = name == null ? "" : name;
    this.scopes = scopes.toArray(String[]::new);
    this.keyHash = ApiKeys.hash(plaintextKey);
    this.prefix = type.prefix();
    this.lastFour = ApiKeys.lastFour(plaintextKey);
    // Rows start at version 1, as the column default gives rows inserted with SQL.
    this.version = 1;
    this.createdAt = TimestampRange.now();
    this.updatedAt = createdAt;
  }

  public String getWorkspaceId() {
    return workspaceId;
  }

  public String getId() {
    return id;
  }

  public KeyType getType() {
    return KeyType.ofWireName(type).orElseThrow();
  }

  public String getName() {
    return name;
  }

  public String getPrefix() {
    return prefix;
  }

  public String getLastFour() {
    return lastFour;
  }

  public List<String> getScopes() {
    return List.of(scopes);
  }

  public Status getStatus() {
    return "revoked".equals(status) ? Status.REVOKED : Status.ACTIVE;
  }

  public Instant getExpiresAt() {
    return expiresAt;
  }

  public String getRolledToId() {
    return rolledToId;
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

  /** Whether the key authenticates at {@code now}: active and not past a roll's grace period. */
  public boolean isUsableAt(Instant now) {
    return getStatus() == Status.ACTIVE && (expiresAt == null || now.isBefore(expiresAt));
  }

  public void revoke() {
    this.status = "revoked";
    this.updatedAt = TimestampRange.now();
  }

  /**
   * Marks this key as replaced by {@code successorId}; it keeps working until {@code until}. The
   * database gives the successor this key's lineage ({@code api_keys.lineage_id}, trigger of V73).
   */
  public void rollTo(String successorId, Instant until) {
    this.rolledToId = successorId;
    this.expiresAt = until;
    this.updatedAt = TimestampRange.now();
  }
}
