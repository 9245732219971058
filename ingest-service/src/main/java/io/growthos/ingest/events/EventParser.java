package io.growthos.ingest.events;

import io.growthos.ingest.config.IngestProperties;
import io.growthos.model.contacts.ContactEmail;
import io.growthos.model.contacts.ContactIds;
import io.growthos.model.errors.ApiError;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.events.EventNames;
import io.growthos.model.events.EventType;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.values.NumberRange;
import io.growthos.model.values.TextLength;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a parsed request body into validated events, all or nothing (SPEC §3): every problem of
 * every event is collected, and if there is any the whole request is a 400 whose {@code details}
 * name each bad field by path ({@code batch[3].event}).
 *
 * <p>Decisions where Segment is silent or lenient, made so that what is stored is exactly what was
 * meant and never a 500:
 *
 * <ul>
 *   <li>{@code userId}, {@code anonymousId}, {@code groupId}, {@code previousId} and {@code
 *       messageId} may be strings or numbers (Segment accepts numbers); numbers are stored as their
 *       decimal text. Empty or blank strings count as absent. Each is at most {@value
 *       #MAX_ID_CHARS} characters (code points, {@link TextLength}: an emoji is one), as is a
 *       track's {@code event}: they are indexed.
 *   <li>snake_case {@code user_id}, {@code anonymous_id}, {@code message_id} are read when the
 *       camelCase field is absent.
 *   <li>Fields outside Segment's spec are ignored, as Segment does.
 *   <li>A batch's top-level {@code context} and {@code integrations} are merged under each event's
 *       own, and its {@code sentAt} applies to events without one. What a request stores counts
 *       them once per event, and may not exceed {@code limits.max-stored-size} (413): a 30 KB
 *       context over 2,500 tiny events would otherwise store 75 MB from a 470 KB body. The check
 *       runs as the events are built, so no more than the limit is ever materialised, and the
 *       caller is told an upper bound of what the events will hold before any is built.
 * </ul>
 */
public class EventParser {

  /**
   * Longest id or event name, in characters (code points): the contact ids' rule ({@link
   * ContactIds#MAX_CHARS}), which the Management API applies to {@code user_id} and {@code
   * anonymous_ids} too.
   */
  public static final int MAX_ID_CHARS = ContactIds.MAX_CHARS;

  private static final int MAX_DETAILS = ApiError.MAX_DETAILS;

  private final IngestJson json;
  private final long maxEventBytes;
  private final int maxBatchEvents;
  private final long maxStoredBytes;

  public EventParser(IngestJson json, IngestProperties.Limits limits) {
    this.json = json;
    this.maxEventBytes = limits.maxEventSize().toBytes();
    this.maxBatchEvents = limits.maxBatchEvents();
    this.maxStoredBytes = limits.maxStoredSize().toBytes();
  }

  /** Bytes an event stores besides its JSON members: a generated messageId at most. */
  private static final int EVENT_OVERHEAD_BYTES = 48;

  /** The events of one request, reporting nothing about their size. */
  public List<EventRecord> parse(
      JsonNode body, EventType routeType, int bodyBytes, Instant receivedAt) {
    return parse(body, routeType, bodyBytes, receivedAt, bytes -> {});
  }

  /**
   * The events of one request.
   *
   * @param routeType the type the route implies, or {@code null} for {@code /v1/batch}
   * @param bodyBytes size of the (decompressed) body: for a single event, its size
   * @param reserve told, once and before any event is built, an upper bound of the UTF-8 bytes of
   *     text the events will hold (at most {@code limits.max-stored-size} plus one event); it may
   *     throw to refuse the request
   */
  public List<EventRecord> parse(
      JsonNode body, EventType routeType, int bodyBytes, Instant receivedAt, LongConsumer reserve) {
    if (!(body instanceof ObjectNode root)) {
      throw ApiException.invalid("body", "invalid_type", "The request body must be a JSON object.");
    }
    Problems problems = new Problems();
    List<EventRecord> out = new ArrayList<>();
    if (routeType != null) {
      if (bodyBytes > maxEventBytes) {
        throw IngestJson.tooLarge("body", maxEventBytes);
      }
      reserve.accept((long) bodyBytes + EVENT_OVERHEAD_BYTES);
      EventRecord e = event(root, routeType, "", null, problems, receivedAt);
      if (e != null) {
        out.add(e);
      }
    } else {
      JsonNode batch = root.get("batch");
      if (batch == null || batch.isNull()) {
        throw ApiException.invalid(
            "batch", "required", "Field 'batch' is required: an array of events.");
      }
      if (!batch.isArray()) {
        throw ApiException.invalid("batch", "invalid_type", "Field 'batch' must be an array.");
      }
      if (batch.isEmpty()) {
        throw ApiException.invalid("batch", "empty", "Field 'batch' must hold at least one event.");
      }
      if (batch.size() > maxBatchEvents) {
        throw ApiException.invalid(
            "batch",
            "too_many_events",
            "A batch may hold at most " + maxBatchEvents + " events; got " + batch.size() + ".");
      }
      Shared shared = shared(root, problems);
      // Every event holds its own members (all within the body) plus the shared ones.
      long perEvent = utf8(shared.contextJson()) + utf8(shared.integrationsJson());
      long upperBound = bodyBytes + (long) batch.size() * (perEvent + EVENT_OVERHEAD_BYTES);
      reserve.accept(Math.min(upperBound, maxStoredBytes + maxEventBytes));
      long stored = 0;
      for (int i = 0; i < batch.size(); i++) {
        String prefix = "batch[" + i + "]";
        JsonNode item = batch.get(i);
        if (!(item instanceof ObjectNode obj)) {
          problems.add(prefix, "invalid_type", "Each batch item must be a JSON object.");
          continue;
        }
        JsonNode typeNode = obj.get("type");
        EventType type =
            typeNode != null && typeNode.isString()
                ? EventType.ofWireName(typeNode.asString()).orElse(null)
                : null;
        if (type == null) {
          problems.add(
              prefix + ".type",
              typeNode == null || typeNode.isNull() ? "required" : "invalid_value",
              "Field '"
                  + prefix
                  + ".type' must be one of track, identify, page, screen, group, alias.");
          continue;
        }
        EventRecord e = event(obj, type, prefix + ".", shared, problems, receivedAt);
        if (e != null) {
          stored += storedBytes(e);
          if (stored > maxStoredBytes) {
            throw storedTooLarge();
          }
          out.add(e);
        }
      }
    }
    problems.throwIfAny();
    return out;
  }

  /**
   * Members of a batch body that apply to every event in it, with their JSON text, written once and
   * shared by every event that has no such member of its own.
   */
  private record Shared(
      ObjectNode context,
      String contextJson,
      ObjectNode integrations,
      String integrationsJson,
      Instant sentAt) {}

  private Shared shared(ObjectNode root, Problems problems) {
    JsonChecks.check(root.get("context"), "context", problems);
    JsonChecks.check(root.get("integrations"), "integrations", problems);
    ObjectNode context = nonEmpty(object(root, "context", "", problems));
    ObjectNode integrations = nonEmpty(object(root, "integrations", "", problems));
    return new Shared(
        context,
        context == null ? null : json.write(context),
        integrations,
        integrations == null ? null : json.write(integrations),
        time(root, "sentAt", "", problems));
  }

  private static ObjectNode nonEmpty(ObjectNode node) {
    return node == null || node.isEmpty() ? null : node;
  }

  private ApiException storedTooLarge() {
    return new ApiException(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "The batch would store more than "
            + maxStoredBytes
            + " bytes once its top-level context and integrations are copied into each event;"
            + " send fewer events per batch or a smaller shared context.",
        List.of(
            ErrorDetail.of(
                "batch",
                "too_large",
                "One request may store at most " + maxStoredBytes + " bytes of events.")));
  }

  /**
   * Whether {@code e} is within the per-event limit ({@code limits.max-event-size}) as this parser
   * counts it for a batch's events: what a server-side writer of events (the survey widget's {@code
   * Survey Responded}) checks, so it never stores an event the API would refuse.
   */
  public boolean fitsOneEvent(EventRecord e) {
    return storedBytes(e) <= maxEventBytes;
  }

  /** UTF-8 bytes of an event's text, as its size limit counts them. */
  private static long storedBytes(EventRecord e) {
    return utf8(e.properties())
        + utf8(e.traits())
        + utf8(e.context())
        + utf8(e.integrations())
        + utf8(e.userId())
        + utf8(e.anonymousId())
        + utf8(e.messageId())
        + utf8(e.event())
        + utf8(e.name())
        + utf8(e.groupId())
        + utf8(e.previousId());
  }

  private EventRecord event(
      ObjectNode e,
      EventType type,
      String prefix,
      Shared shared,
      Problems problems,
      Instant receivedAt) {
    int before = problems.size();
    // Strings PostgreSQL cannot store (\u0000, lone surrogates) and numbers jsonb cannot hold are
    // 400s here, anywhere in the event, rather than 500s at insert.
    JsonChecks.check(
        e, prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1), problems);
    String userId =
        id(
            e,
            "userId",
            "user_id",
            prefix,
            problems,
            type == EventType.ALIAS ? "An alias call needs a 'userId'." : null);
    String anonymousId = id(e, "anonymousId", "anonymous_id", prefix, problems, null);
    String messageId = id(e, "messageId", "message_id", prefix, problems, null);
    // Reported with the event's other problems; not when an id was sent but is wrong (its own
    // problem names it), nor for an alias, whose missing userId is required above: each field once.
    if (userId == null
        && anonymousId == null
        && type != EventType.ALIAS
        && !sent(e, "userId", "user_id")
        && !sent(e, "anonymousId", "anonymous_id")) {
      problems.add(prefix + "userId", "required", "Every event needs a userId or an anonymousId.");
    }
    String event = null;
    String name = null;
    String category = null;
    String groupId = null;
    String previousId = null;
    switch (type) {
      case TRACK -> {
        event = string(e, "event", prefix, problems);
        if (event == null || event.isBlank()) {
          if (!e.hasNonNull("event") || e.get("event").isString()) {
            problems.add(
                prefix + "event", "required", "A track call needs a non-empty 'event' name.");
          }
          event = null;
        } else if (!EventNames.fits(event)) {
          problems.add(
              prefix + "event",
              "too_long",
              "Field '"
                  + prefix
                  + "event' may be at most "
                  + EventNames.MAX_CHARS
                  + " characters.");
        }
      }
      case PAGE, SCREEN -> {
        name = string(e, "name", prefix, problems);
        category = string(e, "category", prefix, problems);
      }
      case GROUP ->
          groupId = id(e, "groupId", null, prefix, problems, "A group call needs a 'groupId'.");
      case ALIAS ->
          previousId =
              id(e, "previousId", null, prefix, problems, "An alias call needs a 'previousId'.");
      case IDENTIFY -> {}
    }
    ObjectNode properties = object(e, "properties", prefix, problems);
    ObjectNode traits = object(e, "traits", prefix, problems);
    ObjectNode ownContext = object(e, "context", prefix, problems);
    ObjectNode ownIntegrations = object(e, "integrations", prefix, problems);
    Instant timestamp = time(e, "timestamp", prefix, problems);
    Instant originalTimestamp = time(e, "originalTimestamp", prefix, problems);
    Instant sentAt = time(e, "sentAt", prefix, problems);
    if (sentAt == null && shared != null) {
      sentAt = shared.sentAt();
    }
    if (problems.size() > before) {
      return null;
    }
    if (category != null
        && !category.isEmpty()
        && (properties == null || !properties.has("category"))) {
      // Segment's page(category, name): analytics.js copies the category into the properties
      // itself; the server SDKs and every screen call send it only at the top level, where no
      // column holds it. Kept where analytics.js puts it, unless the properties have their own.
      properties = properties == null ? e.objectNode() : properties;
      properties.put("category", category);
    }
    String propertiesJson = properties == null ? null : json.write(properties);
    String traitsJson = traits == null ? null : json.write(traits);
    String contextJson =
        merged(
            shared == null ? null : shared.context(),
            shared == null ? null : shared.contextJson(),
            ownContext);
    String integrationsJson =
        merged(
            shared == null ? null : shared.integrations(),
            shared == null ? null : shared.integrationsJson(),
            ownIntegrations);
    if (shared != null) {
      long size =
          utf8(propertiesJson)
              + utf8(traitsJson)
              + utf8(contextJson)
              + utf8(integrationsJson)
              + utf8(userId)
              + utf8(anonymousId)
              + utf8(messageId)
              + utf8(event)
              + utf8(name)
              + utf8(groupId)
              + utf8(previousId);
      if (size > maxEventBytes) {
        String field = prefix.substring(0, prefix.length() - 1);
        problems.add(
            field,
            "too_large",
            "Event '" + field + "' is larger than " + maxEventBytes + " bytes.");
        return null;
      }
    }
    if (type == EventType.IDENTIFY && traits == null) {
      // RudderStack's JavaScript SDK sends an identify's traits only in context.traits, where
      // RudderStack reads them when the call has no traits of its own. After the size check: the
      // same traits are not counted twice.
      traits = contextTraits(ownContext, shared == null ? null : shared.context());
      traitsJson = traits == null ? null : json.write(traits);
    }
    Instant client = originalTimestamp != null ? originalTimestamp : timestamp;
    Instant stored;
    if (sentAt != null && client != null) {
      // Segment's skew correction: the device clock may be off, but the time between the call
      // and the send is right, so place the event that long before our own receipt.
      stored = receivedAt.minus(Duration.between(client, sentAt));
      if (!Timestamps.inRange(stored)) {
        problems.add(
            prefix + "sentAt",
            "out_of_range",
            "Field '"
                + prefix
                + "sentAt' is so far from the event's time that the corrected timestamp falls"
                + " outside years 1-9999.");
        return null;
      }
    } else {
      stored = timestamp != null ? timestamp : receivedAt;
    }
    return new EventRecord(
        Ids.next(IdPrefix.EVENT),
        messageId != null ? messageId : "gen-" + UUID.randomUUID(),
        type,
        event,
        name,
        userId,
        anonymousId,
        groupId,
        previousId,
        propertiesJson,
        traitsJson,
        contextJson,
        integrationsJson,
        stored,
        sentAt,
        client,
        receivedAt,
        type == EventType.IDENTIFY ? email(traits) : null);
  }

  /**
   * A string-or-number id; blank counts as absent. Each id has one problem at most: {@code
   * required} (when {@code requiredMessage} is given) only when it is absent, never on top of a
   * problem with the value that was sent.
   */
  private static String id(
      ObjectNode e,
      String field,
      String snakeAlias,
      String prefix,
      Problems problems,
      String requiredMessage) {
    String used = field;
    JsonNode node = e.get(field);
    if ((node == null || node.isNull()) && snakeAlias != null) {
      node = e.get(snakeAlias);
      used = snakeAlias;
    }
    if (node == null || node.isNull()) {
      return absent(prefix + field, problems, requiredMessage);
    }
    String value;
    if (node.isString()) {
      value = node.asString();
    } else if (node.isNumber()) {
      if (!NumberRange.fits(node)) {
        // JsonChecks named it already; spelled out, 1e999999999 would be a gigabyte of digits.
        return null;
      }
      BigDecimal d = node.decimalValue();
      if (d.precision() - d.scale() > MAX_ID_CHARS || d.scale() > MAX_ID_CHARS) {
        // Checked before the digits are written out: 1e400 is 401 of them, 1e999999999 a
        // billion. Such a number is no id, whatever its length as text.
        problems.add(
            prefix + used,
            "out_of_range",
            "Field '"
                + prefix
                + used
                + "' is a number too large to be an id; send ids as strings.");
        return null;
      }
      value = d.stripTrailingZeros().scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    } else {
      problems.add(
          prefix + used,
          "invalid_type",
          "Field '" + prefix + used + "' must be a string (or a number, read as its digits).");
      return null;
    }
    if (value.isBlank()) {
      return absent(prefix + field, problems, requiredMessage);
    }
    if (!TextLength.atMost(value, MAX_ID_CHARS)) {
      problems.add(
          prefix + used,
          "too_long",
          "Field '" + prefix + used + "' may be at most " + MAX_ID_CHARS + " characters.");
      return null;
    }
    return value;
  }

  /**
   * Whether the event holds a value for the id {@code field} (or its snake_case alias) that {@link
   * #id} does not take as absent: anything but null or a blank string, valid or not.
   */
  private static boolean sent(ObjectNode e, String field, String snakeAlias) {
    JsonNode node = e.get(field);
    if (node == null || node.isNull()) {
      node = e.get(snakeAlias);
    }
    return node != null && !node.isNull() && !(node.isString() && node.asString().isBlank());
  }

  private static String absent(String path, Problems problems, String requiredMessage) {
    if (requiredMessage != null) {
      problems.add(path, "required", requiredMessage);
    }
    return null;
  }

  private static String string(ObjectNode e, String field, String prefix, Problems problems) {
    JsonNode node = e.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      problems.add(
          prefix + field, "invalid_type", "Field '" + prefix + field + "' must be a string.");
      return null;
    }
    return node.asString();
  }

  private static ObjectNode object(ObjectNode e, String field, String prefix, Problems problems) {
    JsonNode node = e.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (node instanceof ObjectNode obj) {
      return obj;
    }
    problems.add(
        prefix + field, "invalid_type", "Field '" + prefix + field + "' must be a JSON object.");
    return null;
  }

  private static Instant time(ObjectNode e, String field, String prefix, Problems problems) {
    JsonNode node = e.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    Instant parsed = node.isString() ? Timestamps.parse(node.asString()) : null;
    if (parsed == null) {
      problems.add(
          prefix + field,
          "invalid_timestamp",
          "Field '"
              + prefix
              + field
              + "' must be an ISO-8601 timestamp such as 2024-05-01T12:00:00.000Z (years"
              + " 1-9999).");
    }
    return parsed;
  }

  /**
   * The JSON of batch-level members under the event's own (the event wins key by key); the shared
   * text itself when the event has none of its own, so that it is held once, not once per event.
   */
  private String merged(ObjectNode shared, String sharedJson, ObjectNode own) {
    if (shared == null) {
      return own == null ? null : json.write(own);
    }
    if (own == null) {
      return sharedJson;
    }
    ObjectNode out = shared.deepCopy();
    for (Map.Entry<String, JsonNode> entry : own.properties()) {
      out.set(entry.getKey(), entry.getValue());
    }
    return json.write(out);
  }

  /**
   * The {@code traits} object of the event's context: its own context's when that has the key
   * (whatever its value), else the batch's shared context's; null when it is not an object.
   */
  private static ObjectNode contextTraits(ObjectNode own, ObjectNode shared) {
    ObjectNode context = own != null && own.has("traits") ? own : shared;
    return context != null && context.get("traits") instanceof ObjectNode traits ? traits : null;
  }

  private static String email(ObjectNode traits) {
    if (traits == null) {
      return null;
    }
    JsonNode email = traits.get("email");
    if (email == null || !email.isString()) {
      return null;
    }
    String value = email.asString().trim();
    return value.isEmpty() || !TextLength.atMost(value, ContactEmail.MAX_CHARS) ? null : value;
  }

  private static long utf8(String s) {
    if (s == null) {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** The problems found so far, bounded so a hostile batch cannot make a huge error body. */
  static final class Problems {
    private final List<ErrorDetail> details = new ArrayList<>();
    private int count;

    void add(String field, String reason, String message) {
      count++;
      if (details.size() < MAX_DETAILS) {
        details.add(ErrorDetail.of(field, reason, message));
      }
    }

    int size() {
      return count;
    }

    void throwIfAny() {
      if (count > 0) {
        throw ApiException.invalid(details, count);
      }
    }
  }
}
