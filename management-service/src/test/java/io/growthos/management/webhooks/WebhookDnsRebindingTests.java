package io.growthos.management.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * DNS rebinding between the delivery-time check and the connection (docs/webhooks.md "URLs and the
 * private network"): the dispatcher must connect to the address it checked, not look the name up
 * again. Runs {@link DnsRebindingProbe} in a JVM of its own, whose name service answers a public
 * address to the first look-up of {@code rebind.test} and loopback to every later one.
 */
@EnabledOnOs(OS.LINUX)
class WebhookDnsRebindingTests {

  @Test
  void aNameThatChangesToLoopbackAfterTheCheckIsNeverConnectedTo(@TempDir Path dir)
      throws Exception {
    Path hosts = dir.resolve("hosts");
    assertThat(new ProcessBuilder("mkfifo", hosts.toString()).start().waitFor()).isZero();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts,
                "-Dsun.net.inetaddr.ttl=0",
                "-cp",
                classPath,
                DnsRebindingProbe.class.getName(),
                hosts.toString())
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the probe finished").isTrue();
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      System.out.println(out);
      assertThat(out).as(out).contains("outcome=");
      assertThat(out).as(out).contains("loopbackConnections=0");
      assertThat(out)
          .as("the attempt failed: nothing answered at the checked address")
          .doesNotContain("status=2");
    } finally {
      child.destroyForcibly();
    }
  }
}
