package io.growthos.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * What a test leaves in a logger: for the tests that prove a request is logged as it should be, or
 * not at all. Either for every test of a class ({@code @RegisterExtension final LogCapture logged =
 * LogCapture.root();}) or around a few statements ({@code try (LogCapture logged =
 * LogCapture.of(X.class).start()) {…}}).
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
  }

  /** Everything logged by any logger. */
  public static LogCapture root() {
    return new LogCapture((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME));
  }

  /** What {@code type}'s logger logs. */
  public static LogCapture of(Class<?> type) {
    return new LogCapture((Logger) LoggerFactory.getLogger(type));
  }

  /** Starts capturing (again from nothing). */
  public LogCapture start() {
    appender.list.clear();
    appender.start();
    logger.addAppender(appender);
    return this;
  }

  /** Stops capturing; what was captured stays readable. */
  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** The events captured so far, oldest first. */
  public List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  /** The captured events at {@code level} or above. */
  public List<ILoggingEvent> atOrAbove(Level level) {
    return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).toList();
  }

  /** Fails, listing them, if any captured event is at {@code level} or above. */
  public void assertNoneAtOrAbove(Level level) {
    List<ILoggingEvent> found = atOrAbove(level);
    if (!found.isEmpty()) {
      throw new AssertionError(
          "expected nothing logged at "
              + level
              + " or above, got:\n"
              + found.stream().map(LogCapture::describe).collect(Collectors.joining("\n")));
    }
  }

  /** Fails, listing them, if any captured event carries a stack trace. */
  public void assertNoStackTraces() {
    List<ILoggingEvent> found =
        events().stream().filter(e -> e.getThrowableProxy() != null).toList();
    if (!found.isEmpty()) {
      throw new AssertionError(
          "expected no stack trace in the log, got:\n"
              + found.stream().map(LogCapture::describe).collect(Collectors.joining("\n")));
    }
  }

  private static String describe(ILoggingEvent e) {
    return e.getLevel()
        + " "
        + e.getLoggerName()
        + ": "
        + e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : " [" + e.getThrowableProxy().getClassName() + "]");
  }
}
