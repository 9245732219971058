package io.growthos.platform.testapp;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes that start applications of their own ({@code SpringApplicationBuilder}): two
 * applications initialising Boot's logging in one JVM at the same moment race on JVM-wide system
 * properties (separate processes do not share them), so the logging set up by earlier tests is kept
 * while the class runs. The real two-process start is covered by local-stack's lifecycle test.
 */
public final class KeepTheJvmsLogging implements BeforeAllCallback, AfterAllCallback {

  private static final String LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";

  @Override
  public void beforeAll(ExtensionContext context) {
    System.setProperty(LOGGING_SYSTEM, "none");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    System.clearProperty(LOGGING_SYSTEM);
  }
}
