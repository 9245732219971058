package io.growthos.core.campaigns;

import java.util.List;

/**
 * What a social-proof widget shows: recent items and counters, rendered and masked on the server.
 * Nothing in it identifies a person beyond a first name and last initial; no timestamps beyond the
 * coarse {@code time_ago}.
 *
 * @param items most recent first
 * @param counters the counters at or above their minimum count
 */
public record SocialProofFeed(List<Item> items, List<Counter> counters) {

  public SocialProofFeed {
    items = List.copyOf(items);
    counters = List.copyOf(counters);
  }

  /**
   * One recent activity.
   *
   * @param id opaque and stable for the same activity (a component shows each toast once)
   * @param message the rendered template
   * @param timeAgo coarse age, as {@code {time_ago}} renders it
   */
  public record Item(String id, String message, String timeAgo) {}

  /**
   * A count over the counter's window.
   *
   * @param message the rendered counter template
   * @param count what {@code {count}} shows
   */
  public record Counter(String message, long count) {}
}
