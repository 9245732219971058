package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.config.IngestProperties;
import io.growthos.model.events.EventType;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;

/** Segment's clock-skew correction: timestamp = receivedAt - (sentAt - originalTimestamp). */
class ClockSkewTests {

  private static final IngestProperties.Limits LIMITS =
      new IngestProperties.Limits(
          DataSize.ofKilobytes(500), DataSize.ofKilobytes(32), 2500, 100, DataSize.ofMegabytes(5));
  private static final IngestJson JSON = new IngestJson(LIMITS);
  private static final EventParser PARSER = new EventParser(JSON, LIMITS);
  private static final Instant RECEIVED = Instant.parse("2024-06-01T10:00:00Z");

  private static EventRecord parse(String body) {
    JsonNode tree = JSON.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return PARSER.parse(tree, EventType.TRACK, body.length(), RECEIVED).get(0);
  }

  @Test
  void correctsADeviceClockThatIsAnHourFast() {
    EventRecord e =
        parse(
            "{\"userId\":\"u\",\"event\":\"e\",\"timestamp\":\"2024-06-01T11:00:00Z\","
                + "\"sentAt\":\"2024-06-01T11:00:30Z\"}");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-06-01T09:59:30Z"));
    assertThat(e.receivedAt()).isEqualTo(RECEIVED);
    assertThat(e.sentAt()).isEqualTo(Instant.parse("2024-06-01T11:00:30Z"));
  }

  @Test
  void prefersOriginalTimestampOverTimestamp() {
    EventRecord e =
        parse(
            "{\"userId\":\"u\",\"event\":\"e\",\"timestamp\":\"2000-01-01T00:00:00Z\","
                + "\"originalTimestamp\":\"2024-06-01T08:00:00Z\","
                + "\"sentAt\":\"2024-06-01T08:00:02Z\"}");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-06-01T09:59:58Z"));
    assertThat(e.originalTimestamp()).isEqualTo(Instant.parse("2024-06-01T08:00:00Z"));
  }

  @Test
  void keepsAHistoricalTimestampWithoutSentAt() {
    EventRecord e =
        parse("{\"userId\":\"u\",\"event\":\"e\",\"timestamp\":\"2019-03-04T05:06:07.891+02:00\"}");
    assertThat(e.timestamp()).isEqualTo(Instant.parse("2019-03-04T03:06:07.891Z"));
  }

  @Test
  void usesReceiptTimeWhenNoTimeIsGiven() {
    assertThat(parse("{\"userId\":\"u\",\"event\":\"e\"}").timestamp()).isEqualTo(RECEIVED);
    assertThat(
            parse("{\"userId\":\"u\",\"event\":\"e\",\"sentAt\":\"2024-06-01T11:00:00Z\"}")
                .timestamp())
        .isEqualTo(RECEIVED);
  }

  @Test
  void readsTimestampsWithoutOffsetAsUtc() {
    assertThat(
            parse("{\"userId\":\"u\",\"event\":\"e\",\"timestamp\":\"2024-06-01T08:00:00.123456\"}")
                .timestamp())
        .isEqualTo(Instant.parse("2024-06-01T08:00:00.123456Z"));
  }

  @Test
  void generatesAMessageIdWhenMissing() {
    EventRecord a = parse("{\"userId\":\"u\",\"event\":\"e\"}");
    EventRecord b = parse("{\"userId\":\"u\",\"event\":\"e\"}");
    assertThat(a.messageId()).isNotBlank().isNotEqualTo(b.messageId());
  }
}
