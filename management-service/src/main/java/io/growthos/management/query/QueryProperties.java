package io.growthos.management.query;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the read queries (segments, analytics).
 *
 * @param timeout a query still running after this is cancelled by PostgreSQL and answered with 503
 *     {@code query_timeout} ({@code growthos.management.query.timeout}, default 10 s)
 */
@ConfigurationProperties("growthos.management.query")
public record QueryProperties(@DefaultValue("10s") Duration timeout) {}
