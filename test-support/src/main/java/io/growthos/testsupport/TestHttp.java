package io.growthos.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP over a real socket for end-to-end tests: what a client would really see. */
public final class TestHttp {

  private static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private TestHttp() {}

  /** A request builder for {@code path} on localhost:{@code port}. */
  public static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
  }

  /**
   * Sends {@code request} byte for byte over a socket (for what a well-behaved client would refuse
   * to send) and returns the whole answer, status line and headers included.
   */
  public static String raw(int port, byte[] request) {
    return raw(port, request, false);
  }

  /**
   * As {@link #raw}, but closes the sending side of the connection after {@code request}, as a
   * client whose upload stopped short does, then reads the whole answer.
   */
  public static String rawHalfClosed(int port, byte[] request) {
    return raw(port, request, true);
  }

  private static String raw(int port, byte[] request, boolean halfClose) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request);
      if (halfClose) {
        socket.shutdownOutput();
      }
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends and reads the body as a string. */
  public static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
