package io.growthos.platform.ratelimit;

import io.growthos.model.plans.Plan;

/** Which API this service is: the plan table of SPEC §2 has one column per API. */
public enum ServiceApi {
  INGEST,
  MANAGEMENT;

  /** Requests per second per key of a workspace on {@code plan}. */
  public int requestsPerSecond(Plan plan) {
    return this == INGEST ? plan.ingestRequestsPerSecond() : plan.managementRequestsPerSecond();
  }

  /** Lower-case name, used in Redis bucket keys so both services never share a bucket. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
