package io.growthos.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/1.1 over a raw socket, for the attack tests of both services: the request line goes out byte
 * for byte, so percent-escapes, dot segments and matrix parameters reach the server as written (an
 * HTTP client would normalise them), and the answer is read back whole.
 */
public final class RawHttp {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Spellings of one {@code /v1/…} path that a filter or a proxy might read differently. All but
   * {@code as-is} must be refused before any handler runs.
   */
  public static final Map<String, UnaryOperator<String>> PATH_VARIANTS;

  static {
    Map<String, UnaryOperator<String>> v = new LinkedHashMap<>();
    v.put("as-is", p -> p);
    v.put("%76 for v", p -> "/%761" + p.substring(3));
    v.put("v%31", p -> "/v%31" + p.substring(3));
    v.put("matrix after v1", p -> "/v1;x=1" + p.substring(3));
    v.put("matrix on last segment", p -> p + ";x=1");
    v.put("doubled slash", p -> "/v1/" + p.substring(3));
    v.put("dot segment", p -> "/v1/." + p.substring(3));
    v.put("dot-dot segment", p -> "/v1/.." + p);
    v.put("upper-case V1", p -> "/V1" + p.substring(3));
    v.put("trailing %2F", p -> p + "%2F");
    v.put("encoded %2e%2e", p -> "/v1/%2e%2e" + p);
    v.put("trailing slash", p -> p + "/");
    v.put(";jsessionid= on last segment", p -> p + ";jsessionid=ABC123");
    v.put("%2F for the last slash", p -> encodeLastSlash(p, "%2F"));
    v.put("double-encoded %252F for the last slash", p -> encodeLastSlash(p, "%252F"));
    v.put("upper-case last segment", p -> upperLastSegment(p));
    // A Cyrillic "а" (U+0430, looks like "a"), sent as raw UTF-8 in the request line.
    v.put("homoglyph at the end", p -> p + "\u0430");
    PATH_VARIANTS = Collections.unmodifiableMap(v);
  }

  private RawHttp() {}

  private static String encodeLastSlash(String p, String encoded) {
    int slash = p.lastIndexOf('/');
    return p.substring(0, slash) + encoded + p.substring(slash + 1);
  }

  private static String upperLastSegment(String p) {
    int slash = p.lastIndexOf('/');
    return p.substring(0, slash + 1) + p.substring(slash + 1).toUpperCase(java.util.Locale.ROOT);
  }

  /** One answer read off the socket: status, head (status line and headers) and decoded body. */
  public record Answer(int status, String head, String body) {}

  /**
   * Sends {@code method path} with {@code headers} (in order; a null value leaves the header out),
   * a {@code Content-Length} and {@code body} in UTF-8, and {@code Connection: close}.
   */
  public static Answer send(
      int port, String method, String path, Map<String, String> headers, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head =
        new StringBuilder(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    headers.forEach(
        (name, value) -> {
          if (value != null) {
            head.append(name).append(": ").append(value).append("\r\n");
          }
        });
    head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one answer to the end of the stream, undoing a chunked transfer encoding. */
  public static Answer read(InputStream in) throws IOException {
    String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    int split = text.indexOf("\r\n\r\n");
    String head = text.substring(0, split);
    String rest = text.substring(split + 4);
    if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int at = 0;
      while (true) {
        int eol = rest.indexOf("\r\n", at);
        int size = Integer.parseInt(rest.substring(at, eol).trim().split(";")[0], 16);
        if (size == 0) {
          break;
        }
        body.write(rest.substring(eol + 2, eol + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
        at = eol + 2 + size + 2;
      }
      rest = body.toString(StandardCharsets.UTF_8);
    } else {
      rest = new String(rest.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
    return new Answer(Integer.parseInt(head.split(" ", 3)[1]), head, rest);
  }

  /**
   * Null when {@code a} is what a request that must not pass deserves: a 4xx with the error
   * envelope; otherwise what is wrong with it.
   */
  public static String refusalProblem(Answer a) {
    if (a.status() >= 500) {
      return "server error";
    }
    if (a.status() < 400) {
      return "not refused";
    }
    return envelopeProblem(a);
  }

  /**
   * Null when {@code a} carries the error envelope ({@code request_id} starting {@code req_} and an
   * {@code error.code}); otherwise what is missing.
   */
  public static String envelopeProblem(Answer a) {
    try {
      JsonNode json = JSON.readTree(a.body());
      if (!json.path("request_id").asString("").startsWith("req_")) {
        return "no request_id";
      }
      if (json.path("error").path("code").asString("").isEmpty()) {
        return "no error code";
      }
      return null;
    } catch (RuntimeException e) {
      return "no envelope";
    }
  }
}
