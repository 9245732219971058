package io.growthos.bench.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates realistic Segment track calls, shaped like what {@code @segment/analytics-node} sends
 * for e-commerce events: about 450 bytes of JSON per event with nested properties and a library
 * context. Not thread-safe: one instance per connection.
 *
 * <p>Every string generated here is plain ASCII without quotes or backslashes, so it is embedded in
 * JSON (and in COPY text) without escaping.
 */
public final class SegmentPayloads {

  private static final String[] EVENTS = {
    "Order Completed", "Product Viewed", "Product Added", "Checkout Started", "Signed Up"
  };
  private static final String[] CATEGORIES = {"Games", "Books", "Garden", "Kitchen", "Outdoor"};
  private static final String USER_AGENT =
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15";

  private final SplittableRandom random;

  public SegmentPayloads(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A new track event with the given messageId. */
  public TrackEvent next(String messageId) {
    int user = random.nextInt(1_000_000);
    String event = EVENTS[random.nextInt(EVENTS.length)];
    int quantity = 1 + random.nextInt(5);
    int cents = 499 + random.nextInt(20_000);
    String properties =
        "{\"order_id\":\"ord_"
            + Long.toString(random.nextLong() & Long.MAX_VALUE, 36)
            + "\",\"revenue\":"
            + (cents / 100)
            + "."
            + two(cents % 100)
            + ",\"currency\":\"USD\",\"products\":[{\"sku\":\"SKU-"
            + random.nextInt(100_000)
            + "\",\"category\":\""
            + CATEGORIES[random.nextInt(CATEGORIES.length)]
            + "\",\"quantity\":"
            + quantity
            + "}]}";
    String context =
        "{\"library\":{\"name\":\"analytics-node\",\"version\":\"2.1.2\"},\"ip\":\"203.0.113."
            + random.nextInt(256)
            + "\",\"locale\":\"en-US\",\"userAgent\":\""
            + USER_AGENT
            + "\"}";
    return new TrackEvent(
        messageId,
        "user_" + user,
        "anon-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36),
        event,
        properties,
        context,
        Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /** The body of {@code POST /v1/track}. */
  public static byte[] trackBody(TrackEvent e) {
    StringBuilder sb = new StringBuilder(512);
    appendMessage(sb, e, false);
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The body of {@code POST /v1/batch}, with {@code sentAt} as the SDKs set it. */
  public static byte[] batchBody(List<TrackEvent> events) {
    StringBuilder sb = new StringBuilder(events.size() * 480 + 64);
    sb.append("{\"batch\":[");
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      appendMessage(sb, events.get(i), true);
    }
    sb.append("],\"sentAt\":\"").append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append("\"}");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendMessage(StringBuilder sb, TrackEvent e, boolean inBatch) {
    sb.append('{');
    if (inBatch) {
      sb.append("\"type\":\"track\",");
    }
    sb.append("\"event\":\"")
        .append(e.event())
        .append("\",\"userId\":\"")
        .append(e.userId())
        .append("\",\"anonymousId\":\"")
        .append(e.anonymousId())
        .append("\",\"messageId\":\"")
        .append(e.messageId())
        .append("\",\"timestamp\":\"")
        .append(e.timestamp())
        .append("\",\"properties\":")
        .append(e.propertiesJson())
        .append(",\"context\":")
        .append(e.contextJson())
        .append(",\"integrations\":{}}");
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }
}
