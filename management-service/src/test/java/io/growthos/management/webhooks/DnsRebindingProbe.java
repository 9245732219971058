package io.growthos.management.webhooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * The child JVM of {@link WebhookDnsRebindingTests}: its name service is a hosts file that is a
 * named pipe ({@code -Djdk.net.hosts.file}), with the JVM's DNS cache off ({@code
 * -Dsun.net.inetaddr.ttl=0}), so every look-up of {@code rebind.test} reads the next answer this
 * class writes: a public address first, loopback afterwards, as a DNS server of the endpoint's
 * owner can answer. It sends one delivery to {@code https://rebind.test:<port>/hooks} with the
 * dispatcher of a server that refuses private addresses, and prints how many connections reached
 * the loopback listener on that port and what the attempt came to.
 */
public final class DnsRebindingProbe {

  private DnsRebindingProbe() {}

  public static void main(String[] args) throws Exception {
    Path hosts = Path.of(args[0]);
    AtomicInteger lookups = new AtomicInteger();
    Thread dns =
        new Thread(
            () -> {
              try {
                while (true) {
                  // Opening the pipe blocks until a look-up opens it to read.
                  try (Writer out = Files.newBufferedWriter(hosts)) {
                    String answer = lookups.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1";
                    out.write(answer + " rebind.test\n");
                  }
                  // The reader reads to the end before the next answer is opened.
                  Thread.sleep(200);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    dns.setDaemon(true);
    dns.start();

    AtomicInteger loopbackConnections = new AtomicInteger();
    try (ServerSocket internal = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread accept =
          new Thread(
              () -> {
                while (true) {
                  try {
                    Socket s = internal.accept();
                    loopbackConnections.incrementAndGet();
                    s.close();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      accept.setDaemon(true);
      accept.start();

      WebhookProperties.Dispatcher props = TestDispatchers.props(false, 1, 1);
      WebhookDispatcher dispatcher =
          new WebhookDispatcher(null, null, props, false, JsonMapper.builder().build());
      WebhookDispatcher.Claimed claimed =
          new WebhookDispatcher.Claimed(
              "ws_probe",
              "dlv_probe",
              "we_probe",
              "evt_probe",
              0,
              0,
              "https://rebind.test:" + internal.getLocalPort() + "/hooks",
              List.of("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])),
              "webhook.test",
              "{}",
              Instant.now());
      WebhookDispatcher.Outcome outcome = dispatcher.attempt(claimed);
      Thread.sleep(300); // lets the accept thread count a connection that just arrived
      System.out.println("loopbackConnections=" + loopbackConnections.get());
      System.out.println("outcome=" + outcome);
    }
  }
}
