package io.growthos.management.webhooks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One webhook request: an HTTP/1.1 POST to the address the dispatcher checked, not to whatever the
 * host name resolves to by the time the connection is made. {@link java.net.http.HttpClient} looks
 * the name up again itself, so a DNS answer that changed between the check and the connection (DNS
 * rebinding, or only the JVM's cache running out in between) sent the request into the private
 * network ({@code WebhookDnsRebindingTests}). Here the socket connects to the checked {@link
 * InetAddress}; TLS still names and verifies the host: SNI and the certificate check (endpoint
 * identification {@code HTTPS}) use the URL's host.
 *
 * <p>Only the status line and the headers of the answer are read, never its body: a huge or endless
 * body costs nothing. The whole exchange after the connection (TLS handshake, sending, the answer's
 * head) has {@code requestTimeout}; a watchdog closes the socket when it is over, so a receiver
 * that stops reading the body, or trickles its answer byte by byte, holds a thread no longer than
 * that. Redirects are not followed: a 3xx is an answer like any other. One connection per request
 * ({@code Connection: close}).
 */
final class WebhookHttp {

  /** What the receiver answered: its status and its {@code Retry-After} header, if any. */
  record Answer(int status, String retryAfter) {}

  /** Longest answer head (status line and headers) read; the rest is ignored. */
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final SSLSocketFactory tls;
  private final ScheduledExecutorService watchdog;

  WebhookHttp(Duration connectTimeout, Duration requestTimeout, SSLSocketFactory tls) {
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.tls = tls;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "webhook-request-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  WebhookHttp(Duration connectTimeout, Duration requestTimeout) {
    this(connectTimeout, requestTimeout, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /**
   * POSTs {@code body} to {@code uri}, connecting to {@code address}.
   *
   * @throws HttpConnectTimeoutException when connecting took longer than the connect timeout
   * @throws HttpTimeoutException when the answer's head did not arrive within the request timeout
   * @throws IOException when the connection failed or the answer was not HTTP
   */
  Answer post(URI uri, InetAddress address, Map<String, String> headers, byte[] body)
      throws IOException {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
    String host = uri.getHost();
    String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    // The name TLS sees (SNI, the certificate check): a fully qualified name's trailing dot is
    // no part of it, and SNIHostName refuses one.
    String tlsName =
        bareHost.endsWith(".") ? bareHost.substring(0, bareHost.length() - 1) : bareHost;
    Socket socket = new Socket();
    try {
      try {
        socket.connect(new InetSocketAddress(address, port), timeoutMillis(connectTimeout));
      } catch (SocketTimeoutException e) {
        throw new HttpConnectTimeoutException("connect timed out");
      }
      long deadline = System.nanoTime() + requestTimeout.toNanos();
      ScheduledFuture<?> guard =
          watchdog.schedule(() -> close(socket), requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
      try {
        Socket s = socket;
        if (https) {
          SSLSocket ssl = (SSLSocket) tls.createSocket(socket, tlsName, port, true);
          SSLParameters params = ssl.getSSLParameters();
          params.setEndpointIdentificationAlgorithm("HTTPS");
          if (!isIpLiteral(tlsName)) {
            params.setServerNames(List.of(new SNIHostName(tlsName)));
          }
          ssl.setSSLParameters(params);
          ssl.setSoTimeout(remainingMillis(deadline));
          ssl.startHandshake();
          s = ssl;
        }
        OutputStream out = new BufferedOutputStream(s.getOutputStream());
        out.write(head(uri, host, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        return readAnswer(s, new BufferedInputStream(s.getInputStream()), deadline);
      } catch (IOException e) {
        if (System.nanoTime() - deadline >= 0 && !(e instanceof HttpTimeoutException)) {
          throw new HttpTimeoutException("request timed out");
        }
        throw e;
      } finally {
        guard.cancel(false);
      }
    } finally {
      close(socket); // the plain socket: closing a TLS one would try to write close_notify
    }
  }

  /** The request line and headers; the target is the URL's path and query, non-ASCII escaped. */
  private static String head(URI uri, String host, Map<String, String> headers, int length) {
    URI ascii = URI.create(uri.toASCIIString());
    String path =
        ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
    String target = ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
    StringBuilder h = new StringBuilder(512);
    h.append("POST ").append(target).append(" HTTP/1.1\r\n");
    h.append("Host: ").append(host);
    if (uri.getPort() != -1) {
      h.append(':').append(uri.getPort());
    }
    h.append("\r\n");
    headers.forEach((name, value) -> h.append(name).append(": ").append(value).append("\r\n"));
    h.append("Content-Length: ").append(length).append("\r\n");
    h.append("Connection: close\r\n\r\n");
    return h.toString();
  }

  /** The final answer's status and Retry-After, skipping interim 1xx answers. */
  private static Answer readAnswer(Socket s, InputStream in, long deadline) throws IOException {
    int[] budget = {MAX_HEAD_BYTES};
    while (true) {
      s.setSoTimeout(remainingMillis(deadline));
      String statusLine = line(in, budget);
      if (statusLine == null) {
        throw new IOException("The endpoint closed the connection without an answer");
      }
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2
          || !parts[0].startsWith("HTTP/1.")
          || !parts[1].matches("[1-9][0-9][0-9]")) {
        throw new IOException("The endpoint's answer is not HTTP/1.x");
      }
      int status = Integer.parseInt(parts[1]);
      String retryAfter = null;
      while (true) {
        s.setSoTimeout(remainingMillis(deadline));
        String header = line(in, budget);
        if (header == null || header.isEmpty()) {
          break;
        }
        int colon = header.indexOf(':');
        if (colon > 0
            && header.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("retry-after")) {
          retryAfter = header.substring(colon + 1).strip();
        }
      }
      if (status >= 200 || status == 101) {
        return new Answer(status, retryAfter);
      }
    }
  }

  /**
   * One line without its CR LF; null at the end of the stream before any byte; what was read when
   * the head's budget runs out.
   */
  private static String line(InputStream in, int[] budget) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (budget[0] > 0) {
      int b = in.read();
      if (b == -1) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      budget[0]--;
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
  }

  private static int remainingMillis(long deadline) throws HttpTimeoutException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw new HttpTimeoutException("request timed out");
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  private static int timeoutMillis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }

  /** Stops the watchdog (the dispatcher is stopping). */
  void shutdown() {
    watchdog.shutdownNow();
  }
}
