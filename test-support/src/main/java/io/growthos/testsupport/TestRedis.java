package io.growthos.testsupport;

import java.net.URI;
import java.util.UUID;
import org.testcontainers.containers.GenericContainer;

/**
 * The Redis tests run against, chosen on first use: {@code GROWTHOS_TEST_REDIS_URL} if set, else a
 * Testcontainers {@code redis:7-alpine} where Docker runs, else the machine's Redis at {@code
 * redis://127.0.0.1:6379}. Tests share it, so each one keeps to its own {@link #uniquePrefix key
 * prefix} and never flushes anything.
 */
public final class TestRedis {

  private static volatile URI url;

  private TestRedis() {}

  /** The Redis URL, starting a container on first call where that is the choice. */
  public static URI url() {
    URI local = url;
    if (local == null) {
      synchronized (TestRedis.class) {
        local = url;
        if (local == null) {
          local = choose();
          url = local;
        }
      }
    }
    return local;
  }

  /** A key prefix no other test run uses, ending in {@code :}. */
  public static String uniquePrefix(String hint) {
    return "test:" + hint + ":" + UUID.randomUUID() + ":";
  }

  private static URI choose() {
    String forced = System.getenv("GROWTHOS_TEST_REDIS_URL");
    if (forced != null && !forced.isBlank()) {
      return URI.create(forced);
    }
    if (TestPostgres.dockerAvailable()) {
      GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
      redis.start();
      Runtime.getRuntime().addShutdownHook(new Thread(redis::stop));
      return URI.create("redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
    }
    return URI.create("redis://127.0.0.1:6379");
  }
}
