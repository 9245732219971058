package io.growthos.bench.http;

import io.growthos.bench.load.Worker;
import java.util.function.Supplier;

/** A {@link Worker} that sends the requests of a supplier over one keep-alive connection. */
public final class HttpWorker implements Worker {

  /**
   * One request to send.
   *
   * @param head request line and headers
   * @param body the body, or null
   * @param events the events it carries (counted when it succeeds)
   */
  public record Request(byte[] head, byte[] body, int events) {}

  /** Judges a response; returns null when it is what the scenario expects, else why not. */
  @FunctionalInterface
  public interface Check {
    String failure(int status, HttpConnection response);

    /** Any 2xx. */
    Check SUCCESS = (status, response) -> status / 100 == 2 ? null : describe(status, response);

    static String describe(int status, HttpConnection response) {
      String body = response.bodyText();
      return "HTTP " + status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
  }

  private final HttpConnection connection;
  private final Supplier<Request> requests;
  private final Check check;
  private String lastFailure = "";

  public HttpWorker(HttpConnection connection, Supplier<Request> requests, Check check) {
    this.connection = connection;
    this.requests = requests;
    this.check = check;
  }

  @Override
  public int call() throws Exception {
    Request request = requests.get();
    int status = connection.send(request.head(), request.body());
    String failure = check.failure(status, connection);
    if (failure != null) {
      lastFailure = failure;
      return FAILED;
    }
    return request.events();
  }

  @Override
  public String lastFailure() {
    return lastFailure;
  }

  @Override
  public int reconnects() {
    return connection.reconnects();
  }

  @Override
  public void close() {
    connection.close();
  }
}
