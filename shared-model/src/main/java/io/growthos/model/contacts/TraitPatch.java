package io.growthos.model.contacts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A change to a contact's traits, as both services receive it: the traits of an identify call
 * (Ingest API) or of {@code PATCH /v1/contacts/{id}} (Management API). The one rule of what a trait
 * document means as a change:
 *
 * <ul>
 *   <li>a top-level member with a value sets that trait, replacing its old value whole (a nested
 *       object is not merged member by member, like PostgreSQL's jsonb {@code ||});
 *   <li>a top-level member whose value is JSON {@code null} removes that trait (SPEC §4; the same
 *       meaning for identify's traits, so both services agree);
 *   <li>absent members leave their traits as they are. Nulls nested inside a value are data and are
 *       kept.
 * </ul>
 *
 * @param set the traits to set, in the order sent, never holding a null value
 * @param removed the names of the traits to remove
 */
public record TraitPatch(Map<String, Object> set, Set<String> removed) {

  /** No change at all. */
  public static final TraitPatch EMPTY = new TraitPatch(Map.of(), Set.of());

  public TraitPatch {
    set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
    removed = Collections.unmodifiableSet(new LinkedHashSet<>(removed));
    if (set.containsValue(null)) {
      throw new IllegalArgumentException("set holds a null value; nulls are removals");
    }
  }

  /** The patch a traits document means; {@code null} (no traits sent) is no change. */
  public static TraitPatch of(Map<String, ?> document) {
    if (document == null || document.isEmpty()) {
      return EMPTY;
    }
    Map<String, Object> set = new LinkedHashMap<>();
    Set<String> removed = new LinkedHashSet<>();
    document.forEach(
        (name, value) -> {
          if (value == null) {
            removed.add(name);
          } else {
            set.put(name, value);
          }
        });
    return new TraitPatch(set, removed);
  }

  /** The patch a traits JSON object text means; {@code null} is no change. */
  public static TraitPatch fromJson(String json) {
    return json == null ? EMPTY : of(TraitsJson.read(json));
  }

  public boolean isEmpty() {
    return set.isEmpty() && removed.isEmpty();
  }

  /** {@link #set} as a JSON object text, for SQL ({@code (traits - removed) || set}). */
  public String setJson() {
    return TraitsJson.write(set);
  }

  /** {@link #removed} as an array, for SQL's {@code jsonb - text[]}. */
  public String[] removedArray() {
    return removed.toArray(String[]::new);
  }

  /**
   * The address the {@code email} trait offers for the contact's email field, or {@code null} when
   * the patch sets no usable address (see {@link ContactEmail#fromTrait}).
   */
  public String emailCandidate() {
    return ContactEmail.fromTrait(set.get(ContactEmail.TRAIT));
  }
}
