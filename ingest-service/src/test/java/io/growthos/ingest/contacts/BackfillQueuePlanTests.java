package io.growthos.ingest.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.contacts.ContactBackfills;
import io.growthos.ingest.IngestTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Claiming the next back-fill job reads the oldest job through an index, not the whole queue: a
 * long queue (every identify of a new user queues one) must drain at the rate the jobs take, not at
 * the rate the queue can be sorted.
 */
class BackfillQueuePlanTests extends IngestTestBase {

  private static final int QUEUED = 20_000;

  /** Pages each scan node touched, and whether the plan sorts. */
  private static void walk(JsonNode node, List<String> out) {
    String type = node.path("Node Type").asString();
    long pages = node.path("Shared Hit Blocks").asLong() + node.path("Shared Read Blocks").asLong();
    if (type.contains("Scan") || type.equals("Sort")) {
      out.add(type + " (" + pages + " pages)");
    }
    for (JsonNode child : node.path("Plans")) {
      walk(child, out);
    }
  }

  @Test
  void claimingTheNextJobOfALongQueueTouchesAFewPagesWithoutSortingIt() {
    Workspace ws = newWorkspace();
    try {
      jdbc.update(
          "insert into contacts (workspace_id, id, user_id) select ?, 'cntct_Q' ||"
              + " lpad(i::text, 22, '0'), 'queued-' || i from generate_series(1, ?) i",
          ws.id(),
          QUEUED);
      jdbc.update(
          "insert into contact_backfills (workspace_id, contact_id, kind, value, created_at)"
              + " select ?, 'cntct_Q' || lpad(i::text, 22, '0'), 'user_id', 'queued-' || i,"
              + " now() - interval '1 hour' + i * interval '1 millisecond'"
              + " from generate_series(1, ?) i",
          ws.id(),
          QUEUED);
      jdbc.execute("analyze contact_backfills");
      String plan =
          jdbc.queryForObject(
              "explain (analyze, buffers, format json) " + ContactBackfills.CLAIM_NEXT,
              String.class);
      List<String> nodes = new ArrayList<>();
      walk(JSON.readTree(plan).get(0).get("Plan"), nodes);
      assertThat(nodes).as(plan).noneMatch(n -> n.startsWith("Sort") || n.startsWith("Seq Scan"));
      assertThat(nodes)
          .as(plan)
          .allMatch(n -> Long.parseLong(n.replaceAll(".*\\((\\d+) pages\\)", "$1")) <= 20);
    } finally {
      jdbc.update("delete from contacts where workspace_id = ?", ws.id());
    }
  }
}
