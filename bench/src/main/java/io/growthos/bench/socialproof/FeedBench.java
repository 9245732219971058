package io.growthos.bench.socialproof;

import io.growthos.bench.BenchContext;
import io.growthos.bench.BenchContext.Target;
import io.growthos.bench.Interleaved;
import io.growthos.bench.Options;
import io.growthos.bench.ScenarioResult;
import io.growthos.bench.analytics.AnalyticsDataSet;
import io.growthos.bench.http.HttpConnection;
import io.growthos.bench.http.HttpWorker;
import io.growthos.bench.http.HttpWorker.Request;
import io.growthos.bench.http.RequestHead;
import io.growthos.bench.load.LoadPhase;
import io.growthos.bench.load.PhaseResult;
import io.growthos.core.campaigns.CampaignSettings;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench/run feed}: {@code GET /v1/widgets/campaigns/{id}/feed} of an active social-proof
 * campaign over the {@link AnalyticsDataSet} ({@code --contacts} contacts, 10 events each, 50 noise
 * workspaces; the source is the data set's {@code Signed Up} events, about 8% of them, with a 7-day
 * counter), at {@code --track-connections} keep-alive connections, against {@code GET /v1/noop} of
 * the same server (same write key, same pipeline, a constant answer) in interleaved rounds. The aim
 * of issue 12 is ≥ 5,000 req/s.
 */
public final class FeedBench {

  static final double AIM_REQUESTS_PER_SECOND = 5_000;

  private static final String SETTINGS =
      """
      {"source": {"event": "Signed Up"},
       "template": "{first_name|Someone} from {country|somewhere} signed up {time_ago}",
       "counter": {"window": "7d", "template": "{count} people signed up this week",
                   "min_count": 10},
       "limit": 10, "max_age": "7d"}
      """;

  private final BenchContext ctx;
  private final Options options;

  public FeedBench(BenchContext ctx) {
    this.ctx = ctx;
    this.options = ctx.options();
  }

  public ScenarioResult run() throws Exception {
    Target target = ctx.ingest();
    long contacts = options.contacts();
    long events = contacts * 10;
    System.out.printf(
        "  setup: generating %,d contacts and %,d events (+50 noise workspaces at 1%%) …%n",
        contacts, events);
    String campaign = Ids.next(IdPrefix.CAMPAIGN);
    AnalyticsDataSet.Summary data;
    try (Connection c = ctx.postgres().connect(target.jdbcUrl())) {
      data =
          AnalyticsDataSet.generate(
              c,
              target.workspaceId(),
              contacts,
              events,
              50,
              Instant.now().truncatedTo(ChronoUnit.SECONDS),
              0.42);
      String settings =
          JsonMapper.builder()
              .build()
              .writeValueAsString(
                  CampaignSettings.validate(
                      CampaignType.SOCIAL_PROOF, JsonMapper.builder().build().readTree(SETTINGS)));
      try (PreparedStatement s =
          c.prepareStatement(
              "insert into campaigns (workspace_id, id, type, name, status, settings)"
                  + " values (?, ?, 'social_proof', 'bench feed', 'active', ?::jsonb)")) {
        s.setString(1, target.workspaceId());
        s.setString(2, campaign);
        s.setString(3, settings);
        s.execute();
      }
    }
    System.out.printf("  setup: generated in %.1f s%n", data.seconds());

    String feedPath = "/v1/widgets/campaigns/" + campaign + "/feed";
    String sample = sample(target, feedPath);
    System.out.println("  sample answer: " + sample);

    if (!options.serviceWarmup().isZero()) {
      System.out.printf(
          "  warm-up: driving the fresh service for %.1f s (not measured) …%n",
          options.serviceWarmup().toMillis() / 1000.0);
      ctx.phase(
              "service warm-up feed",
              options.trackConnections(),
              target,
              Duration.ZERO,
              options.serviceWarmup(),
              options.maxRequests())
          .run(gets(target, feedPath));
    }

    Interleaved.Outcome rounds =
        Interleaved.run(
            options.rounds(), false, r -> phase(target, feedPath), r -> phase(target, "/v1/noop"));
    double rps = rounds.subject().requestsPerSecond();
    List<String> notes = new ArrayList<>();
    notes.add(
        String.format(
            Locale.ROOT,
            "data set: %,d contacts, %,d events in the workspace, 50 noise workspaces; baseline ="
                + " GET /v1/noop (same key and pipeline, constant answer)",
            contacts,
            events));
    notes.add(
        String.format(
            Locale.ROOT,
            "aim (issue 12) ≥ %,.0f req/s: %s in this run (median round: %,.0f req/s, p50 %.2f ms,"
                + " p99 %.2f ms)",
            AIM_REQUESTS_PER_SECOND,
            rps >= AIM_REQUESTS_PER_SECOND ? "met" : "NOT met",
            rps,
            rounds.subject().latency().p50(),
            rounds.subject().latency().p99()));
    return new ScenarioResult("feed", rounds, List.of(), false, notes);
  }

  private PhaseResult phase(Target target, String path) throws Exception {
    return ctx.phase(
            "http GET " + path.replaceAll("cmp_\\w+", "{id}"), options.trackConnections(), target)
        .run(gets(target, path));
  }

  /** Connections that each GET {@code path} with the write key, checking for a 200. */
  private static LoadPhase.WorkerFactory gets(Target target, String path) {
    byte[] head = RequestHead.get(path, target.port()).basic(target.writeKey()).encode(-1);
    Request request = new Request(head, null, 1);
    return i ->
        new HttpWorker(
            new HttpConnection(target.port(), null), () -> request, HttpWorker.Check.SUCCESS);
  }

  /** One answer of the route, to show what is measured (and fail early if it is not a 200). */
  private static String sample(Target target, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + target.port() + path))
                    .header("Authorization", "Bearer " + target.writeKey())
                    .timeout(Duration.ofMinutes(2))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("feed: HTTP " + r.statusCode() + " " + r.body());
    }
    return r.body().length() > 400 ? r.body().substring(0, 400) + "…" : r.body();
  }
}
