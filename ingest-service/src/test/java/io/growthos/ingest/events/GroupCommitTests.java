package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Durable ACK through the running service: 200 means committed, and requests share commits. */
class GroupCommitTests extends IngestTestBase {

  @Autowired EventWriter writer;

  @Test
  void acksOnlyAfterCommit() {
    Workspace ws = newWorkspace();
    for (int i = 0; i < 20; i++) {
      String m = uuid();
      assertThat(
              post(
                      "/v1/track",
                      "{\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"" + m + "\"}",
                      "Authorization",
                      ws.basic())
                  .statusCode())
          .isEqualTo(200);
      // Read on another connection right after the ACK: already committed and visible.
      assertThat(events(ws, m)).isEqualTo(1);
    }
  }

  @Test
  void concurrentRequestsShareTransactions() throws Exception {
    Workspace ws = newWorkspace();
    int clients = 32;
    int perClient = 8;
    long groupsBefore = writer.groupsCommitted();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> oks = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      oks.add(
          pool.submit(
              () -> {
                start.await();
                int ok = 0;
                for (int i = 0; i < perClient; i++) {
                  ok +=
                      post(
                                      "/v1/track",
                                      "{\"userId\":\"u\",\"event\":\"e\"}",
                                      "Authorization",
                                      ws.basic())
                                  .statusCode()
                              == 200
                          ? 1
                          : 0;
                }
                return ok;
              }));
    }
    start.countDown();
    int acked = 0;
    for (Future<Integer> f : oks) {
      acked += f.get();
    }
    pool.shutdown();
    long groups = writer.groupsCommitted() - groupsBefore;
    assertThat(acked).isEqualTo(clients * perClient);
    assertThat(events(ws)).isEqualTo(clients * perClient);
    assertThat(groups).as("commits for %d requests", acked).isLessThan(acked);
  }
}
