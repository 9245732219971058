package io.growthos.model.keys;

import java.util.Optional;

/** The three kinds of API key and the API each one belongs on (SPEC §2). */
public enum KeyType {
  /** Client-safe key for the Ingest API. */
  WRITE("gos_wk_", "write"),
  /** Server-side key for the Management API, with scopes. */
  SECRET("gos_sk_", "secret"),
  /** Operator key: workspaces and plans on the Management API. */
  ADMIN("gos_ak_", "admin");

  private final String prefix;
  private final String wireName;

  KeyType(String prefix, String wireName) {
    this.prefix = prefix;
    this.wireName = wireName;
  }

  /** The literal every key of this type starts with, e.g. {@code gos_sk_}. */
  public String prefix() {
    return prefix;
  }

  /** The name of this type in API payloads and in the database. */
  public String wireName() {
    return wireName;
  }

  /** The type a presented key claims by its prefix, if any. */
  public static Optional<KeyType> ofKey(String key) {
    if (key == null) {
      return Optional.empty();
    }
    for (KeyType type : values()) {
      if (key.startsWith(type.prefix)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** The type of the given wire name ({@code write}, {@code secret}, {@code admin}). */
  public static Optional<KeyType> ofWireName(String name) {
    for (KeyType type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
