package io.growthos.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {

  /** Answers each request (headers only) with the next scripted response; counts connections. */
  private static final class ScriptedServer implements AutoCloseable {
    final ServerSocket server;
    final Deque<String> responses;
    volatile int connections;

    ScriptedServer(List<String> responses) throws IOException {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      this.responses = new ArrayDeque<>(responses);
      Thread t = new Thread(this::run);
      t.setDaemon(true);
      t.start();
    }

    private void run() {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections++;
          BufferedReader in =
              new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
          OutputStream out = s.getOutputStream();
          while (true) {
            String line = in.readLine();
            if (line == null) {
              break;
            }
            if (!line.isEmpty()) {
              continue;
            }
            String response = responses.poll();
            if (response == null) {
              break;
            }
            out.write(response.getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (response.contains("Connection: close")) {
              break;
            }
          }
        } catch (IOException e) {
          return;
        }
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  private ScriptedServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private byte[] get(int port) {
    return RequestHead.get("/x", port).encode(-1);
  }

  @Test
  void readsChunkedAndSizedBodiesOnOneKeptAliveConnection() throws IOException {
    server =
        new ScriptedServer(
            List.of(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n",
                "HTTP/1.1 201 Created\r\nContent-Length: 4\r\nIdempotent-Replayed: true\r\n\r\nbody"));
    try (HttpConnection c =
        new HttpConnection(server.server.getLocalPort(), "idempotent-replayed")) {
      assertThat(c.send(get(server.server.getLocalPort()), null)).isEqualTo(200);
      assertThat(c.bodyText()).isEqualTo("hello world");
      assertThat(c.watchedValue()).isNull();

      assertThat(c.send(get(server.server.getLocalPort()), null)).isEqualTo(201);
      assertThat(c.bodyText()).isEqualTo("body");
      assertThat(c.watchedValue()).isEqualTo("true");
      assertThat(c.reconnects()).isZero();
    }
    assertThat(server.connections).isEqualTo(1);
  }

  @Test
  void reconnectsAfterTheServerClosesTheConnection() throws IOException {
    server =
        new ScriptedServer(
            List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"));
    int port = server.server.getLocalPort();
    try (HttpConnection c = new HttpConnection(port, null)) {
      assertThat(c.send(get(port), null)).isEqualTo(200);
      assertThat(c.send(get(port), null)).isEqualTo(503);
      assertThat(c.reconnects()).isEqualTo(1);
    }
  }

  @Test
  void failsLoudlyOnSomethingThatIsNotHttp() throws IOException {
    server = new ScriptedServer(List.of("SSH-2.0-OpenSSH\r\n\r\n"));
    int port = server.server.getLocalPort();
    try (HttpConnection c = new HttpConnection(port, null)) {
      assertThatThrownBy(() -> c.send(get(port), null)).hasMessageContaining("not an HTTP/1.x");
    }
  }
}
