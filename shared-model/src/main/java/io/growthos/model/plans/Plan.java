package io.growthos.model.plans;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Plan tiers and their limits (SPEC §2). */
public enum Plan {
  FREE("free", 100, 10),
  GROWTH("growth", 500, 50),
  SCALE("scale", 1_000, 100);

  private final String wireName;
  private final int ingestRequestsPerSecond;
  private final int managementRequestsPerSecond;

  Plan(String wireName, int ingestRequestsPerSecond, int managementRequestsPerSecond) {
    this.wireName = wireName;
    this.ingestRequestsPerSecond = ingestRequestsPerSecond;
    this.managementRequestsPerSecond = managementRequestsPerSecond;
  }

  public String wireName() {
    return wireName;
  }

  /** Requests per second per API key on the Ingest API. */
  public int ingestRequestsPerSecond() {
    return ingestRequestsPerSecond;
  }

  /** Requests per second per API key on the Management API. */
  public int managementRequestsPerSecond() {
    return managementRequestsPerSecond;
  }

  public static Optional<Plan> ofWireName(String name) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
  }

  /** The wire names, for error messages that list the allowed values. */
  public static String allowedValues() {
    return Arrays.stream(values()).map(Plan::wireName).collect(Collectors.joining(", "));
  }
}
