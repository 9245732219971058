package io.growthos.management.web;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.PropertyName;
import tools.jackson.databind.deser.BeanDeserializerBuilder;
import tools.jackson.databind.deser.NullValueProvider;
import tools.jackson.databind.deser.SettableBeanProperty;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.util.AccessPattern;

/**
 * The one place that decides what an explicit JSON {@code null} in a Management API request body
 * means. A property takes {@code null} only where its request type says what null does, with
 * {@code @JsonSetter(nulls = Nulls.SET)} next to {@code @Schema(nullable = true)} (PATCH contact
 * {@code email}, PATCH campaign {@code starts_at}/{@code ends_at}/{@code audience}, PATCH segment
 * and webhook endpoint {@code description}, create campaign {@code audience}); anywhere else it is
 * a 400 {@code validation_error} naming the property ({@code ApiExceptionHandler} maps Jackson's
 * {@code InvalidNullException}). Before, a null on an optional property was read as if it were
 * absent: a client that meant to clear or reset something was told it succeeded and lost its
 * change.
 *
 * <p>A required property ({@code @NotNull}, {@code @NotBlank}, {@code @NotEmpty}) still takes
 * {@code null} through to validation, which answers "required" naming it, as it always did. Only
 * the value of a property is checked: nulls inside a free-form value (a trait set to null in {@code
 * traits}, in campaign {@code settings}, in a filter) and the items of a list are data with their
 * own rules, read as before.
 *
 * <p>This applies to the mapper that reads request bodies only (a JSON converter that only reads):
 * the application's {@code JsonMapper}, which also reads jsonb documents, stored idempotent
 * responses and webhook payloads, keeps Jackson's default, and the Ingest API (Segment's wire
 * format, where a null reads as absent) is not touched.
 */
final class RequestBodyNulls implements ServerHttpMessageConvertersCustomizer {

  private final JacksonJsonHttpMessageConverter reader;

  RequestBodyNulls(JsonMapper application) {
    this.reader = new BodyReader(requestMapper(application));
  }

  /** {@code application} with the null rule of request bodies. */
  static JsonMapper requestMapper(JsonMapper application) {
    return application
        .rebuild()
        .addModule(
            new SimpleModule("growthos-request-body-nulls").setDeserializerModifier(new Refuse()))
        .build();
  }

  /**
   * Adds the reader ahead of the default converters (custom converters come first), so it reads
   * every JSON request body; the default JSON converter, with the application's mapper, still
   * writes every answer (the reader writes nothing).
   */
  @Override
  public void customize(HttpMessageConverters.ServerBuilder builder) {
    builder.addCustomConverter(reader);
  }

  /** Reads JSON request bodies with the request mapper; never asked to write. */
  private static final class BodyReader extends JacksonJsonHttpMessageConverter {

    BodyReader(JsonMapper mapper) {
      super(mapper);
    }

    @Override
    public boolean canWrite(Class<?> clazz, MediaType mediaType) {
      return false;
    }

    @Override
    public boolean canWrite(ResolvableType type, Class<?> clazz, MediaType mediaType) {
      return false;
    }
  }

  /**
   * Gives each property of a request type that does not take null the {@link RefusedNull} provider.
   * Not Jackson's {@code Nulls.FAIL} (as default null handling): in Jackson 3.1 its provider also
   * answers for an absent constructor parameter ({@code NullValueProvider.getAbsentValue} is {@code
   * getNullValue} unless overridden), so every optional property of a record body became required
   * ({@code POST /v1/webhook-endpoints} without {@code description} was "must not be null"). {@code
   * addOrReplaceProperty} replaces a record's constructor parameter too (databind#2120).
   */
  private static final class Refuse extends ValueDeserializerModifier {

    @Override
    public BeanDeserializerBuilder updateBuilder(
        DeserializationConfig config,
        BeanDescription.Supplier description,
        BeanDeserializerBuilder builder) {
      List<SettableBeanProperty> refusing = new ArrayList<>();
      builder
          .getProperties()
          .forEachRemaining(
              p -> {
                if (!takesNull(p)) {
                  refusing.add(p);
                }
              });
      for (SettableBeanProperty p : refusing) {
        builder.addOrReplaceProperty(p.withNullProvider(new RefusedNull(p)), true);
      }
      return builder;
    }

    /**
     * Whether {@code property} takes null: it says so ({@code @JsonSetter(nulls = ...)}), or it is
     * required and validation answers "required" for it.
     */
    private static boolean takesNull(SettableBeanProperty property) {
      Nulls declared = property.getMetadata().getValueNulls();
      return (declared != null && declared != Nulls.DEFAULT)
          || property.getAnnotation(JsonSetter.class) != null
          || property.getAnnotation(NotNull.class) != null
          || property.getAnnotation(NotBlank.class) != null
          || property.getAnnotation(NotEmpty.class) != null;
    }
  }

  /** A JSON null is refused; an absent property is left null, as before. */
  private static final class RefusedNull implements NullValueProvider, Serializable {

    private final PropertyName name;
    private final JavaType type;

    RefusedNull(SettableBeanProperty property) {
      this.name = property.getFullName();
      this.type = property.getType();
    }

    @Override
    public Object getNullValue(DeserializationContext ctxt) {
      throw InvalidNullException.from(ctxt, name, type);
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }

    @Override
    public AccessPattern getNullAccessPattern() {
      return AccessPattern.DYNAMIC;
    }
  }
}
