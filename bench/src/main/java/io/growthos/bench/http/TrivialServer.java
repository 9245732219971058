package io.growthos.bench.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A loopback HTTP/1.1 server that answers every request with the ingest ACK and does nothing else:
 * one thread per connection, keep-alive, no parsing beyond the headers. It exists to measure the
 * harness's own client ceiling ({@code client} scenario) with as little server work as possible.
 */
public final class TrivialServer implements AutoCloseable {

  private static final byte[] RESPONSE =
      ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n"
              + "{\"success\":true}")
          .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;

  public TrivialServer() throws IOException {
    server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "trivial-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        Thread t = new Thread(() -> serve(s), "trivial-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serve(Socket s) {
    try (s;
        InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
        OutputStream out = s.getOutputStream()) {
      StringBuilder line = new StringBuilder();
      byte[] skip = new byte[64 * 1024];
      while (true) {
        long length = 0;
        boolean first = true;
        while (true) {
          if (!readLine(in, line)) {
            return;
          }
          if (line.isEmpty()) {
            if (first) {
              continue;
            }
            break;
          }
          first = false;
          String header = line.toString().toLowerCase(Locale.ROOT);
          if (header.startsWith("content-length:")) {
            length = Long.parseLong(header.substring(15).trim());
          }
        }
        while (length > 0) {
          int r = in.read(skip, 0, (int) Math.min(skip.length, length));
          if (r < 0) {
            return;
          }
          length -= r;
        }
        out.write(RESPONSE);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the client went away
    }
  }

  private static boolean readLine(InputStream in, StringBuilder line) throws IOException {
    line.setLength(0);
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
          line.setLength(len - 1);
        }
        return true;
      }
      line.append((char) b);
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
