package io.growthos.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import io.growthos.testsupport.NodeProject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real Node SDKs of Segment (analytics-node 3.1.0, npm {@code @segment/analytics-node}) and
 * RudderStack (rudder-sdk-node 3.0.13, npm {@code @rudderstack/rudder-sdk-node}), pinned in {@code
 * src/test/node-sdks} (package.json and package-lock.json), run with the machine's Node against
 * this service with their default settings: only the host changes. RudderStack's SDK gzips each
 * batch and labels it {@code application/x-www-form-urlencoded}; Segment's sends plain {@code
 * application/json}.
 *
 * <p>Needs {@code node} and {@code npm} on the PATH and the npm registry (or a warm npm cache): a
 * build without them fails here rather than skipping the proof.
 */
class NodeSdkTests extends IngestTestBase {

  private static final List<String> FILES =
      List.of("package.json", "package-lock.json", "send.mjs");

  @Test
  void segmentAndRudderStackNodeSdksDeliverIdentifyTrackAndBatchExactlyOnce() throws Exception {
    NodeProject sdks =
        NodeProject.install(
            Path.of("src", "test", "node-sdks"), Path.of("target", "node-sdks"), FILES);
    Workspace ws = newWorkspace();
    String runId = uuid();

    NodeProject.Run sent =
        sdks.run(
            Duration.ofMinutes(3),
            "node",
            "send.mjs",
            "http://localhost:" + port,
            ws.writeKey(),
            runId);

    assertThat(sent.exitCode()).as(sent.output()).isZero();
    List<String> expected = new ArrayList<>();
    for (String sdk : List.of("segment", "rudder")) {
      String name = sdk.equals("segment") ? "Segment" : "Rudder";
      String userId = sdk + "-" + runId;
      expected.add(userId + "/identify/");
      expected.add(userId + "/track/" + name + " Signed Up");
      for (int i = 0; i < 5; i++) {
        expected.add(userId + "/track/" + name + " Batch " + i);
      }
    }
    List<String> reported = new ArrayList<>();
    for (String line : sent.output().lines().filter(l -> l.startsWith("{")).toList()) {
      JsonNode call = JSON.readTree(line);
      assertThat(call.get("error").isNull()).as(line).isTrue();
      reported.add(
          call.get("userId").asString()
              + "/"
              + call.get("type").asString()
              + "/"
              + (call.get("event").isNull() ? "" : call.get("event").asString()));
    }
    assertThat(reported).as(sent.output()).containsExactlyInAnyOrderElementsOf(expected);
    // Exactly once: every call is one row (an SDK retry would repeat its messageId, deduplicated).
    List<String> stored =
        jdbc
            .queryForList(
                "select user_id, type, coalesce(event, '') as event from events"
                    + " where workspace_id = ?",
                ws.id())
            .stream()
            .map(NodeSdkTests::key)
            .toList();
    assertThat(stored).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from contacts where workspace_id = ? and email like ?",
                Long.class,
                ws.id(),
                "%-" + runId + "@example.com"))
        .isEqualTo(2);
  }

  private static String key(Map<String, Object> row) {
    return row.get("user_id") + "/" + row.get("type") + "/" + row.get("event");
  }
}
