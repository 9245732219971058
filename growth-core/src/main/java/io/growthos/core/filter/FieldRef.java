package io.growthos.core.filter;

import java.util.List;
import java.util.Objects;

/**
 * What a condition compares: a contact column, or a path into the contact's {@code traits} or (in a
 * behaviour leaf's {@code where}) the event's {@code properties}.
 *
 * @param name the field as written ({@code email}, {@code traits.address.city})
 * @param kind which column it reads
 * @param path the JSON path below {@code traits}/{@code properties}; empty for columns
 */
public record FieldRef(String name, Kind kind, List<String> path) {

  public FieldRef {
    Objects.requireNonNull(name);
    Objects.requireNonNull(kind);
    path = List.copyOf(path);
  }

  /** The readable fields and the type each holds. */
  public enum Kind {
    EMAIL(Type.TEXT),
    USER_ID(Type.TEXT),
    CREATED_AT(Type.DATE),
    FIRST_SEEN_AT(Type.DATE),
    LAST_SEEN_AT(Type.DATE),
    TRAIT(Type.JSON),
    PROPERTY(Type.JSON);

    private final Type type;

    Kind(Type type) {
      this.type = type;
    }

    public Type type() {
      return type;
    }
  }

  /** TEXT and DATE are typed columns; JSON values take their type from the compared value. */
  public enum Type {
    TEXT,
    DATE,
    JSON
  }
}
