package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import io.growthos.testsupport.AtOnce;
import java.util.List;
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
    List<Integer> oks =
        AtOnce.times(
            clients,
            c ->
                () -> {
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
                });
    int acked = oks.stream().mapToInt(Integer::intValue).sum();
    long groups = writer.groupsCommitted() - groupsBefore;
    assertThat(acked).isEqualTo(clients * perClient);
    assertThat(events(ws)).isEqualTo(clients * perClient);
    assertThat(groups).as("commits for %d requests", acked).isLessThan(acked);
  }
}
