package io.growthos.management.analytics;

import tools.jackson.databind.JsonNode;

/**
 * Compiles the optional contact {@code filter} of a query into a predicate over contacts aliased
 * {@code c}, with its bind parameters. The filter grammar of SPEC §7 implements it.
 */
interface ContactFilters {

  /**
   * The predicate, or a 400 whose details point into {@code path} ({@code filter.all[2].op}).
   *
   * @param workspaceId the caller's workspace (segment references resolve in it)
   */
  Sql compile(String workspaceId, JsonNode filter, String path);
}
