package io.growthos.core.contacts;

/**
 * Who counts as one person where events are counted by person (analytics' unique counts, funnels
 * and retention; social proof's feed and counters): the event's contact; for an event without one,
 * its user id, else its anonymous id. A user id is the person wherever the event was sent from, so
 * a signed-in person on two devices is one person, as PostHog's Segment integration keys a person
 * ({@code distinct_id: userId || anonymousId}) and Segment and Mixpanel do. Until 2026-12-07 the
 * anonymous id came first, and such a person counted once per device (a black-box review). Events
 * of an anonymous id that is later identified are re-pointed at the contact by ingest, so they then
 * count as that contact.
 */
public final class Actors {

  /** The actor of the event aliased {@code e}, as SQL. */
  public static final String SQL =
      "coalesce(e.contact_id, 'u:' || e.user_id, 'a:' || e.anonymous_id)";

  private Actors() {}
}
