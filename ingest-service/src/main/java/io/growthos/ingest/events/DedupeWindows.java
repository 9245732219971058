package io.growthos.ingest.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.growthos.ingest.config.IngestProperties;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each workspace's dedupe window ({@code workspaces.dedupe_window_seconds}, changed through the
 * Management API's settings), cached briefly so the write path does not read it per request.
 */
public class DedupeWindows {

  private final JdbcTemplate jdbc;
  private final Duration fallback;
  private final Cache<String, Duration> cache;

  public DedupeWindows(JdbcTemplate jdbc, IngestProperties.Dedupe props) {
    this.jdbc = jdbc;
    this.fallback = props.defaultWindow();
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(props.settingsCacheTtl())
            .build();
  }

  public Duration of(String workspaceId) {
    return cache.get(workspaceId, this::load);
  }

  private Duration load(String workspaceId) {
    List<Integer> seconds =
        jdbc.queryForList(
            "select dedupe_window_seconds from workspaces where id = ?",
            Integer.class,
            workspaceId);
    return seconds.isEmpty() ? fallback : Duration.ofSeconds(seconds.get(0));
  }
}
