package io.growthos.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentPayloadsTest {

  @Test
  void trackBodyIsARealisticallySizedSegmentTrackCall() {
    TrackEvent e = new SegmentPayloads(1).next("msg-1");

    String body = new String(SegmentPayloads.trackBody(e), StandardCharsets.UTF_8);

    assertThat(body.length()).isBetween(300, 600);
    Map<String, Object> json = JsonPath.parse(body).json();
    assertThat(json)
        .containsKeys("event", "userId", "anonymousId", "timestamp", "properties", "context")
        .containsEntry("messageId", "msg-1");
    assertThat(JsonPath.<String>read(body, "$.context.library.name")).isEqualTo("analytics-node");
  }

  @Test
  void batchBodyCarriesEveryEventTypedAsTrackWithItsOwnMessageId() {
    SegmentPayloads gen = new SegmentPayloads(2);
    List<TrackEvent> events = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      events.add(gen.next("m-" + i));
    }

    String body = new String(SegmentPayloads.batchBody(events), StandardCharsets.UTF_8);

    assertThat(JsonPath.<List<String>>read(body, "$.batch[*].type"))
        .hasSize(100)
        .containsOnly("track");
    assertThat(JsonPath.<List<String>>read(body, "$.batch[*].messageId"))
        .doesNotHaveDuplicates()
        .contains("m-0", "m-99");
    assertThat(JsonPath.<String>read(body, "$.sentAt")).endsWith("Z");
    assertThat(body.length() / 100).isBetween(350, 550);
  }

  @Test
  void propertiesAndContextAreTheJsonTheBaselineStores() {
    TrackEvent e = new SegmentPayloads(3).next("m");
    String body = new String(SegmentPayloads.trackBody(e), StandardCharsets.UTF_8);

    assertThat(body).contains("\"properties\":" + e.propertiesJson());
    assertThat(body).contains("\"context\":" + e.contextJson());
    assertThat(JsonPath.<Object>read(e.propertiesJson(), "$.revenue")).isInstanceOf(Number.class);
  }
}
