package io.growthos.bench.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the bytes of an HTTP/1.1 request line and headers. The fixed part (method, path,
 * authentication, content type) is built once per scenario; only {@code Content-Length} and
 * per-request headers such as {@code Idempotency-Key} change between requests.
 */
public final class RequestHead {

  private final String method;
  private final String path;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private RequestHead(String method, String path, int port) {
    this.method = method;
    this.path = path;
    headers.put("Host", "127.0.0.1:" + port);
  }

  public static RequestHead get(String path, int port) {
    return new RequestHead("GET", path, port);
  }

  public static RequestHead post(String path, int port) {
    return new RequestHead("POST", path, port).header("Content-Type", "application/json");
  }

  public RequestHead header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** HTTP Basic with the key as user name and an empty password, as Segment's SDKs send it. */
  public RequestHead basic(String user) {
    String token =
        Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8));
    return header("Authorization", "Basic " + token);
  }

  public RequestHead bearer(String key) {
    return header("Authorization", "Bearer " + key);
  }

  /** The bytes to send before a body of {@code contentLength} bytes (or none, when negative). */
  public byte[] encode(int contentLength) {
    return encode(contentLength, null, null);
  }

  /** As {@link #encode(int)}, with one extra header for this request only. */
  public byte[] encode(int contentLength, String extraName, String extraValue) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    headers.forEach((name, value) -> sb.append(name).append(": ").append(value).append("\r\n"));
    if (extraName != null) {
      sb.append(extraName).append(": ").append(extraValue).append("\r\n");
    }
    if (contentLength >= 0) {
      sb.append("Content-Length: ").append(contentLength).append("\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
