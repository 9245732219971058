package io.growthos.platform.web;

import io.growthos.model.values.Rfc3339;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * A request field of the wrong JSON type is a 400 naming it, never silently converted (SPEC §4):
 * Jackson by default reads {@code "2"} as the integer 2, {@code 2.5} as 2, {@code 123} as the
 * string "123", {@code true} as "true" and {@code 1700000000} as a timestamp in epoch seconds. A
 * timestamp is an RFC 3339 string with its offset, read strictly ({@code 24:00} is not a time).
 * Hand-read documents (event properties, traits, campaign settings) keep their own rules.
 */
public class StrictJsonTypes implements JsonMapperBuilderCustomizer {

  @Override
  public void customize(JsonMapper.Builder builder) {
    builder
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .withCoercionConfig(
            LogicalType.Textual,
            c ->
                c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .withCoercionConfig(
            LogicalType.DateTime,
            c ->
                c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
        .addModule(
            new SimpleModule("growthos-strict-time")
                .addDeserializer(Instant.class, RFC_3339)
                .addDeserializer(String.class, TEXT));
  }

  /**
   * An RFC 3339 timestamp with its offset, read strictly ({@code 24:00} is not a time): the one
   * rule for timestamps in request bodies, query parameters ({@link #queryTimestamps}) and filter
   * values, {@link Rfc3339}.
   *
   * @throws DateTimeParseException when {@code text} is not one
   */
  public static Instant timestamp(String text) {
    return Rfc3339.parse(text);
  }

  /**
   * Reads {@link Instant} query parameters with {@link #timestamp}; Spring's own ISO reader takes
   * {@code 24:00} as the next day's midnight. A value it refuses is 400 naming the parameter.
   */
  public static org.springframework.format.Formatter<Instant> queryTimestamps() {
    return new org.springframework.format.Formatter<>() {
      @Override
      public Instant parse(String text, java.util.Locale locale) {
        return timestamp(text);
      }

      @Override
      public String print(Instant value, java.util.Locale locale) {
        return value.toString();
      }
    };
  }

  /**
   * A string field takes a JSON string only. Jackson's own reader of a list of strings took an
   * array inside it ({@code {"events": [["x"]]}}) as the array's first string and then lost its
   * place in the body: the request was refused as "The body must be an object", naming {@code body}
   * rather than {@code events[0]}, and with {@code FAIL_ON_TRAILING_TOKENS} off would have dropped
   * the fields after it. Any other token is the wrong type, named where it is.
   */
  private static final ValueDeserializer<String> TEXT =
      new ValueDeserializer<>() {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
          if (p.hasToken(JsonToken.VALUE_STRING)) {
            return p.getString();
          }
          return (String) ctxt.handleUnexpectedToken(String.class, p);
        }
      };

  /**
   * Java's own reader of Instant takes numbers as epoch seconds whatever the coercion rules say.
   */
  private static final ValueDeserializer<Instant> RFC_3339 =
      new ValueDeserializer<>() {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) {
          if (!p.hasToken(JsonToken.VALUE_STRING)) {
            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
          }
          String text = p.getString();
          try {
            return timestamp(text);
          } catch (DateTimeParseException e) {
            throw ctxt.weirdStringException(
                text, Instant.class, "not an RFC 3339 timestamp with an offset");
          }
        }
      };
}
