package io.growthos.management.analytics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of analytics queries ({@code growthos.management.query.*}).
 *
 * @param timeout each SQL statement of a query is cancelled after this ({@code statement_timeout});
 *     the request then gets 503 {@code query_timeout}. Also the longest a query waits for a
 *     connection of the analytics pool.
 * @param poolSize connections of the analytics pool, a pool of its own beside the one of contact
 *     CRUD (and apart from ingest's), so heavy queries queue here instead of taking every
 *     connection of the service
 * @param workMem {@code work_mem} of an analytics transaction (PostgreSQL units, e.g. {@code
 *     64MB}): the memory each hash table or sort of a query may use before it spills to disk. A
 *     funnel's first step groups every actor that entered (about 80 MB for 500,000 actors); at the
 *     server default of 4 MB that hash aggregate went to disk in 17 batches
 */
@ConfigurationProperties("growthos.management.query")
public record QueryProperties(
    @DefaultValue("10s") Duration timeout,
    @DefaultValue("3") int poolSize,
    @DefaultValue("64MB") String workMem) {

  public QueryProperties {
    if (workMem == null || !workMem.matches("[1-9][0-9]{0,6}(kB|MB|GB)")) {
      throw new IllegalArgumentException(
          "growthos.management.query.work-mem must be a size like 64MB, not " + workMem);
    }
  }
}
