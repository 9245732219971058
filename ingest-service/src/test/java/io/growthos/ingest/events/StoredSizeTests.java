package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.ingest.config.IngestProperties;
import io.growthos.model.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;

/** The per-request stored-size cap and the bound the parser reports before building events. */
class StoredSizeTests {

  private static final IngestProperties.Limits LIMITS =
      new IngestProperties.Limits(
          DataSize.ofKilobytes(500),
          DataSize.ofKilobytes(32),
          2500,
          100,
          DataSize.ofKilobytes(100));
  private static final IngestJson JSON = new IngestJson(LIMITS);
  private static final EventParser PARSER = new EventParser(JSON, LIMITS);

  /** {@code events} track events under a shared context of {@code contextBytes}. */
  private static String batch(int events, int contextBytes) {
    StringBuilder b =
        new StringBuilder("{\"context\":{\"pad\":\"")
            .append("x".repeat(contextBytes))
            .append("\"},\"batch\":[");
    for (int i = 0; i < events; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"type\":\"track\",\"event\":\"e\",\"userId\":\"u\",\"messageId\":\"m")
          .append(i)
          .append("\"}");
    }
    return b.append("]}").toString();
  }

  private static List<EventRecord> parse(String body, List<Long> reserved) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    JsonNode tree = JSON.parse(bytes);
    return PARSER.parse(tree, null, bytes.length, Instant.now(), reserved::add);
  }

  @Test
  void reportsAnUpperBoundOfTheStoredBytesOnceBeforeBuildingEvents() {
    List<Long> reserved = new ArrayList<>();
    List<EventRecord> events = parse(batch(9, 10_000), reserved);

    long stored = 0;
    for (EventRecord e : events) {
      stored += e.context().length() + e.event().length() + e.userId().length();
      stored += e.messageId().length();
    }
    assertThat(reserved).hasSize(1);
    assertThat(reserved.get(0)).isGreaterThanOrEqualTo(stored);
  }

  @Test
  void eventsWithoutTheirOwnContextShareOneCopyOfTheBatchContext() {
    List<EventRecord> events = parse(batch(3, 1_000), new ArrayList<>());

    assertThat(events.get(0).context()).isSameAs(events.get(1).context());
    assertThat(events.get(2).context()).contains("xxx");
  }

  @Test
  void refusesABatchThatWouldStoreMoreThanTheLimitWith413NamingIt() {
    assertThatThrownBy(() -> parse(batch(11, 10_000), new ArrayList<>()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(413);
              assertThat(e.code().code()).isEqualTo("payload_too_large");
              assertThat(e.getMessage()).contains("102400 bytes");
            });
  }

  @Test
  void stopsBeforeBuildingAnyEventWhenTheReservationIsRefused() {
    byte[] bytes = batch(5, 1_000).getBytes(StandardCharsets.UTF_8);
    JsonNode tree = JSON.parse(bytes);
    RuntimeException refused = new IllegalStateException("budget full");

    assertThatThrownBy(
            () ->
                PARSER.parse(
                    tree,
                    null,
                    bytes.length,
                    Instant.now(),
                    bytes1 -> {
                      throw refused;
                    }))
        .isSameAs(refused);
  }
}
