/**
 * The JDBC read path for queries compiled from the filter grammar (segments) and analytics: plain
 * SQL with bind parameters, run read-only under a statement timeout that turns into 503 {@code
 * query_timeout}.
 */
package io.growthos.management.query;
