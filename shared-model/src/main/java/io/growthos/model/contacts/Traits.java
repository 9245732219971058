package io.growthos.model.contacts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A contact's traits: an immutable JSON object (jsonb column {@code contacts.traits}). Changed only
 * through {@link #apply(TraitPatch)}, the merge rule both services share. Numbers keep their
 * digits: decimals are {@link java.math.BigDecimal}, large integers {@link java.math.BigInteger}.
 */
public final class Traits {

  public static final Traits EMPTY = new Traits(Map.of());

  /**
   * The most a change through the Management API may leave a contact's traits at, as JSON text in
   * UTF-8 bytes: twice an ingest event's 32 KB. Each PATCH merges, so without it merges of 900 KB
   * bodies grew one contact to megabytes, which every page of contacts then carried.
   */
  public static final int MAX_BYTES = 64 * 1024;

  private final Map<String, Object> values;

  private Traits(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** Traits holding exactly {@code values}; top-level nulls are not traits and are dropped. */
  public static Traits of(Map<String, ?> values) {
    return EMPTY.apply(TraitPatch.of(values));
  }

  /** Parses a stored JSON object text. */
  public static Traits fromJson(String json) {
    if (json == null) {
      return EMPTY;
    }
    Map<String, Object> read = TraitsJson.read(json);
    read.values().removeIf(v -> v == null);
    return new Traits(read);
  }

  /**
   * These traits with the patch applied: removals first, then the values set (a name both removed
   * and set cannot occur in one JSON object). Returns {@code this} when nothing changes.
   */
  public Traits apply(TraitPatch patch) {
    if (patch.isEmpty()) {
      return this;
    }
    Map<String, Object> merged = new LinkedHashMap<>(values);
    patch.removed().forEach(merged::remove);
    merged.putAll(patch.set());
    return merged.equals(values) ? this : new Traits(merged);
  }

  public Map<String, Object> asMap() {
    return values;
  }

  public Object get(String name) {
    return values.get(name);
  }

  public String toJson() {
    return TraitsJson.write(values);
  }

  /** The size of {@link #toJson()} in UTF-8 bytes. */
  public int sizeInBytes() {
    return toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Traits other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
