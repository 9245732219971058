package io.growthos.model.keys;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.values.TimestampRange;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An operator key: creates workspaces and changes plans. Belongs to no workspace. */
@Entity
@Table(name = "admin_keys")
public class AdminKey {

  @Id private String id;

  @Column(nullable = false)
  private String name = "";

  @Column(name = "key_hash", nullable = false, updatable = false)
  private byte[] keyHash;

  @Column(nullable = false, updatable = false)
  private String prefix;

  @Column(name = "last_four", nullable = false, updatable = false)
  private String lastFour;

  @Column(nullable = false)
  private String status = "active";

  @Column(name = "created_at", nullable = false, updatable = false)
  private Instant createdAt;

  protected AdminKey() {}

  public AdminKey(String name, String plaintextKey) {
    this.id = Ids.next(IdPrefix.API_KEY);
    this.name = name == null ? "" : name;
    this.keyHash = ApiKeys.hash(plaintextKey);
    this.prefix = KeyType.ADMIN.prefix();
    this.lastFour = ApiKeys.lastFour(plaintextKey);
    this.createdAt = TimestampRange.now();
  }

  public String getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  public boolean isActive() {
    return "active".equals(status);
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public String getPrefix() {
    return prefix;
  }

  public String getLastFour() {
    return lastFour;
  }

  /** Stops the key at once; revoking a revoked key changes nothing. */
  public void revoke() {
    this.status = "revoked";
  }
}
