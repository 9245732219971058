package io.growthos.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** HTTP as a client sees it: single requests, concurrent bursts, and requests from an address. */
final class Http {

  private static final AtomicInteger nextLoopback = new AtomicInteger(2);

  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  static HttpResponse<String> get(URI uri, String key) {
    return send(request(uri, key).GET().build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpRequest.Builder request(URI uri, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
    return key == null ? b : b.header("Authorization", "Bearer " + key);
  }

  /** What a burst did, and how long it took from the first send to the last answer. */
  record Burst(List<HttpResponse<String>> responses, long elapsedNanos) {

    long count(int status) {
      return responses.stream().filter(r -> r.statusCode() == status).count();
    }

    /**
     * Asserts that exactly {@code limit} passed, allowing for the tokens a greedy refill of {@code
     * limit}/s could add while the burst was in flight (none if it took under {@code 1/limit} s),
     * and that everything else was refused with 429.
     */
    void assertLimitedTo(long limit) {
      long refilledAtMost = (long) Math.ceil(elapsedNanos * (double) limit / 1e9);
      assertThat(count(200))
          .as("requests passed in %d ms", elapsedNanos / 1_000_000)
          .isBetween(limit, limit + refilledAtMost);
      assertThat(count(200) + count(429)).isEqualTo(responses.size());
    }
  }

  /** {@code n} requests sent at once, each on its own connection. */
  static Burst burst(URI uri, Optional<String> key, int n) {
    return burst(List.of(uri), key, n);
  }

  /** {@code n} requests sent at once, spread in turn over {@code uris} (copies of a service). */
  static Burst burst(List<URI> uris, Optional<String> key, int n) {
    List<HttpRequest> requests = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      requests.add(request(uris.get(i % uris.size()), key.orElse(null)).GET().build());
    }
    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (HttpRequest r : requests) {
      futures.add(CLIENT.sendAsync(r, HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> responses = futures.stream().map(CompletableFuture::join).toList();
    return new Burst(responses, System.nanoTime() - start);
  }

  /** A loopback address no other test has used, so that its address bucket starts full. */
  static String freshLoopbackAddress() {
    int n = nextLoopback.getAndIncrement();
    return "127.0." + (n / 250) + "." + (n % 250 + 2);
  }

  /** A response read off the wire: status and headers (names in any case). */
  record Raw(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  /** GET from a given local address, to test limits by client address. */
  static Raw getFrom(String localAddress, int port, String path, Map<String, String> headers) {
    try (Socket socket =
        new Socket(
            InetAddress.getLoopbackAddress(), port, InetAddress.getByName(localAddress), 0)) {
      socket.setSoTimeout(20_000);
      StringBuilder req =
          new StringBuilder("GET ")
              .append(path)
              .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      req.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> parsed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        parsed.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
      return new Raw(status, parsed, text.substring(end + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
