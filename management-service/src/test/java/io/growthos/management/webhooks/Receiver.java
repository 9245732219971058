package io.growthos.management.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A webhook receiver on loopback for tests: records every request and answers with what {@link
 * #answer} says. Tracks how many requests for the same {@code webhook-id} were in flight at once.
 */
final class Receiver implements AutoCloseable {

  /** One request as received: {@code body} is {@code bytes} read as UTF-8. */
  record Received(
      String id,
      String timestamp,
      String signature,
      String body,
      long atNanos,
      String contentType,
      byte[] bytes) {}

  /** What to answer: a status, optional headers, and how long to wait first. */
  record Answer(int status, Duration delay, Map<String, String> headers) {
    static Answer ok() {
      return new Answer(200, Duration.ZERO, Map.of());
    }

    static Answer status(int status) {
      return new Answer(status, Duration.ZERO, Map.of());
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> concurrent = new ConcurrentHashMap<>();
  private final AtomicInteger maxConcurrentSameId = new AtomicInteger();
  private volatile Function<Received, Answer> answer = r -> Answer.ok();

  Receiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            var h = exchange.getRequestHeaders();
            Received r =
                new Received(
                    h.getFirst("webhook-id"),
                    h.getFirst("webhook-timestamp"),
                    h.getFirst("webhook-signature"),
                    body,
                    System.nanoTime(),
                    h.getFirst("Content-Type"),
                    bytes);
            AtomicInteger now = concurrent.computeIfAbsent(r.id(), k -> new AtomicInteger());
            maxConcurrentSameId.accumulateAndGet(now.incrementAndGet(), Math::max);
            // Recorded on arrival: a receiver has seen an event even when its answer is lost.
            received.add(r);
            try {
              Answer a = answer.apply(r);
              if (!a.delay().isZero()) {
                Thread.sleep(a.delay().toMillis());
              }
              a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
              exchange.sendResponseHeaders(a.status(), -1);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (IOException e) {
              // the sender went away (killed) before the answer
            } finally {
              now.decrementAndGet();
              exchange.close();
            }
          }
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
  }

  void answer(Function<Received, Answer> answer) {
    this.answer = answer;
  }

  List<Received> received() {
    return new ArrayList<>(received);
  }

  List<Received> ofType(String type) {
    return received.stream().filter(r -> r.body().contains("\"type\":\"" + type + "\"")).toList();
  }

  int maxConcurrentSameId() {
    return maxConcurrentSameId.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
