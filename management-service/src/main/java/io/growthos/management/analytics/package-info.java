/**
 * {@code POST /v1/analytics/query} (SPEC §7): trends, funnels, retention and counts over the
 * workspace's events, read with SQL written for each query on a small connection pool of its own
 * ({@link io.growthos.management.analytics.AnalyticsDatabase}) with a statement timeout.
 */
package io.growthos.management.analytics;
