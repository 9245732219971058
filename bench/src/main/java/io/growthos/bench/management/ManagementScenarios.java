package io.growthos.bench.management;

import io.growthos.bench.BenchContext;
import io.growthos.bench.BenchContext.Target;
import io.growthos.bench.Interleaved;
import io.growthos.bench.Options;
import io.growthos.bench.ScenarioResult;
import io.growthos.bench.http.HttpConnection;
import io.growthos.bench.http.HttpWorker;
import io.growthos.bench.http.HttpWorker.Request;
import io.growthos.bench.http.JsonFields;
import io.growthos.bench.http.RequestHead;
import io.growthos.bench.load.LoadPhase;
import io.growthos.bench.load.PhaseResult;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Management API scenarios of issue 4: {@code pagination} (a deep page costs what the first
 * page costs) and {@code idempotency} (a replayed POST vs a fresh create).
 */
public final class ManagementScenarios {

  private static final int PAGE = 25;
  private static final int DEEP_PAGE = 10_000;
  private static final String ID_FIELD = "\"id\":\"cntct_";

  private final BenchContext ctx;
  private final Options options;
  private boolean warmed;

  public ManagementScenarios(BenchContext ctx) {
    this.ctx = ctx;
    this.options = ctx.options();
  }

  /** {@code GET /v1/contacts?limit=25} at page 10,000 vs page 1 of a large workspace. */
  public ScenarioResult pagination() throws Exception {
    Target target = target();
    int count = options.contacts();
    System.out.printf("  setup: seeding %,d contacts by COPY …%n", count);
    double seconds;
    try (Connection c = ctx.postgres().connect(target.jdbcUrl())) {
      seconds = ContactSeeder.seed(c, target.workspaceId(), count, ctx.runTag());
    }
    System.out.printf("  setup: seeded in %.1f s%n", seconds);
    int deepPage = Math.max(2, Math.min(DEEP_PAGE, count / PAGE));
    long walkStart = System.nanoTime();
    Walk walk = walkTo(target, deepPage);
    System.out.printf(
        "  setup: cursor of page %,d reached in %,d requests, %.1f s%n",
        deepPage, walk.requests, (System.nanoTime() - walkStart) / 1e9);

    String firstPath = "/v1/contacts?limit=" + PAGE;
    String deepPath =
        firstPath + "&cursor=" + URLEncoder.encode(walk.cursor, StandardCharsets.UTF_8);
    Interleaved.Outcome rounds =
        Interleaved.run(
            options.rounds(),
            false,
            r ->
                listPhase(
                    target, String.format("http GET /v1/contacts page %,d", deepPage), deepPath),
            r -> listPhase(target, "http GET /v1/contacts page 1", firstPath));
    List<String> notes = new ArrayList<>();
    notes.add(
        String.format(
            "%,d contacts in the workspace; limit=%d; the page-%,d cursor was reached by walking"
                + " the API (%s)",
            count, PAGE, deepPage, walk.how));
    double ratio = Interleaved.median(rounds.ratios());
    notes.add(
        "aim (issue 4) a deep page costs what page 1 costs (ratio near 1; read as met at ≥ 0.8,"
            + " since above 1 the deep page was only faster): "
            + (ratio >= 0.8 ? "met" : "NOT met")
            + " in this run");
    return new ScenarioResult("pagination", rounds, List.of(), false, notes);
  }

  /** Replays of one stored POST vs fresh creates, each with its own Idempotency-Key. */
  public ScenarioResult idempotency() throws Exception {
    Target target = target();
    RequestHead head = RequestHead.post("/v1/contacts", target.port()).bearer(target.secretKey());
    Interleaved.Outcome rounds =
        Interleaved.run(
            options.rounds(),
            false,
            r -> replays(target, head, ctx.runTag() + "-" + r),
            r ->
                ctx.phase("http POST /v1/contacts, fresh", options.managementConnections(), target)
                    .run(freshCreates(target, "fresh-" + ctx.runTag() + "-" + r)));
    List<String> notes = new ArrayList<>();
    notes.add(
        "fresh: new Idempotency-Key and new email per request; replayed: one stored key and body"
            + " per connection, each response checked for Idempotent-Replayed: true");
    return new ScenarioResult("idempotency", rounds, List.of(), false, notes);
  }

  /** One stored POST per connection (key and body), then replayed again and again. */
  private PhaseResult replays(Target target, RequestHead head, String tag) throws Exception {
    return ctx.phase("http POST /v1/contacts, replayed", options.managementConnections(), target)
        .run(
            i -> {
              String key = "replay-" + tag + "-" + i;
              byte[] body = contactBody(key);
              Request request =
                  new Request(head.encode(body.length, "Idempotency-Key", key), body, 0);
              HttpConnection connection = new HttpConnection(target.port(), "Idempotent-Replayed");
              int status = connection.send(request.head(), request.body());
              if (status / 100 != 2) {
                throw new IOException(
                    "first POST of the replay key failed: "
                        + HttpWorker.Check.describe(status, connection));
              }
              return new HttpWorker(
                  connection,
                  () -> request,
                  (s, response) ->
                      s / 100 == 2 && "true".equalsIgnoreCase(response.watchedValue())
                          ? null
                          : "expected a replay (Idempotent-Replayed: true), got "
                              + HttpWorker.Check.describe(s, response));
            });
  }

  /** Connections that each create contacts with a new Idempotency-Key and email every time. */
  private LoadPhase.WorkerFactory freshCreates(Target target, String tag) {
    RequestHead head = RequestHead.post("/v1/contacts", target.port()).bearer(target.secretKey());
    return i -> {
      long[] seq = {0};
      Supplier<Request> requests =
          () -> {
            String unique = tag + "-" + i + "-" + seq[0]++;
            byte[] body = contactBody(unique);
            return new Request(head.encode(body.length, "Idempotency-Key", unique), body, 0);
          };
      return new HttpWorker(
          new HttpConnection(target.port(), null), requests, HttpWorker.Check.SUCCESS);
    };
  }

  /**
   * The management service, warmed up once after its start (list and create, unmeasured), so the
   * first phase measured does not pay for the JIT compiling the hot paths.
   */
  private Target target() throws Exception {
    Target target = ctx.management();
    if (!warmed) {
      warmed = true;
      Duration half = options.serviceWarmup().dividedBy(2);
      if (!half.isZero()) {
        System.out.printf(
            "  warm-up: driving the fresh service for %.1f s (not measured) …%n",
            options.serviceWarmup().toMillis() / 1000.0);
        RequestHead list =
            RequestHead.get("/v1/contacts?limit=" + PAGE, target.port()).bearer(target.secretKey());
        Request listRequest = new Request(list.encode(-1), null, 0);
        ctx.phase(
                "service warm-up create",
                options.managementConnections(),
                target,
                Duration.ZERO,
                half,
                options.maxRequests())
            .run(freshCreates(target, "warm-" + ctx.runTag()));
        ctx.phase(
                "service warm-up list",
                options.managementConnections(),
                target,
                Duration.ZERO,
                half,
                options.maxRequests())
            .run(
                i ->
                    new HttpWorker(
                        new HttpConnection(target.port(), null),
                        () -> listRequest,
                        HttpWorker.Check.SUCCESS));
      }
    }
    return target;
  }

  private static byte[] contactBody(String unique) {
    return ("{\"email\":\""
            + unique
            + "@example.com\",\"traits\":{\"plan\":\"pro\",\"source\":\"bench\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private PhaseResult listPhase(Target target, String name, String path) throws Exception {
    RequestHead head = RequestHead.get(path, target.port()).bearer(target.secretKey());
    byte[] bytes = head.encode(-1);
    Request request = new Request(bytes, null, 0);
    return ctx.phase(name, options.managementConnections(), target)
        .run(
            i ->
                new HttpWorker(
                    new HttpConnection(target.port(), null),
                    () -> request,
                    (status, response) -> {
                      if (status != 200) {
                        return HttpWorker.Check.describe(status, response);
                      }
                      int n = JsonFields.count(response.bodyText(), ID_FIELD);
                      return n == PAGE ? null : "page of " + n + " contacts, expected " + PAGE;
                    }));
  }

  /**
   * The cursor of a deep page, found by walking the API: cursors are opaque and signed, so the only
   * honest way to a deep page is the way a client gets there.
   */
  private record Walk(String cursor, int requests, String how) {}

  private Walk walkTo(Target target, int page) throws IOException {
    int skip = (page - 1) * PAGE;
    try {
      return walk(target, skip, 100);
    } catch (CursorRejected e) {
      // A cursor bound to its page size: walk with the measured page size instead.
      return walk(target, skip, PAGE);
    }
  }

  private Walk walk(Target target, int skip, int stride) throws IOException {
    try (HttpConnection c = new HttpConnection(target.port(), null)) {
      String cursor = null;
      int skipped = 0;
      int requests = 0;
      boolean switched = false;
      while (skipped < skip) {
        int limit = skip - skipped >= stride ? stride : PAGE;
        switched |= limit != stride;
        String path =
            "/v1/contacts?limit="
                + limit
                + (cursor == null
                    ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        int status =
            c.send(
                RequestHead.get(path, target.port()).bearer(target.secretKey()).encode(-1), null);
        requests++;
        if (status == 400 && switched && stride != PAGE) {
          throw new CursorRejected();
        }
        if (status != 200) {
          throw new IOException(
              "walking " + path + " failed: " + HttpWorker.Check.describe(status, c));
        }
        String body = c.bodyText();
        int n = JsonFields.count(body, ID_FIELD);
        if (n != limit) {
          throw new IOException("page of " + n + " contacts, expected " + limit + ": " + path);
        }
        skipped += n;
        cursor = JsonFields.string(body, "next_cursor");
        if (cursor == null) {
          throw new IOException("no next_cursor after " + skipped + " contacts");
        }
      }
      String how =
          stride == PAGE
              ? String.format("%,d pages of %d", requests, PAGE)
              : String.format("pages of %d then %d", stride, PAGE);
      return new Walk(cursor, requests, how);
    }
  }

  private static final class CursorRejected extends IOException {
    private static final long serialVersionUID = 1L;
  }
}
