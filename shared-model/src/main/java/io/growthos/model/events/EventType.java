package io.growthos.model.events;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The six Segment call types, with their wire name (the {@code type} field of an event). The one
 * list of event types: ingest parses by it, management filters and documents by it, and the {@code
 * events.type} check constraint of V3 holds the same names (a test compares them).
 */
public enum EventType {
  TRACK("track"),
  IDENTIFY("identify"),
  PAGE("page"),
  SCREEN("screen"),
  GROUP("group"),
  ALIAS("alias");

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Every wire name, in declaration order. */
  public static List<String> wireNames() {
    return Arrays.stream(values()).map(EventType::wireName).toList();
  }

  public static Optional<EventType> ofWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }
}
