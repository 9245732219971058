package io.growthos.ingest.events;

import io.growthos.ingest.config.IngestProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes dedupe claims older than their workspace's window, in batches so no statement holds many
 * locks or runs long. Every service copy runs it; concurrent purges are harmless (a row is deleted
 * once, the other copy skips it).
 */
public class DedupePurger {

  private static final Logger log = LoggerFactory.getLogger(DedupePurger.class);

  private static final String PURGE =
      """
      delete from event_dedupe d
       where (d.workspace_id, d.message_id) in (
             select x.workspace_id, x.message_id
               from event_dedupe x
               left join workspaces w on w.id = x.workspace_id
              where x.received_at < now() - make_interval(
                        secs => coalesce(w.dedupe_window_seconds, ?))
              limit ?
                for update of x skip locked)
      """;

  private final JdbcTemplate jdbc;
  private final IngestProperties.Dedupe props;

  public DedupePurger(JdbcTemplate jdbc, IngestProperties.Dedupe props) {
    this.jdbc = jdbc;
    this.props = props;
  }

  /** Deletes every expired claim; returns how many. */
  public long purgeExpired() {
    long total = 0;
    int deleted;
    do {
      deleted = jdbc.update(PURGE, props.defaultWindow().toSeconds(), props.purgeBatchSize());
      total += deleted;
    } while (deleted >= props.purgeBatchSize());
    if (total > 0) {
      log.info("Purged {} expired dedupe claims", total);
    }
    return total;
  }

  @Scheduled(
      fixedDelayString = "${growthos.ingest.dedupe.purge-interval:10m}",
      initialDelayString = "${growthos.ingest.dedupe.purge-interval:10m}")
  void scheduledPurge() {
    try {
      purgeExpired();
    } catch (RuntimeException e) {
      log.warn("Dedupe purge failed; will retry: {}", e.toString());
    }
  }
}
