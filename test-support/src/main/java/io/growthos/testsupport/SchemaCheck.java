package io.growthos.testsupport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks a JSON answer against a schema of the live OpenAPI 3.1 document: every {@code required}
 * property present, {@code null} only where the type admits it, no property the schema does not
 * list (unless it allows additional ones), types and enums as declared; follows {@code $ref},
 * {@code oneOf}/{@code anyOf}/{@code allOf}, {@code items} and {@code additionalProperties}.
 * Formats and bounds are not checked. Enough for the documents both services serve; not a general
 * validator.
 */
public final class SchemaCheck {

  private static final String REF = "#/components/schemas/";

  private final JsonNode schemas;
  private final Set<String> seen = new HashSet<>();

  public SchemaCheck(JsonNode document) {
    this.schemas = document.path("components").path("schemas");
  }

  /** The component schemas some checked value (not null) was an instance of. */
  public Set<String> seen() {
    return seen;
  }

  /** What is wrong with {@code value} as an instance of {@code schema}; empty when nothing. */
  public List<String> problems(JsonNode value, JsonNode schema, String at) {
    List<String> out = new ArrayList<>();
    check(value, schema, at, out, seen);
    return out;
  }

  private void check(JsonNode value, JsonNode schema, String at, List<String> out, Set<String> in) {
    if (schema.has("$ref")) {
      String ref = schema.path("$ref").asString();
      if (!ref.startsWith(REF) || !schemas.has(ref.substring(REF.length()))) {
        out.add(at + ": unknown $ref " + ref);
        return;
      }
      String name = ref.substring(REF.length());
      if (!value.isNull()) {
        in.add(name);
      }
      schema = schemas.path(name);
    }
    for (String keyword : List.of("oneOf", "anyOf")) {
      if (schema.has(keyword)) {
        List<String> firstProblems = null;
        boolean matched = false;
        for (JsonNode alternative : schema.path(keyword)) {
          List<String> problems = new ArrayList<>();
          Set<String> names = new HashSet<>();
          check(value, alternative, at, problems, names);
          if (problems.isEmpty()) {
            matched = true;
            in.addAll(names);
            break;
          }
          if (firstProblems == null) {
            firstProblems = problems;
          }
        }
        if (!matched) {
          out.add(at + ": matches no alternative of " + keyword + ", e.g. " + firstProblems);
        }
        return;
      }
    }
    for (JsonNode part : schema.path("allOf")) {
      check(value, part, at, out, in);
    }
    List<String> types = types(schema);
    if (value.isNull()) {
      boolean anything = types.isEmpty() && !schema.has("properties") && !schema.has("enum");
      if (!types.contains("null") && !anything) {
        out.add(at + " is null, but the schema does not admit null " + types);
      }
      return;
    }
    if (!types.isEmpty() && types.stream().noneMatch(t -> is(value, t))) {
      out.add(at + " is " + value.getNodeType() + ", not " + types);
      return;
    }
    if (schema.has("enum")) {
      boolean listed = false;
      for (JsonNode option : schema.path("enum")) {
        listed |= option.equals(value);
      }
      if (!listed) {
        out.add(at + " = " + value + " is not one of " + schema.path("enum"));
      }
    }
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      for (JsonNode required : schema.path("required")) {
        if (!value.has(required.asString())) {
          out.add(at + "." + required.asString() + " is required but absent");
        }
      }
      JsonNode additional = schema.get("additionalProperties");
      for (var field : value.properties()) {
        String where = at + "." + field.getKey();
        if (properties.has(field.getKey())) {
          check(field.getValue(), properties.path(field.getKey()), where, out, in);
        } else if (additional != null && additional.isObject()) {
          check(field.getValue(), additional, where, out, in);
        } else if ((additional != null && additional.isBoolean() && !additional.asBoolean())
            || (additional == null && !properties.isEmpty())) {
          out.add(where + " is not in the schema");
        }
      }
    }
    if (value.isArray() && schema.has("items")) {
      int i = 0;
      for (JsonNode item : value) {
        check(item, schema.path("items"), at + "[" + i++ + "]", out, in);
      }
    }
  }

  /**
   * Whether a schema admits {@code null}: in its {@code type} list, or as a branch of its {@code
   * oneOf} or {@code anyOf} (how the documents write a nullable reference or container).
   */
  public static boolean admitsNull(JsonNode schema) {
    if (types(schema).contains("null")) {
      return true;
    }
    for (String keyword : List.of("oneOf", "anyOf")) {
      for (JsonNode branch : schema.path(keyword)) {
        if (types(branch).contains("null")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The types a schema names ({@code type} as one string or an array), none for no type. */
  public static List<String> types(JsonNode schema) {
    List<String> out = new ArrayList<>();
    JsonNode type = schema.path("type");
    if (type.isArray()) {
      type.forEach(t -> out.add(t.asString()));
    } else if (type.isString()) {
      out.add(type.asString());
    }
    return out;
  }

  private static boolean is(JsonNode value, String type) {
    return switch (type) {
      case "string" -> value.isString();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "array" -> value.isArray();
      case "object" -> value.isObject();
      case "null" -> value.isNull();
      default -> false;
    };
  }
}
