package io.growthos.bench.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection to a loopback server, used by exactly one thread.
 *
 * <p>A deliberately small client: it writes pre-encoded request bytes and reads the status line,
 * the headers it needs ({@code Content-Length}, chunked encoding, {@code Connection: close} and one
 * header the caller asks for) and the body. {@code java.net.http.HttpClient} spends several times
 * more CPU per request (futures, a selector thread, header maps), and on a 2-core box every cycle
 * the client spends is taken from the server under test. The {@code client} scenario measures this
 * client's own ceiling.
 *
 * <p>If the server closes the connection (Tomcat does after {@code max-keep-alive-requests}) the
 * next request reconnects; {@link #reconnects()} counts how often.
 */
public final class HttpConnection implements AutoCloseable {

  private static final int READ_TIMEOUT_MILLIS = 30_000;

  private final InetSocketAddress address;
  private final String watchedHeader;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private int connects;
  private byte[] body = new byte[8192];
  private int bodyLength;
  private String watchedValue;
  private final StringBuilder line = new StringBuilder(128);

  /**
   * @param port the loopback port
   * @param watchedHeader a response header whose value {@link #watchedValue()} returns, or null
   */
  public HttpConnection(int port, String watchedHeader) {
    this.address = new InetSocketAddress("127.0.0.1", port);
    this.watchedHeader = watchedHeader;
  }

  /**
   * Sends one request and reads the whole response.
   *
   * @param head the request line and headers, ending with the blank line
   * @param requestBody the body, or null
   * @return the status code
   * @throws IOException if the connection failed; the next call reconnects
   */
  public int send(byte[] head, byte[] requestBody) throws IOException {
    if (socket == null) {
      connect();
    }
    try {
      out.write(head);
      if (requestBody != null) {
        out.write(requestBody);
      }
      out.flush();
      return readResponse();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The body of the last response. */
  public String bodyText() {
    return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
  }

  /** The value of the watched header in the last response, or null. */
  public String watchedValue() {
    return watchedValue;
  }

  /** How many times this connection was opened again after the first time. */
  public int reconnects() {
    return Math.max(0, connects - 1);
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.setSoTimeout(READ_TIMEOUT_MILLIS);
    s.connect(address, 5_000);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    connects++;
  }

  private int readResponse() throws IOException {
    String statusLine = readLine();
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
      throw new IOException("not an HTTP/1.x status line: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long contentLength = -1;
    boolean chunked = false;
    boolean close = statusLine.startsWith("HTTP/1.0");
    watchedValue = null;
    for (String header = readLine(); !header.isEmpty(); header = readLine()) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = header.substring(0, colon);
      String value = header.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Content-Length")) {
        contentLength = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        chunked = value.toLowerCase().contains("chunked");
      } else if (name.equalsIgnoreCase("Connection")) {
        close = value.equalsIgnoreCase("close");
      } else if (watchedHeader != null && name.equalsIgnoreCase(watchedHeader)) {
        watchedValue = value;
      }
    }
    bodyLength = 0;
    if (chunked) {
      readChunked();
    } else if (contentLength > 0) {
      readFully((int) contentLength);
    } else if (contentLength < 0 && status >= 200 && status != 204 && status != 304) {
      // No length and not chunked: the body ends when the server closes the connection.
      readUntilClose();
      close = true;
    }
    if (close) {
      close();
    }
    return status;
  }

  private void readChunked() throws IOException {
    while (true) {
      String sizeLine = readLine();
      int semicolon = sizeLine.indexOf(';');
      int size =
          Integer.parseInt(
              (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailers are ignored
        }
        return;
      }
      readFully(size);
      readLine();
    }
  }

  private void readFully(int n) throws IOException {
    ensureCapacity(bodyLength + n);
    int read = 0;
    while (read < n) {
      int r = in.read(body, bodyLength + read, n - read);
      if (r < 0) {
        throw new EOFException("connection closed inside a response body");
      }
      read += r;
    }
    bodyLength += n;
  }

  private void readUntilClose() throws IOException {
    while (true) {
      ensureCapacity(bodyLength + 4096);
      int r = in.read(body, bodyLength, body.length - bodyLength);
      if (r < 0) {
        return;
      }
      bodyLength += r;
    }
  }

  private void ensureCapacity(int capacity) {
    if (capacity > body.length) {
      byte[] bigger = new byte[Math.max(capacity, body.length * 2)];
      System.arraycopy(body, 0, bigger, 0, bodyLength);
      body = bigger;
    }
  }

  /** Reads one CRLF-terminated line of ASCII (status line, header or chunk size). */
  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed by the server");
      }
      if (b == '\n') {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
          line.setLength(len - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a loopback socket cannot lose anything we care about
      }
    }
    socket = null;
    in = null;
    out = null;
  }
}
