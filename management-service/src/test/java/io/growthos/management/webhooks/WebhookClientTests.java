package io.growthos.management.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher's HTTP request ({@link WebhookClient}) against receivers that misbehave: TLS to
 * the checked address with the host name still verified, answers never sent, bodies never read,
 * endless answer bodies, trickled headers, redirects, interim answers.
 */
class WebhookClientTests {

  private static final char[] PASSWORD = "changeit".toCharArray();
  private static SSLContext tls;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @BeforeAll
  static void certificateForLocalhost(@TempDir Path dir) throws Exception {
    Path store = dir.resolve("receiver.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-alias",
                "receiver",
                "-keyalg",
                "EC",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-validity",
                "2")
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(store.toFile())) {
      ks.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
  }

  private static WebhookClient client(Duration requestTimeout) {
    return new WebhookClient(Duration.ofSeconds(2), requestTimeout, 4, tls);
  }

  private static final Map<String, String> HEADERS =
      Map.of("Content-Type", "application/json", "webhook-id", "evt_1");

  @Test
  void httpsGoesToTheGivenAddressAndStillVerifiesTheUrlsHostName() throws Exception {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    var seen = new CopyOnWriteArrayList<String>();
    server.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          seen.add(ex.getRequestHeaders().getFirst("Host"));
          seen.add(ex.getRequestURI().getRawPath() + "?" + ex.getRequestURI().getRawQuery());
          seen.add(new String(body, StandardCharsets.UTF_8));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.start();
    try {
      int port = server.getAddress().getPort();
      String body = "{\"name\":\"Zoë 🚀 \\u2028 中文\"}";
      WebhookClient.Answer answer =
          client(Duration.ofSeconds(5))
              .post(
                  URI.create("https://localhost:" + port + "/hooks?x=%C3%A9&y=1"),
                  LOOPBACK,
                  HEADERS,
                  body.getBytes(StandardCharsets.UTF_8));
      assertThat(answer.status()).isEqualTo(204);
      assertThat(seen.subList(0, 3))
          .containsExactly("localhost:" + port, "/hooks?x=%C3%A9&y=1", body);

      // A fully qualified name with its trailing dot is the same name to TLS (SNI, certificate).
      assertThat(
              client(Duration.ofSeconds(5))
                  .post(
                      URI.create("https://localhost.:" + port + "/hooks?x=%C3%A9&y=1"),
                      LOOPBACK,
                      HEADERS,
                      body.getBytes(StandardCharsets.UTF_8))
                  .status())
          .isEqualTo(204);

      // The same server under a name its certificate does not hold: refused, as a browser would.
      assertThatThrownBy(
              () ->
                  client(Duration.ofSeconds(5))
                      .post(
                          URI.create("https://rebind.example:" + port + "/hooks"),
                          LOOPBACK,
                          HEADERS,
                          new byte[0]))
          .isInstanceOf(SSLHandshakeException.class);
    } finally {
      server.stop(0);
    }
  }

  /** A raw receiver on loopback: {@code handler} gets each accepted socket on its own thread. */
  private static ServerSocket raw(Consumer<Socket> handler) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  Thread h = new Thread(() -> handler.accept(s));
                  h.setDaemon(true);
                  h.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return server;
  }

  private static URI url(ServerSocket server) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hooks");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    while (matched < 4) {
      int b = in.read();
      if (b == -1) {
        return;
      }
      matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
    }
  }

  @Test
  void aReceiverThatNeverAnswersTimesOutAfterTheRequestTimeout() throws Exception {
    try (ServerSocket server = raw(s -> sleep(30_000))) {
      long started = System.nanoTime();
      assertThatThrownBy(
              () -> client(Duration.ofSeconds(1)).post(url(server), LOOPBACK, HEADERS, new byte[0]))
          .isInstanceOf(HttpTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aReceiverThatNeverReadsALargeBodyHoldsTheSenderNoLongerThanTheRequestTimeout()
      throws Exception {
    try (ServerSocket server = raw(s -> sleep(30_000))) {
      long started = System.nanoTime();
      assertThatThrownBy(
              () ->
                  client(Duration.ofSeconds(1))
                      .post(url(server), LOOPBACK, HEADERS, new byte[32 * 1024 * 1024]))
          .isInstanceOf(HttpTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void anEndlessAnswerBodyIsNotRead() throws Exception {
    try (ServerSocket server =
        raw(
            s -> {
              try (s) {
                readHead(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n".getBytes());
                byte[] chunk = new byte[64 * 1024];
                while (true) {
                  out.write(chunk);
                }
              } catch (IOException e) {
                // the sender hung up, as it should
              }
            })) {
      long started = System.nanoTime();
      WebhookClient.Answer answer =
          client(Duration.ofSeconds(5)).post(url(server), LOOPBACK, HEADERS, "{}".getBytes());
      assertThat(answer.status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void headersTrickledForeverTimeOut() throws Exception {
    try (ServerSocket server =
        raw(
            s -> {
              try (s) {
                readHead(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\n".getBytes());
                while (true) {
                  out.write('x');
                  out.flush();
                  sleep(100);
                }
              } catch (IOException e) {
                // hung up
              }
            })) {
      long started = System.nanoTime();
      assertThatThrownBy(
              () -> client(Duration.ofSeconds(1)).post(url(server), LOOPBACK, HEADERS, new byte[0]))
          .isInstanceOf(HttpTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  private static ServerSocket answering(String head) throws IOException {
    return raw(
        s -> {
          try (s) {
            readHead(s.getInputStream());
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
          } catch (IOException e) {
            // hung up
          }
        });
  }

  @Test
  void redirectsAreAnswersNotFollowedInterimAnswersSkippedRetryAfterRead() throws Exception {
    try (ServerSocket server =
        answering("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/\r\n\r\n")) {
      assertThat(client(Duration.ofSeconds(5)).post(url(server), LOOPBACK, HEADERS, new byte[0]))
          .isEqualTo(new WebhookClient.Answer(302, null));
    }
    try (ServerSocket server =
        answering(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Busy\r\nretry-after:  30 \r\nX: y\r\n\r\n")) {
      assertThat(client(Duration.ofSeconds(5)).post(url(server), LOOPBACK, HEADERS, new byte[0]))
          .isEqualTo(new WebhookClient.Answer(503, "30"));
    }
    try (ServerSocket server = answering("SSH-2.0-OpenSSH_9.2\r\n")) {
      assertThatThrownBy(
              () -> client(Duration.ofSeconds(5)).post(url(server), LOOPBACK, HEADERS, new byte[0]))
          .isExactlyInstanceOf(IOException.class)
          .hasMessageContaining("not HTTP");
    }
    try (ServerSocket server = answering("")) {
      assertThatThrownBy(
              () -> client(Duration.ofSeconds(5)).post(url(server), LOOPBACK, HEADERS, new byte[0]))
          .isExactlyInstanceOf(IOException.class)
          .hasMessageContaining("without an answer");
    }
  }

  /**
   * A receiver that reads each request and closes without answering: on a new connection the
   * request was sent once (it was sent twice); on a kept one, closed as it was reused, it is sent
   * once more on a new connection, where it is answered.
   */
  @Test
  void onlyARequestOnAKeptConnectionClosedUnderItIsSentOnceMore() throws Exception {
    java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    try (ServerSocket server =
        raw(
            s -> {
              try (s) {
                readHead(s.getInputStream());
                requests.incrementAndGet();
              } catch (IOException e) {
                // hung up
              }
            })) {
      assertThatThrownBy(
              () -> client(Duration.ofSeconds(5)).post(url(server), LOOPBACK, HEADERS, new byte[0]))
          .isExactlyInstanceOf(IOException.class)
          .hasMessageContaining("without an answer");
      sleep(200);
      assertThat(requests.get()).as("requests the receiver read").isEqualTo(1);
    }
    // Answers the first request of each connection, keeping it open, and closes it without an
    // answer at the second.
    requests.set(0);
    try (ServerSocket server =
        raw(
            s -> {
              try (s) {
                readHead(s.getInputStream());
                requests.incrementAndGet();
                s.getOutputStream()
                    .write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                readHead(s.getInputStream());
                requests.incrementAndGet();
              } catch (IOException e) {
                // hung up
              }
            })) {
      WebhookClient client = client(Duration.ofSeconds(5));
      assertThat(client.post(url(server), LOOPBACK, HEADERS, new byte[0]).status()).isEqualTo(204);
      assertThat(client.post(url(server), LOOPBACK, HEADERS, new byte[0]).status())
          .as("sent once more, on a new connection")
          .isEqualTo(204);
      sleep(200);
      assertThat(requests.get()).isEqualTo(3);
    }
  }

  @Test
  void aKeptConnectionServesLaterDeliveriesToTheSameCheckedAddressOnly() throws Exception {
    // On the wildcard address, so that 127.0.0.1 and 127.0.0.2 reach the same receiver; each
    // request notes the connection it came on (the client's port) and the address it reached.
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(0), 0);
    var seen = new CopyOnWriteArrayList<String>();
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          seen.add(
              ex.getLocalAddress().getAddress().getHostAddress()
                  + " "
                  + ex.getRemoteAddress().getPort());
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.start();
    WebhookClient client = client(Duration.ofSeconds(5));
    try {
      URI uri = URI.create("http://hooks.example:" + server.getAddress().getPort() + "/hooks");
      InetAddress first = InetAddress.getByName("127.0.0.1");
      InetAddress second = InetAddress.getByName("127.0.0.2");
      for (InetAddress address : new InetAddress[] {first, first, second, second, first}) {
        assertThat(client.post(uri, address, HEADERS, "{}".getBytes()).status()).isEqualTo(204);
      }
      assertThat(seen).hasSize(5);
      // Same checked address: the same connection; another address: never that connection.
      assertThat(seen.get(1)).isEqualTo(seen.get(0)).startsWith("127.0.0.1 ");
      assertThat(seen.get(2)).startsWith("127.0.0.2 ");
      assertThat(seen.get(3)).isEqualTo(seen.get(2));
      assertThat(seen.get(4)).isEqualTo(seen.get(0));
    } finally {
      client.shutdown();
      server.stop(0);
    }
  }

  @Test
  void aKeptConnectionWhoseNextAnswerNeverComesTimesOutAfterTheRequestTimeout() throws Exception {
    try (ServerSocket server =
        raw(
            s -> {
              try (s) {
                InputStream in = s.getInputStream();
                readHead(in);
                in.readNBytes(2); // "{}"
                s.getOutputStream().write("HTTP/1.1 204 No Content\r\n\r\n".getBytes());
                s.getOutputStream().flush();
                readHead(in);
                sleep(30_000); // the second request on this connection is never answered
              } catch (IOException e) {
                // hung up
              }
            })) {
      WebhookClient client = client(Duration.ofSeconds(1));
      assertThat(client.post(url(server), LOOPBACK, HEADERS, "{}".getBytes()).status())
          .isEqualTo(204);
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.post(url(server), LOOPBACK, HEADERS, "{}".getBytes()))
          .isInstanceOf(HttpTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      client.shutdown();
    }
  }

  @Test
  void httpsToAnIpLiteralVerifiesTheAddressInTheCertificateWithoutSni() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    var sni = new CopyOnWriteArrayList<String>();
    SSLContext recording = tls;
    HttpsServer server = HttpsServer.create(new InetSocketAddress(v6, 0), 0);
    server.setHttpsConfigurator(
        new HttpsConfigurator(recording) {
          @Override
          public void configure(com.sun.net.httpserver.HttpsParameters params) {
            javax.net.ssl.SSLParameters p = recording.getDefaultSSLParameters();
            p.setSNIMatchers(
                java.util.List.of(
                    new javax.net.ssl.SNIMatcher(0) {
                      @Override
                      public boolean matches(javax.net.ssl.SNIServerName name) {
                        sni.add(new String(name.getEncoded(), StandardCharsets.US_ASCII));
                        return true;
                      }
                    }));
            params.setSSLParameters(p);
          }
        });
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.start();
    WebhookClient client = client(Duration.ofSeconds(5));
    try {
      int port = server.getAddress().getPort();
      // An IPv6 literal: the certificate's IP address is checked, no SNI is sent.
      assertThat(
              client
                  .post(URI.create("https://[::1]:" + port + "/hooks"), v6, HEADERS, new byte[0])
                  .status())
          .isEqualTo(204);
      assertThat(sni).isEmpty();
      // A name: sent as SNI (and checked against the certificate's names).
      assertThat(
              client
                  .post(
                      URI.create("https://localhost:" + port + "/hooks"), v6, HEADERS, new byte[0])
                  .status())
          .isEqualTo(204);
      assertThat(sni).containsExactly("localhost");
    } finally {
      client.shutdown();
      server.stop(0);
    }
  }
}
