package io.growthos.management.webhooks;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParserFactory;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The dispatcher's HTTP client: Apache HttpClient 5 (classic), set up so that a webhook request
 * goes to the address the dispatcher checked and to nothing else.
 *
 * <ul>
 *   <li><b>The checked address.</b> The request's target is an {@link HttpHost} that carries the
 *       checked {@link InetAddress}: HttpClient connects to it and never looks the name up (its
 *       {@link DnsResolver} here refuses every name, so a path that would look one up fails instead
 *       of resolving again: DNS rebinding, {@code WebhookDnsRebindingTests}). TLS names and
 *       verifies the URL's host (SNI unless it is an IP literal, endpoint identification {@code
 *       HTTPS}), without a fully qualified name's trailing dot.
 *   <li><b>Connections are kept</b> (HTTP/1.1 keep-alive) in a pool bounded to the dispatcher's
 *       threads. The pool's key is the route, and the route's target host carries the checked
 *       address ({@link HttpHost#equals} compares it): a connection is reused only for a delivery
 *       whose check gave the same address, port, scheme and name. A connection idle for more than a
 *       second is checked before reuse; one the receiver closed just as it was reused (no byte of
 *       an answer) is retried once on a new connection.
 *   <li><b>Deadlines.</b> Connecting has {@code connectTimeout}; everything after it (TLS, sending,
 *       the answer's head) has {@code requestTimeout}, counted from the connection (or from the
 *       start, on a kept connection). A watchdog cancels the request when it is over, which closes
 *       its socket, so a receiver that never reads, never answers, or trickles its answer byte by
 *       byte holds a thread no longer than that.
 *   <li><b>The answer's body is not read</b>, except a short one announced by {@code
 *       Content-Length} (at most {@value #KEPT_BODY_BYTES} bytes), read only so that its connection
 *       can serve the next delivery. Any other body (longer, chunked, unknown length) is not read:
 *       the connection is closed at once ({@code cancel}, never {@code close}, which would read the
 *       body to its end).
 *   <li>No redirects (a 3xx is an answer), no automatic retries of an answered request, no cookies,
 *       no content decompression, no proxy; interim 1xx answers are skipped.
 * </ul>
 */
final class WebhookClient {

  /** What the receiver answered: its status and its {@code Retry-After} header, if any. */
  record Answer(int status, String retryAfter) {}

  /** The longest answer body read to keep its connection; a longer one closes the connection. */
  static final int KEPT_BODY_BYTES = 4096;

  /** Bounds on the answer's head: lines of at most 8 KiB, at most 100 header fields. */
  private static final Http1Config HEAD_LIMITS =
      Http1Config.custom().setMaxLineLength(8192).setMaxHeaderCount(100).build();

  private static final String DEADLINE = WebhookClient.class.getName() + ".deadline";

  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final ScheduledThreadPoolExecutor watchdog;
  private final CloseableHttpClient client;

  /**
   * @param maxConnections the pool's bound, in all and per route: the dispatcher's threads, so that
   *     a request never waits for a connection (the pool closes an idle connection of another route
   *     to make room)
   */
  WebhookClient(
      Duration connectTimeout, Duration requestTimeout, int maxConnections, SSLContext tls) {
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
    this.watchdog =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "webhook-request-watchdog");
              t.setDaemon(true);
              return t;
            });
    watchdog.setRemoveOnCancelPolicy(true);
    int max = Math.max(1, maxConnections);
    var connections =
        new PoolingHttpClientConnectionManagerBuilder() {
          @Override
          protected HttpClientConnectionOperator createConnectionOperator(
              SchemePortResolver ports, DnsResolver dns, TlsSocketStrategy unused) {
            return new DefaultHttpClientConnectionOperator(
                ports,
                dns,
                RegistryBuilder.<TlsSocketStrategy>create().register("https", tls(tls)).build()) {
              @Override
              protected void onBeforeSocketConnect(HttpContext context, HttpHost host) {
                // Connecting has its own timeout; this only keeps the watchdog out of its way.
                deadline(context).arm(connectTimeout.plus(requestTimeout));
              }

              @Override
              protected void onAfterSocketConnect(HttpContext context, HttpHost host) {
                deadline(context).arm(requestTimeout);
              }
            };
          }
        }.setDnsResolver(NO_LOOKUPS)
            .setConnectionFactory(
                ManagedHttpClientConnectionFactory.builder()
                    .http1Config(HEAD_LIMITS)
                    // HttpCore's strict parser: HttpClient's default one skips lines that are no
                    // status line, so an answer that is not HTTP read as no answer at all.
                    .responseParserFactory(new DefaultHttpResponseParserFactory(HEAD_LIMITS))
                    .build())
            .setMaxConnTotal(max)
            .setMaxConnPerRoute(max)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(timeout(connectTimeout))
                    .setSocketTimeout(timeout(requestTimeout))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                    .setTimeToLive(TimeValue.ofMinutes(5))
                    .build())
            .build();
    this.client =
        HttpClients.custom()
            .setConnectionManager(connections)
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setRedirectsEnabled(false)
                    .setResponseTimeout(timeout(requestTimeout))
                    .setConnectionRequestTimeout(timeout(requestTimeout))
                    .build())
            .setRetryStrategy(RETRY_A_KEPT_CONNECTION_CLOSED_UNDER_US)
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableContentCompression()
            .disableAuthCaching()
            .evictIdleConnections(TimeValue.ofSeconds(30))
            .build();
  }

  WebhookClient(Duration connectTimeout, Duration requestTimeout, int maxConnections) {
    this(connectTimeout, requestTimeout, maxConnections, defaultTls());
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
    HttpPost request = new HttpPost(URI.create(uri.toASCIIString()));
    // The Host header as the URL writes it (brackets of an IPv6 literal, a trailing dot).
    request.setHeader("Host", uri.getPort() != -1 ? host + ":" + uri.getPort() : host);
    headers.forEach(request::setHeader);
    request.setEntity(new ByteArrayEntity(body, null));
    HttpHost target = new HttpHost(https ? "https" : "http", address, tlsName(host), port);
    Deadline deadline = new Deadline(request);
    HttpClientContext context = HttpClientContext.create();
    context.setAttribute(DEADLINE, deadline);
    deadline.arm(requestTimeout);
    try {
      ClassicHttpResponse response = client.executeOpen(target, request, context);
      Header retryAfter = response.getFirstHeader("Retry-After");
      Answer answer =
          new Answer(response.getCode(), retryAfter == null ? null : retryAfter.getValue().strip());
      HttpEntity entity = response.getEntity();
      if (entity == null
          || (!entity.isChunked()
              && entity.getContentLength() >= 0
              && entity.getContentLength() <= KEPT_BODY_BYTES)) {
        try {
          EntityUtils.consume(entity); // a few bytes at most: the connection serves the next one
          response.close();
        } catch (IOException e) {
          request.cancel(); // the answer stands; the connection goes
        }
      } else {
        request.cancel(); // closes the connection without reading the body (close() would)
      }
      return answer;
    } catch (IOException e) {
      if (deadline.expired) {
        throw new HttpTimeoutException("request timed out");
      }
      if (e instanceof ConnectTimeoutException) {
        throw new HttpConnectTimeoutException("connect timed out");
      }
      if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
        throw new HttpTimeoutException("request timed out");
      }
      if (e instanceof NoHttpResponseException) {
        throw new IOException("The endpoint closed the connection without an answer");
      }
      if (e instanceof ClientProtocolException && e.getCause() instanceof ProtocolException) {
        throw new IOException("The endpoint's answer is not HTTP/1.x");
      }
      throw e;
    } finally {
      deadline.disarm();
    }
  }

  /** Closes every connection and stops the watchdog (the dispatcher is stopping). */
  void shutdown() {
    client.close(CloseMode.IMMEDIATE);
    watchdog.shutdownNow();
  }

  /** The request's hard deadline: when it passes, the request is cancelled (its socket closed). */
  private final class Deadline implements Runnable {
    private final HttpPost request;
    private ScheduledFuture<?> timer;
    volatile boolean expired;

    Deadline(HttpPost request) {
      this.request = request;
    }

    synchronized void arm(Duration in) {
      if (timer != null) {
        timer.cancel(false);
      }
      timer = watchdog.schedule(this, in.toNanos(), TimeUnit.NANOSECONDS);
    }

    synchronized void disarm() {
      if (timer != null) {
        timer.cancel(false);
      }
    }

    @Override
    public void run() {
      expired = true;
      request.cancel();
    }
  }

  private static Deadline deadline(HttpContext context) {
    return (Deadline) context.getAttribute(DEADLINE);
  }

  /** The name TLS sees: without an IPv6 literal's brackets or a fully qualified name's dot. */
  private static String tlsName(String host) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return bare.endsWith(".") ? bare.substring(0, bare.length() - 1) : bare;
  }

  /**
   * TLS over the connected socket, naming and verifying the URL's host: SNI for a name (not for an
   * IP literal, which SNI cannot carry), and the JDK's endpoint identification {@code HTTPS}.
   */
  private static TlsSocketStrategy tls(SSLContext context) {
    return (socket, target, port, attachment, httpContext) -> {
      String name = tlsName(target);
      SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, name, port, true);
      SSLParameters params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      if (!isIpLiteral(name)) {
        params.setServerNames(List.of(new SNIHostName(name)));
      }
      ssl.setSSLParameters(params);
      ssl.startHandshake();
      return ssl;
    };
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
  }

  /** The connection always goes to the checked address: a look-up here would be a second one. */
  private static final DnsResolver NO_LOOKUPS =
      new DnsResolver() {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
          throw new UnknownHostException(host + " (webhook requests never look a name up)");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
          throw new UnknownHostException(host + " (webhook requests never look a name up)");
        }
      };

  /**
   * One more try, on a new connection, when a kept connection was closed by the receiver as it was
   * reused (no byte of an answer came; the request was not the connection's first); nothing else is
   * retried here (the dispatcher's schedule is). A receiver that reads a request on a new
   * connection and closes it without answering gets it once per attempt: until 2026-12-07 it got
   * every attempt twice, since the retry did not ask whether the connection was a kept one.
   */
  private static final HttpRequestRetryStrategy RETRY_A_KEPT_CONNECTION_CLOSED_UNDER_US =
      new HttpRequestRetryStrategy() {
        @Override
        public boolean retryRequest(
            HttpRequest request, IOException e, int execCount, HttpContext context) {
          EndpointDetails connection = HttpClientContext.castOrCreate(context).getEndpointDetails();
          return execCount == 1
              && e instanceof NoHttpResponseException
              && connection != null
              && connection.getRequestCount() > 1;
        }

        @Override
        public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
          return false;
        }

        @Override
        public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext c) {
          return TimeValue.ZERO_MILLISECONDS;
        }
      };

  private static Timeout timeout(Duration d) {
    return Timeout.ofMilliseconds(Math.max(1, d.toMillis()));
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
