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
   * The most a change may leave a contact's traits at, in bytes as {@link #sizeInBytes()} measures
   * them: twice an ingest event's 32 KB. Each change merges, so without it merges of 900 KB PATCH
   * bodies, or identifies with new keys, grew one contact to megabytes, which every page of
   * contacts then carried. The Management API refuses such a change ({@code Contact#mergeTraits});
   * the Ingest API skips it in SQL ({@link #sqlGrowsPastCap}).
   */
  public static final int MAX_BYTES = 64 * 1024;

  /**
   * Whether a change that leaves traits of {@code mergedBytes} (from {@code currentBytes}) is
   * refused: larger than {@link #MAX_BYTES} and larger than before. A change that shrinks traits
   * grown past the bound some other way is allowed.
   */
  public static boolean growsPastCap(long mergedBytes, long currentBytes) {
    return mergedBytes > MAX_BYTES && mergedBytes > currentBytes;
  }

  /**
   * The SQL of {@link #sizeInBytes()} for a {@code jsonb} expression: the same number (tested
   * against PostgreSQL over varied documents), so that both services measure traits alike.
   */
  public static String sqlSizeOf(String jsonb) {
    return "octet_length((" + jsonb + ")::text)";
  }

  /**
   * The SQL of {@link #growsPastCap} for the {@code jsonb} expressions of the merged and the
   * current traits: a boolean. Traits within the bound (the common case) cost one conversion to
   * text.
   */
  public static String sqlGrowsPastCap(String merged, String current) {
    return "(case when "
        + sqlSizeOf(merged)
        + " <= "
        + MAX_BYTES
        + " then false else "
        + sqlSizeOf(merged)
        + " > "
        + sqlSizeOf(current)
        + " end)";
  }

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

  /**
   * The size of these traits as PostgreSQL stores and writes them: {@code
   * octet_length(traits::text)} of the {@code jsonb} column, in UTF-8 bytes ({@link #sqlSizeOf}).
   * That text is not {@link #toJson()}: it writes {@code ": "} and {@code ", "}, and numbers as
   * {@code numeric} prints them ({@code 1e3} is {@code 1000}). One measure for both services: the
   * Ingest API can only measure in SQL, inside the statement that merges.
   */
  public long sizeInBytes() {
    return JsonbText.length(values);
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
