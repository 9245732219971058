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
 */
@ConfigurationProperties("growthos.management.query")
public record QueryProperties(
    @DefaultValue("10s") Duration timeout, @DefaultValue("3") int poolSize) {}
