package io.growthos.core.campaigns;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which track events may qualify a referral, per workspace: the {@code qualifying_event} names of
 * its referral programs that are active or paused. The ingest write path consults it (in memory, no
 * query) to decide which events go to the attribution inbox; a background task {@link #refresh}es
 * it. A name is known at most one refresh interval after the campaign got it; a qualifying event
 * stored before that still counts for referrals made later (the attribution worker looks back over
 * the referee's stored events when it creates a referral).
 */
public final class ReferralWatch {

  private final JdbcTemplate jdbc;
  private volatile Map<String, Set<String>> names = Map.of();

  public ReferralWatch(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The qualifying event names of {@code workspaceId}'s running referral programs. */
  public Set<String> qualifyingEvents(String workspaceId) {
    return names.getOrDefault(workspaceId, Set.of());
  }

  /** Reloads the names: one query over the referral programs that are active or paused. */
  public void refresh() {
    Map<String, Set<String>> next = new HashMap<>();
    jdbc.query(
        "select workspace_id, settings->'qualifying_event'->>'event' from campaigns where type ="
            + " 'referral' and status in ('active', 'paused') and"
            + " settings->'qualifying_event'->>'event' is not null",
        rs -> {
          next.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
        });
    names = Map.copyOf(next);
  }
}
