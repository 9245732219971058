package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestApplication;
import io.growthos.ingest.IngestTestBase;
import io.growthos.testsupport.AtOnce;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/** Exactly once per (workspace, messageId) within the dedupe window, however duplicates come. */
class DedupeTests extends IngestTestBase {

  @Autowired Environment env;
  @Autowired DedupePurger purger;

  private static String trackWith(String messageId) {
    return "{\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"" + messageId + "\"}";
  }

  @Test
  void retriedRequestIsStoredOnceAndStillAcked() {
    Workspace ws = newWorkspace();
    String m = uuid();
    for (int i = 0; i < 3; i++) {
      assertThat(post("/v1/track", trackWith(m), "Authorization", ws.basic()).statusCode())
          .isEqualTo(200);
    }
    assertThat(events(ws, m)).isEqualTo(1);
  }

  @Test
  void duplicatesInsideOneBatchAreStoredOnce() {
    Workspace ws = newWorkspace();
    String m = uuid();
    String item =
        "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"" + m + "\"}";
    HttpResponse<String> response =
        post(
            "/v1/batch",
            "{\"batch\":[" + item + "," + item + "," + item + "]}",
            "Authorization",
            ws.basic());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(events(ws, m)).isEqualTo(1);
  }

  @Test
  void sameMessageIdInAnotherWorkspaceIsAnotherEvent() {
    Workspace a = newWorkspace();
    Workspace b = newWorkspace();
    String m = uuid();
    post("/v1/track", trackWith(m), "Authorization", a.basic());
    post("/v1/track", trackWith(m), "Authorization", b.basic());
    assertThat(events(a, m)).isEqualTo(1);
    assertThat(events(b, m)).isEqualTo(1);
  }

  @Test
  void concurrentDuplicatesFromManyThreadsAreStoredOnce() throws Exception {
    Workspace ws = newWorkspace();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(uuid());
    }
    int threads = 16;
    List<Integer> oks =
        AtOnce.times(
            threads,
            t ->
                () -> {
                  int ok = 0;
                  for (String m : ids) {
                    ok +=
                        post("/v1/track", trackWith(m), "Authorization", ws.basic()).statusCode()
                                == 200
                            ? 1
                            : 0;
                  }
                  return ok;
                });
    assertThat(oks).containsOnly(ids.size());
    assertThat(events(ws)).isEqualTo(ids.size());
    for (String m : ids) {
      assertThat(events(ws, m)).isEqualTo(1);
    }
  }

  @Test
  void expiredClaimIsReclaimedAndPurged() {
    Workspace ws = newWorkspace();
    jdbc.update("update workspaces set dedupe_window_seconds = 60 where id = ?", ws.id());
    String m = uuid();
    post("/v1/track", trackWith(m), "Authorization", ws.basic());
    // Age the claim past the window (the window is cached briefly, so the claim moves instead).
    jdbc.update(
        "update event_dedupe set received_at = now() - interval '8 days'"
            + " where workspace_id = ? and message_id = ?",
        ws.id(),
        m);
    post("/v1/track", trackWith(m), "Authorization", ws.basic());
    assertThat(events(ws, m)).as("outside the window a messageId is new again").isEqualTo(2);

    String old = uuid();
    post("/v1/track", trackWith(old), "Authorization", ws.basic());
    jdbc.update(
        "update event_dedupe set received_at = now() - interval '2 hours'"
            + " where workspace_id = ? and message_id = ?",
        ws.id(),
        old);
    purger.purgeExpired();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from event_dedupe where workspace_id = ? and message_id = ?",
                Long.class,
                ws.id(),
                old))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from event_dedupe where workspace_id = ? and message_id = ?",
                Long.class,
                ws.id(),
                m))
        .as("the re-claimed row is fresh and kept")
        .isEqualTo(1);
  }

  @Test
  void twoServiceCopiesOnOneDatabaseStoreEachMessageOnce() throws Exception {
    Workspace ws = newWorkspace();
    try (ConfigurableApplicationContext second =
        new SpringApplicationBuilder(IngestApplication.class)
            .run(
                "--server.port=0",
                "--growthos.ratelimit.enabled=false",
                "--spring.datasource.url=" + env.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + env.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + env.getProperty("spring.datasource.password"))) {
      int otherPort = ((WebServerApplicationContext) second).getWebServer().getPort();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        ids.add(uuid());
      }
      StringBuilder batch = new StringBuilder("{\"batch\":[");
      for (int i = 0; i < ids.size(); i++) {
        batch
            .append(i == 0 ? "" : ",")
            .append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"")
            .append(ids.get(i))
            .append("\"}");
      }
      String body = batch.append("]}").toString();
      List<Integer> statuses =
          AtOnce.times(
              8,
              t -> {
                int target = t % 2 == 0 ? port : otherPort;
                return () -> {
                  HttpRequest req =
                      HttpRequest.newBuilder(URI.create("http://localhost:" + target + "/v1/batch"))
                          .timeout(Duration.ofSeconds(60))
                          .header("Authorization", ws.basic())
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build();
                  return send(req).statusCode();
                };
              });
      assertThat(statuses).containsOnly(200);
      assertThat(events(ws)).isEqualTo(ids.size());
    }
  }
}
