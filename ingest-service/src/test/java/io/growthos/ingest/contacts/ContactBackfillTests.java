package io.growthos.ingest.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.contacts.ContactBackfills;
import io.growthos.ingest.IngestTestBase;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Linking an id's history to its contact happens after the identify, in bounded chunks. */
class ContactBackfillTests extends IngestTestBase {

  private static final int HISTORY = 50_000;

  @Autowired ContactBackfills backfills;

  @Test
  void longHistoryIsLinkedLaterInChunksWhileOtherWritesCommit() {
    Workspace ws = newWorkspace();
    Workspace unrelated = newWorkspace();
    jdbc.update(
        """
        insert into events (workspace_id, id, message_id, type, event, anonymous_id, timestamp,
                            received_at)
        select ?, 'evt_hist' || lpad(g::text, 8, '0'), 'hist-' || g, 'track', 'Old',
               'long-history', timestamp with time zone '2020-01-01 00:00:00+00' + g * interval '1 s',
               now()
          from generate_series(1, ?) g
        """,
        ws.id(),
        HISTORY);

    var identify =
        post(
            "/v1/identify",
            "{\"userId\":\"heavy\",\"anonymousId\":\"long-history\"}",
            "Authorization",
            ws.basic());
    assertThat(identify.statusCode()).isEqualTo(200);
    assertThat(linked(ws))
        .as("the identify's transaction did not link the history itself")
        .isLessThan(HISTORY);
    assertThat(
            jdbc.queryForList(
                "select id from events where workspace_id = ? and anonymous_id = 'long-history'"
                    + " limit 1",
                String.class,
                ws.id()))
        .as("events stay findable by their anonymous id meanwhile")
        .isNotEmpty();

    // While the back-fill runs (the background worker, helped by this thread as a second copy
    // would), an unrelated workspace's writes commit.
    CompletableFuture<Void> helper =
        CompletableFuture.runAsync(
            () -> {
              long deadline = System.nanoTime() + 300_000_000_000L;
              while (linked(ws) < HISTORY && System.nanoTime() < deadline) {
                int n = backfills.runChunk();
                assertThat(n)
                    .as("a chunk links at most chunk-size events")
                    .isLessThanOrEqualTo(1000);
                if (n < 0) {
                  LockSupport.parkNanos(20_000_000L);
                }
              }
            });
    int unrelatedWrites = 0;
    while (!helper.isDone() && unrelatedWrites < 50) {
      long start = System.nanoTime();
      HttpResponse<String> r =
          post(
              "/v1/track",
              "{\"userId\":\"bystander\",\"event\":\"Unrelated\"}",
              "Authorization",
              unrelated.basic());
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(millis).as("an unrelated write is not held up by the back-fill").isLessThan(5_000);
      unrelatedWrites++;
    }
    helper.join();
    assertThat(unrelatedWrites).isPositive();
    assertThat(linked(ws)).isEqualTo(HISTORY);
    assertThat(
            jdbc.queryForObject(
                "select first_seen_at = timestamp with time zone '2020-01-01 00:00:01+00'"
                    + " from contacts where workspace_id = ? and user_id = 'heavy'",
                Boolean.class,
                ws.id()))
        .as("the back-filled history moves first seen")
        .isTrue();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contact_backfills where workspace_id = ?",
                Long.class,
                ws.id()))
        .isZero();
  }

  private long linked(Workspace ws) {
    return jdbc.queryForObject(
        "select count(*) from events e join contacts c"
            + " on c.workspace_id = e.workspace_id and c.id = e.contact_id"
            + " where e.workspace_id = ? and e.anonymous_id = 'long-history' and e.event = 'Old'"
            + " and c.user_id = 'heavy'",
        Long.class,
        ws.id());
  }
}
