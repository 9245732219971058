package io.growthos.platform.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;

/**
 * Makes the documented response schemas say what the wire does, from the records the API writes
 * (both services register {@link #converter()} and {@link #requireWrittenProperties(OpenAPI)}):
 *
 * <ul>
 *   <li>a record component that can be null carries JSpecify's {@link Nullable} (the one place that
 *       decision is made);
 *   <li>Jackson writes every component (nulls included) unless {@link JsonInclude} on the component
 *       or its record says otherwise; neither service sets a global inclusion;
 *   <li>so a component written always is {@code required}, and a component written as {@code null}
 *       has {@code "type": [..., "null"]} (a {@code $ref} becomes {@code oneOf [$ref, null]}); a
 *       nullable component under {@code NON_NULL} is optional and never null;
 *   <li>unless its {@code @Schema(nullable = true)} says someone else writes it as null: the full
 *       keys shown once, which an answer replayed from the idempotency store carries as null
 *       ({@code IdempotencyInterceptor.SHOWN_ONCE}); such a property is optional and nullable.
 * </ul>
 *
 * The converter ({@link #converter()}) sets the nullable types and notes on every record's schema
 * which properties are always written; {@link #requireWrittenProperties(OpenAPI)} then turns that
 * note into {@code required} only for schemas that appear in responses and never in request bodies
 * (a PATCH body is partial; schemas such as the segment filter grammar, used both ways, stay as
 * they are), and removes the note everywhere.
 */
public final class WireSchemas {

  /** The note the converter leaves for the customizer; never in the served document. */
  public static final String WRITTEN = "x-growthos-always-written";

  private static final String SCHEMAS = "#/components/schemas/";

  private WireSchemas() {}

  /** The swagger {@link ModelConverter} (registered by springdoc as a bean). */
  public static ModelConverter converter() {
    return new Converter();
  }

  /**
   * Adds the error envelope's schemas to the document's components, so every error response can
   * refer to {@code ErrorEnvelope} whichever routes declare one themselves (both services), and the
   * response headers {@link #addResponseHeaders} refers to.
   */
  @SuppressWarnings("rawtypes")
  public static void addErrorEnvelope(OpenAPI openApi) {
    Map<String, Schema> schemas =
        io.swagger.v3.core.converter.ModelConverters.getInstance(true)
            .readAll(io.growthos.model.errors.ErrorEnvelope.class);
    schemas.forEach((name, schema) -> openApi.getComponents().addSchemas(name, schema));
    for (List<HeaderDoc> docs : List.of(ON_EVERY_ANSWER, List.of(RETRY_AFTER, REPLAYED))) {
      for (HeaderDoc doc : docs) {
        openApi
            .getComponents()
            .addHeaders(
                doc.name(),
                new Header()
                    .description(doc.description())
                    .schema(new JsonSchema().typesItem(doc.type())));
      }
    }
  }

  /** A response header, declared once under {@code components.headers} and referred to. */
  private record HeaderDoc(String name, String type, String description) {}

  private static final List<HeaderDoc> ON_EVERY_ANSWER =
      List.of(
          new HeaderDoc("X-Request-Id", "string", "This request's id, also in error bodies"),
          new HeaderDoc(
              "X-RateLimit-Limit",
              "integer",
              "The bucket's capacity: the requests per second that apply to this request"),
          new HeaderDoc("X-RateLimit-Remaining", "integer", "Tokens left after this request"),
          new HeaderDoc(
              "X-RateLimit-Reset",
              "integer",
              "Unix time in seconds when the bucket is full again"));

  private static final HeaderDoc RETRY_AFTER =
      new HeaderDoc("Retry-After", "integer", "Seconds to wait before retrying");

  private static final HeaderDoc REPLAYED =
      new HeaderDoc(
          "Idempotent-Replayed",
          "string",
          "true when this is the stored answer to an earlier request with the same"
              + " Idempotency-Key");

  /** Whether {@code component} is declared {@code @Nullable} (JSpecify, a type-use annotation). */
  public static boolean nullable(RecordComponent component) {
    return component.getAnnotatedType().isAnnotationPresent(Nullable.class);
  }

  private static final class Converter implements ModelConverter {

    @Override
    @SuppressWarnings("rawtypes")
    public Schema resolve(
        AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
      if (!chain.hasNext()) {
        return null;
      }
      Schema resolved = chain.next().resolve(type, context, chain);
      if (resolved == null || type.getType() == null) {
        return resolved;
      }
      Class<?> raw = Json31.mapper().constructType(type.getType()).getRawClass();
      if (!raw.isRecord()) {
        return resolved;
      }
      Schema model = resolved;
      if (resolved.get$ref() != null) {
        String ref = resolved.get$ref();
        model = context.getDefinedModels().get(ref.substring(ref.lastIndexOf('/') + 1));
      } else if (resolved.getName() != null
          && context.getDefinedModels().get(resolved.getName()) != null) {
        model = context.getDefinedModels().get(resolved.getName());
      }
      if (model != null && model.getProperties() != null) {
        describe(raw, model);
      }
      return resolved;
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void describe(Class<?> record, Schema model) {
    Map<String, Schema> properties = model.getProperties();
    JsonInclude.Include byClass = inclusion(record, JsonInclude.Include.ALWAYS);
    List<String> written = new ArrayList<>();
    for (RecordComponent component : record.getRecordComponents()) {
      String name = jsonName(component);
      Schema property = properties.get(name);
      if (property == null) {
        continue; // not serialized (@JsonIgnore)
      }
      boolean nullable = nullable(component);
      JsonInclude.Include inclusion = byClass;
      for (AnnotatedElement element : elements(record, component)) {
        inclusion = inclusion(element, inclusion);
      }
      switch (inclusion) {
        case ALWAYS -> {
          written.add(name);
          if (nullable) {
            properties.put(name, orNull(property));
          }
        }
        case NON_NULL, NON_ABSENT -> {
          if (!nullable) {
            written.add(name);
          }
        }
        default -> {
          // NON_EMPTY, NON_DEFAULT, CUSTOM: may be left out; never written as null
        }
      }
    }
    model.addExtension(WRITTEN, written);
  }

  private static List<AnnotatedElement> elements(Class<?> record, RecordComponent component) {
    List<AnnotatedElement> out = new ArrayList<>();
    try {
      out.add(record.getDeclaredField(component.getName()));
    } catch (NoSuchFieldException e) {
      // a record always has the field
    }
    out.add(component.getAccessor());
    return out;
  }

  private static JsonInclude.Include inclusion(
      AnnotatedElement element, JsonInclude.Include inherited) {
    JsonInclude include = element.getAnnotation(JsonInclude.class);
    if (include == null || include.value() == JsonInclude.Include.USE_DEFAULTS) {
      return inherited;
    }
    return include.value();
  }

  private static String jsonName(RecordComponent component) {
    JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
    if (property == null) {
      try {
        property =
            component
                .getDeclaringRecord()
                .getDeclaredField(component.getName())
                .getAnnotation(JsonProperty.class);
      } catch (NoSuchFieldException e) {
        property = null;
      }
    }
    return property == null || property.value().isEmpty() ? component.getName() : property.value();
  }

  /**
   * Documents the headers every answer of a keyed route carries (docs/rate-limits.md,
   * docs/idempotency.md): {@code X-Request-Id}; {@code X-RateLimit-Limit}, {@code -Remaining} and
   * {@code -Reset}; {@code Retry-After} on a 409, 429 and 503; and, on a write's successes, {@code
   * Idempotent-Replayed}. They were sent and promised but in no document, so a generated client
   * could not read them.
   */
  public static void addResponseHeaders(ApiResponses responses, boolean idempotentWrite) {
    responses.forEach(
        (status, response) -> {
          ON_EVERY_ANSWER.forEach(doc -> refer(response, doc));
          if (status.equals("409") || status.equals("429") || status.equals("503")) {
            refer(response, RETRY_AFTER);
          }
          if (idempotentWrite && status.startsWith("2")) {
            refer(response, REPLAYED);
          }
        });
  }

  /** A reference to {@code doc}, which {@link #addErrorEnvelope} declares. */
  private static void refer(ApiResponse response, HeaderDoc doc) {
    if (response.getHeaders() == null || !response.getHeaders().containsKey(doc.name())) {
      response.addHeaderObject(doc.name(), new Header().$ref("#/components/headers/" + doc.name()));
    }
  }

  /** {@code property} that also admits {@code null}, the OpenAPI 3.1 way. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static Schema orNull(Schema property) {
    if (property.get$ref() != null) {
      Schema either =
          new JsonSchema()
              .oneOf(
                  List.of(
                      new JsonSchema().$ref(property.get$ref()),
                      new JsonSchema().typesItem("null")));
      either.setDescription(property.getDescription());
      either.setDeprecated(property.getDeprecated());
      return either;
    }
    Set<String> types = property.getTypes();
    if (types == null && property.getType() != null) {
      types = new LinkedHashSet<>(List.of(property.getType()));
    }
    if (types == null || types.isEmpty()) {
      return property; // no type: any value, null included
    }
    Set<String> withNull = new LinkedHashSet<>(types);
    withNull.add("null");
    property.setTypes(withNull);
    if (property.getEnum() != null && !property.getEnum().contains(null)) {
      List values = new ArrayList<>(property.getEnum());
      values.add(null);
      property.setEnum(values);
    }
    return property;
  }

  /**
   * Rewrites every schema whose {@code type} lists several kinds of value, or a container and
   * {@code null} ({@code ["object", "null"]}, {@code ["string", "number", "array"]}), as an {@code
   * anyOf} of one schema per type. Both are valid OpenAPI 3.1, but openapi-generator (7.23) keeps
   * one type of such a list and drops the rest: its Python client refused every event whose {@code
   * traits} is null and every campaign whose audience is a filter (a black-box review with
   * generated clients, 2026-12-07). A scalar that may be null ({@code ["string", "null"]}) stays a
   * type list, which generators read as optional.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static void anyOfForMixedTypes(OpenAPI openApi) {
    Components components = openApi.getComponents();
    if (components == null || components.getSchemas() == null) {
      return;
    }
    components.getSchemas().values().forEach(WireSchemas::splitMixedTypes);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void splitMixedTypes(Schema schema) {
    if (schema == null) {
      return;
    }
    if (schema.getProperties() != null) {
      ((Map<String, Schema>) schema.getProperties()).values().forEach(WireSchemas::splitMixedTypes);
    }
    if (schema.getItems() != null) {
      splitMixedTypes(schema.getItems());
    }
    if (schema.getAdditionalProperties() instanceof Schema extra) {
      splitMixedTypes(extra);
    }
    Set<String> types = schema.getTypes();
    if (types == null || types.size() < 2) {
      return;
    }
    List<String> values = types.stream().filter(t -> !"null".equals(t)).toList();
    boolean container = values.contains("object") || values.contains("array");
    if (values.size() < 2 && !container) {
      return;
    }
    List<Schema> branches = new ArrayList<>();
    for (String type : types) {
      Schema branch = new JsonSchema().typesItem(type);
      if (type.equals("object")) {
        branch.setProperties(schema.getProperties());
        branch.setAdditionalProperties(schema.getAdditionalProperties());
        branch.setRequired(schema.getRequired());
      } else if (type.equals("array")) {
        branch.setItems(schema.getItems() != null ? schema.getItems() : new JsonSchema());
      }
      branches.add(branch);
    }
    schema.setTypes(null);
    schema.setType(null);
    schema.setProperties(null);
    schema.setAdditionalProperties(null);
    schema.setRequired(null);
    schema.setItems(null);
    schema.setAnyOf(branches);
  }

  /**
   * Sets {@code required} to the always-written properties of every schema that responses use and
   * request bodies do not, and drops the converter's note from every schema.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static void requireWrittenProperties(OpenAPI openApi) {
    Components components = openApi.getComponents();
    if (components == null || components.getSchemas() == null) {
      return;
    }
    Map<String, Schema> schemas = components.getSchemas();
    Set<String> requests = new HashSet<>();
    Set<String> responses = new HashSet<>();
    if (openApi.getPaths() != null) {
      for (PathItem path : openApi.getPaths().values()) {
        for (Operation operation : path.readOperations()) {
          if (operation.getRequestBody() != null) {
            reach(operation.getRequestBody().getContent(), schemas, requests);
          }
          if (operation.getResponses() != null) {
            operation
                .getResponses()
                .values()
                .forEach(r -> reach(r.getContent(), schemas, responses));
          }
        }
      }
    }
    schemas.forEach(
        (name, schema) -> {
          Map<String, Object> extensions = schema.getExtensions();
          Object written = extensions == null ? null : extensions.remove(WRITTEN);
          if (extensions != null && extensions.isEmpty()) {
            schema.setExtensions(null);
          }
          if (written instanceof List<?> list
              && responses.contains(name)
              && !requests.contains(name)) {
            Set<String> required = new LinkedHashSet<>();
            if (schema.getRequired() != null) {
              required.addAll(schema.getRequired());
            }
            list.forEach(p -> required.add(snake((String) p)));
            schema.setRequired(required.isEmpty() ? null : new ArrayList<>(required));
          }
        });
  }

  /**
   * A Java name as this platform writes it on the wire (snake_case; a snake_case name is left as it
   * is). The translation ignores the config and member: it is a pure function of the name.
   */
  public static String snake(String name) {
    return PropertyNamingStrategies.SNAKE_CASE.nameForField(null, null, name);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void reach(Content content, Map<String, Schema> schemas, Set<String> seen) {
    if (content == null) {
      return;
    }
    Deque<Schema> todo = new ArrayDeque<>();
    content.values().forEach(media -> todo.add(media.getSchema()));
    while (!todo.isEmpty()) {
      Schema s = todo.pop();
      if (s == null) {
        continue;
      }
      if (s.get$ref() != null && s.get$ref().startsWith(SCHEMAS)) {
        String name = s.get$ref().substring(SCHEMAS.length());
        if (seen.add(name) && schemas.get(name) != null) {
          todo.add(schemas.get(name));
        }
      }
      if (s.getProperties() != null) {
        todo.addAll(s.getProperties().values());
      }
      if (s.getItems() != null) {
        todo.add(s.getItems());
      }
      if (s.getAdditionalProperties() instanceof Schema additional) {
        todo.add(additional);
      }
      for (List<Schema> group : Arrays.asList(s.getAllOf(), s.getAnyOf(), s.getOneOf())) {
        if (group != null) {
          todo.addAll(group);
        }
      }
      if (s.getNot() != null) {
        todo.add(s.getNot());
      }
    }
  }
}
