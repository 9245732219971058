package io.growthos.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile requests built from a service's live OpenAPI document, sent with valid credentials: for
 * each operation a valid request (a body the caller supplies, else one built from the schema), then
 * one {@link Kind} of damage to it (a property of the wrong type, null, a required property left
 * out, a 100k-character string, 2,000-deep nesting, numbers out of range, odd unicode, a key given
 * twice, an unknown property, bad query parameters, path ids of the wrong kind or of another
 * workspace, the wrong Content-Type, an empty or broken body). {@link #verdict} says what is wrong
 * with the answer: a 5xx, a 4xx without the error envelope, a 400 that does not name the damaged
 * field, a success where the request broke the documented schema, or a success that does not match
 * the documented response. The choices are drawn from a {@link Random} the caller seeds, so a
 * failing case is repeated exactly.
 */
public final class HostileRequests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String RAW = "zz_raw_placeholder_zz";
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** Strings PostgreSQL, Jackson or a terminal may take badly, as JSON string literals. */
  static final List<String> ODD_STRINGS =
      List.of(
          "\"\\ud800\"",
          "\"x\\udc00y\"",
          "\"a\\u0000b\"",
          "\"\\u0000\"",
          "\"\\u202eevil\\u202c\"",
          "\"\\u200f\\u200e\"",
          "\"\\ud83d\\ude00 emoji\"",
          "\"\\ufeff\\ufffe\\uffff\"",
          "\"e\\u0301\\u0301\\u0301\"",
          "\"\\\\\\\"'; drop table contacts; --\"",
          "\"%00%zz../..\\\\\"",
          "\"\"",
          "\"   \"");

  static final List<String> ODD_NUMBERS =
      List.of(
          "1e400",
          "-1e400",
          "-0",
          "-0.0",
          "1.5",
          "99999999999999999999999999",
          "-99999999999999999999999999",
          "9223372036854775808",
          "-2147483649",
          "2147483648",
          "-1",
          "0",
          "1e-400",
          "0.000000000000000000000000001");

  /** What is done to a valid request. */
  public enum Kind {
    BASELINE,
    WRONG_TYPE,
    NULL_VALUE,
    MISSING_REQUIRED,
    HUGE_STRING,
    DEEP_NESTING,
    ODD_NUMBER,
    ODD_UNICODE,
    DUPLICATE_KEY,
    UNKNOWN_PROPERTY,
    BAD_QUERY,
    BAD_PATH_ID,
    WRONG_CONTENT_TYPE,
    EMPTY_BODY,
    BROKEN_JSON
  }

  /** One operation of the document. */
  public record Operation(String method, String template, JsonNode operation) {

    public List<JsonNode> parameters(String in) {
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode p : operation.path("parameters")) {
        if (p.path("in").asString().equals(in)) {
          out.add(p);
        }
      }
      return out;
    }

    /** The JSON request body's schema, or null when the operation takes none. */
    public JsonNode bodySchema() {
      JsonNode s =
          operation.path("requestBody").path("content").path("application/json").path("schema");
      return s.isMissingNode() ? null : s;
    }

    public boolean bodyRequired() {
      return operation.path("requestBody").path("required").asBoolean(false);
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  /**
   * A request to send. {@code field} is the body or query field that was damaged (null when none or
   * not one field), {@code refusalDue} says the request breaks the documented contract so that only
   * a 4xx is right.
   */
  public record Request(
      Operation operation,
      Kind kind,
      String method,
      String path,
      String contentType,
      String body,
      Map<String, String> headers,
      String field,
      boolean refusalDue,
      String what) {

    @Override
    public String toString() {
      String shown = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
      String p = path.length() > 300 ? path.substring(0, 300) + "…" : path;
      return kind + " (" + what + "): " + method + " " + p + " [" + contentType + "] " + shown;
    }
  }

  /** An answer: status, headers and body text. */
  public record Answer(int status, Map<String, List<String>> headers, String body) {

    public JsonNode json() {
      try {
        return body == null || body.isEmpty() ? null : JSON.readTree(body);
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  private final JsonNode document;
  private final SchemaCheck check;
  private final boolean nullMeansAbsent;

  /**
   * An API that reads an explicit null on an optional body property as if it were absent (the
   * Ingest API, as Segment's does): a null is due to be refused only where the property is
   * required.
   */
  public HostileRequests(JsonNode document) {
    this(document, true);
  }

  /**
   * {@code nullMeansAbsent} false: an API that takes an explicit null only where the document types
   * the property nullable (the Management API); anywhere else a null is due to be refused.
   */
  public HostileRequests(JsonNode document, boolean nullMeansAbsent) {
    this.document = document;
    this.check = new SchemaCheck(document);
    this.nullMeansAbsent = nullMeansAbsent;
  }

  /** Every operation of the document under {@code prefix}, in document order. */
  public List<Operation> operations(String prefix) {
    List<Operation> out = new ArrayList<>();
    for (var path : document.path("paths").properties()) {
      if (!path.getKey().startsWith(prefix)) {
        continue;
      }
      for (var op : path.getValue().properties()) {
        if (List.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
          out.add(new Operation(op.getKey().toUpperCase(), path.getKey(), op.getValue()));
        }
      }
    }
    return out;
  }

  /**
   * The kinds of damage that apply to {@code op}: body damage only where it takes a body, query
   * damage where it has query parameters, id damage where its path has variables.
   */
  public static List<Kind> kindsFor(Operation op) {
    List<Kind> out = new ArrayList<>();
    out.add(Kind.BASELINE);
    boolean body = op.bodySchema() != null;
    if (body) {
      out.addAll(
          List.of(
              Kind.WRONG_TYPE,
              Kind.NULL_VALUE,
              Kind.MISSING_REQUIRED,
              Kind.HUGE_STRING,
              Kind.DEEP_NESTING,
              Kind.ODD_NUMBER,
              Kind.ODD_UNICODE,
              Kind.DUPLICATE_KEY,
              Kind.UNKNOWN_PROPERTY,
              Kind.WRONG_CONTENT_TYPE,
              Kind.EMPTY_BODY,
              Kind.BROKEN_JSON));
    } else if (!op.method().equals("GET")) {
      // A body where none is taken: it must be refused or ignored, never a 5xx.
      out.add(Kind.DEEP_NESTING);
      out.add(Kind.BROKEN_JSON);
    }
    out.add(Kind.BAD_QUERY);
    if (!op.parameters("path").isEmpty()) {
      out.add(Kind.BAD_PATH_ID);
    }
    return out;
  }

  /**
   * Builds one request. {@code ids} gives the real id for a path variable ({@code op}, variable
   * name); {@code otherIds} an id of the same kind from another workspace (or null); {@code
   * validBody} a body the operation accepts (or null to build one from the schema).
   */
  public Request build(
      Operation op,
      Kind kind,
      Random random,
      BiFunction<Operation, String, String> ids,
      BiFunction<Operation, String, String> otherIds,
      String validBody) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (JsonNode p : op.parameters("path")) {
      String name = p.path("name").asString();
      vars.put(name, ids.apply(op, name));
    }
    JsonNode bodySchema = op.bodySchema();
    JsonNode body =
        bodySchema == null
            ? null
            : validBody != null ? JSON.readTree(validBody) : example(bodySchema, 0);
    String contentType = bodySchema == null ? null : "application/json";
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, String> headers = new LinkedHashMap<>();
    for (JsonNode p : op.operation().path("parameters")) {
      if (!p.path("required").asBoolean(false)) {
        continue;
      }
      String name = p.path("name").asString();
      switch (p.path("in").asString()) {
        case "query" -> {
          String v = ids.apply(op, "?" + name);
          params.put(name, v != null ? v : queryValue(p.path("schema")));
        }
        case "header" -> headers.put(name, ids.apply(op, "header:" + name));
        default -> {}
      }
    }
    String extra = null;
    String field = null;
    boolean refusalDue = false;
    String what = "valid";
    String rawBody = body == null ? null : JSON.writeValueAsString(body);
    List<Slot> slots = body == null ? List.of() : slots(body, bodySchema);

    switch (kind) {
      case BASELINE -> {}
      case WRONG_TYPE, NULL_VALUE, HUGE_STRING, ODD_NUMBER, ODD_UNICODE -> {
        Slot slot = pick(slots, random, kind);
        if (slot == null) {
          what = "no slot";
          break;
        }
        String raw =
            switch (kind) {
              case WRONG_TYPE -> wrongType(slot.schema(), random);
              case NULL_VALUE -> "null";
              case HUGE_STRING -> "\"" + "x".repeat(100_000) + "\"";
              case ODD_NUMBER -> ODD_NUMBERS.get(random.nextInt(ODD_NUMBERS.size()));
              default -> ODD_STRINGS.get(random.nextInt(ODD_STRINGS.size()));
            };
        rawBody = replaced(body, slot.path(), raw);
        field = slot.name();
        what = field + " = " + (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw);
        refusalDue = breaks(body, bodySchema, slot.path(), raw);
        if (kind == Kind.NULL_VALUE && !slot.required() && nullMeansAbsent) {
          // This API reads an explicit null for an optional property as absent (the Ingest API
          // as Segment's does); a null is refused only where the property is required.
          refusalDue = false;
        }
        if (kind == Kind.HUGE_STRING
            && slot.schema().path("maxLength").asInt(Integer.MAX_VALUE) < 100_000) {
          refusalDue = true;
        }
      }
      case MISSING_REQUIRED -> {
        List<Slot> required = slots.stream().filter(Slot::required).toList();
        if (required.isEmpty()) {
          what = "nothing required";
          break;
        }
        Slot slot = required.get(random.nextInt(required.size()));
        JsonNode copy = body.deepCopy();
        ((ObjectNode) at(copy, slot.path().subList(0, slot.path().size() - 1)))
            .remove((String) slot.path().get(slot.path().size() - 1));
        rawBody = JSON.writeValueAsString(copy);
        field = slot.name();
        what = field + " left out";
        refusalDue = true;
      }
      case DEEP_NESTING -> {
        int depth = 2_000;
        String deep =
            random.nextBoolean()
                ? "[".repeat(depth) + "]".repeat(depth)
                : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        Slot slot = body == null ? null : pick(slots, random, kind);
        if (slot == null) {
          rawBody = deep;
          contentType = "application/json";
          what = "the body nested 2,000 deep";
          refusalDue = bodySchema != null;
        } else {
          rawBody = replaced(body, slot.path(), deep);
          field = slot.name();
          what = field + " nested 2,000 deep";
          refusalDue = breaks(body, bodySchema, slot.path(), deep);
        }
      }
      case DUPLICATE_KEY -> {
        List<Slot> present = slots.stream().filter(s -> s.present() && s.inObject()).toList();
        if (present.isEmpty()) {
          what = "no key";
          break;
        }
        Slot slot = present.get(random.nextInt(present.size()));
        List<Object> parentPath = slot.path().subList(0, slot.path().size() - 1);
        String key = (String) slot.path().get(slot.path().size() - 1);
        ObjectNode parent = (ObjectNode) at(body, parentPath).deepCopy();
        String inner = JSON.writeValueAsString(parent);
        String dup =
            "{"
                + JSON.writeValueAsString(key)
                + ":"
                + JSON.writeValueAsString(parent.get(key))
                + ","
                + inner.substring(1);
        rawBody = parentPath.isEmpty() ? dup : replaced(body, parentPath, dup);
        field = slot.name();
        what = field + " given twice";
        refusalDue = true;
      }
      case UNKNOWN_PROPERTY -> {
        List<List<Object>> objects = new ArrayList<>();
        objects.add(List.of());
        for (Slot s : slots) {
          if (s.present() && at(body, s.path()) instanceof ObjectNode) {
            objects.add(s.path());
          }
        }
        List<Object> where = objects.get(random.nextInt(objects.size()));
        JsonNode schemaThere = schemaAt(bodySchema, body, where);
        JsonNode copy = body.deepCopy();
        if (!(at(copy, where) instanceof ObjectNode obj)) {
          what = "not an object";
          break;
        }
        obj.put("zz_unknown", 1);
        rawBody = JSON.writeValueAsString(copy);
        field = name(append(where, "zz_unknown"));
        what = field + " added";
        refusalDue =
            schemaThere != null && !check.problems(at(copy, where), schemaThere, "$").isEmpty();
      }
      case BAD_QUERY -> {
        List<JsonNode> declared = op.parameters("query");
        int choice = random.nextInt(declared.size() + 1);
        if (choice == declared.size()) {
          extra = "zz_unknown=1";
          field = "zz_unknown";
          what = "an undeclared parameter";
          refusalDue = true;
          break;
        }
        JsonNode p = declared.get(choice);
        String name = p.path("name").asString();
        params.remove(name);
        String type = String.join(",", SchemaCheck.types(p.path("schema")));
        String valid = queryValue(p.path("schema"));
        List<String[]> options = new ArrayList<>();
        options.add(new String[] {name + "=" + valid + "&" + name + "=" + valid, "repeated", "y"});
        options.add(new String[] {name + "=" + "x".repeat(20_000), "huge", "?"});
        options.add(new String[] {name + "=%00", "NUL", "?"});
        options.add(new String[] {name + "=%ED%A0%80", "a lone surrogate in UTF-8", "?"});
        options.add(new String[] {name + "=%E2%80%AE%F0%9F%98%80", "RTL and emoji", "?"});
        options.add(new String[] {name + "=", "empty", "?"});
        options.add(new String[] {name, "no value", "?"});
        if (type.contains("integer")) {
          for (String bad :
              List.of(
                  "-1",
                  "0",
                  "abc",
                  "1.5",
                  "1e3",
                  "99999999999999999999",
                  "-2147483649",
                  "%2B1",
                  "0x10",
                  "%201")) {
            options.add(new String[] {name + "=" + bad, bad, "?"});
          }
          options.add(new String[] {name + "=abc", "not a number", "y"});
        } else if (type.contains("boolean")) {
          options.add(new String[] {name + "=maybe", "not a boolean", "y"});
          options.add(new String[] {name + "=1", "1", "?"});
        } else if (p.path("schema").has("enum")) {
          options.add(new String[] {name + "=zz_not_listed", "not listed", "y"});
        } else if ("date-time".equals(p.path("schema").path("format").asString())) {
          options.add(new String[] {name + "=yesterday", "not a time", "y"});
          options.add(new String[] {name + "=99999-01-01T00:00:00Z", "year 99999", "?"});
        } else if (name.equals("cursor")) {
          options.add(new String[] {name + "=eyJ4IjoxfQ", "a forged cursor", "y"});
        }
        String[] o = options.get(random.nextInt(options.size()));
        extra = o[0];
        field = name;
        what = name + ": " + o[1];
        refusalDue = o[2].equals("y");
      }
      case BAD_PATH_ID -> {
        List<String> names = new ArrayList<>(vars.keySet());
        String name = names.get(random.nextInt(names.size()));
        String real = vars.get(name);
        String other = otherIds.apply(op, name);
        List<String[]> options = new ArrayList<>();
        if (other != null) {
          options.add(new String[] {other, "another workspace's", "y"});
          options.add(new String[] {other, "another workspace's", "y"});
        }
        int underscore = real.indexOf('_');
        if (underscore > 0) {
          options.add(new String[] {"zzzz" + real.substring(underscore), "wrong prefix", "y"});
          options.add(new String[] {real.substring(0, underscore + 1), "prefix only", "y"});
          options.add(new String[] {real + "x", "one character more", "y"});
        }
        options.add(new String[] {percentEncoded(real), "percent-encoded", "?"});
        options.add(new String[] {real.toUpperCase(), "upper case", "?"});
        options.add(new String[] {"%00", "NUL", "y"});
        options.add(new String[] {"%ED%A0%80", "a lone surrogate in UTF-8", "y"});
        options.add(new String[] {"x".repeat(5_000), "5,000 characters", "y"});
        options.add(new String[] {"%20", "a space", "y"});
        options.add(new String[] {"..%2F..", "an escaped slash", "y"});
        String[] o = options.get(random.nextInt(options.size()));
        vars.put(name, o[0]);
        field = name;
        what = name + ": " + o[1];
        refusalDue = o[2].equals("y");
      }
      case WRONG_CONTENT_TYPE -> {
        String[] types = {
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/xml",
          "application/json; charset=utf-16",
          "application/json; charset=latin1",
          "application/json;;",
          "*/*",
          "garbage"
        };
        contentType = types[random.nextInt(types.length)];
        what = "Content-Type " + contentType;
        refusalDue = !contentType.startsWith("application/json");
      }
      case EMPTY_BODY -> {
        rawBody = random.nextBoolean() ? "" : null;
        what = rawBody == null ? "no body" : "an empty body with a Content-Type";
        refusalDue = op.bodyRequired();
      }
      case BROKEN_JSON -> {
        String[] broken = {
          "{",
          "{\"a\":}",
          "{\"a\":1,}",
          "{\"a\":1}{\"b\":2}",
          "nul",
          "\u0000",
          "[1,2",
          "{'a':1}",
          "{\"a\":1} trailing",
          "\"just a string\"",
          "[]",
          "123"
        };
        rawBody = broken[random.nextInt(broken.length)];
        contentType = "application/json";
        what = "body " + rawBody;
        refusalDue = bodySchema != null;
      }
    }
    String path = op.template();
    for (var v : vars.entrySet()) {
      path = path.replace("{" + v.getKey() + "}", v.getValue());
    }
    StringBuilder query = new StringBuilder();
    for (var q : params.entrySet()) {
      query
          .append(query.isEmpty() ? "?" : "&")
          .append(q.getKey())
          .append('=')
          .append(java.net.URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
    }
    if (extra != null) {
      query.append(query.isEmpty() ? "?" : "&").append(extra);
    }
    return new Request(
        op,
        kind,
        op.method(),
        path + query,
        contentType,
        rawBody,
        headers,
        field,
        refusalDue,
        what);
  }

  /**
   * For an operation with a JSON body: the valid body with one top-level property of its schema set
   * to {@code null}, for each property the schema lists (present in the valid body or not). {@code
   * field} is the property; {@code refusalDue} says the schema does not admit null there.
   */
  public List<Request> nullEachProperty(
      Operation op,
      BiFunction<Operation, String, String> ids,
      BiFunction<Operation, String, String> otherIds,
      String validBody) {
    Request valid = build(op, Kind.BASELINE, new Random(1), ids, otherIds, validBody);
    JsonNode schema = op.bodySchema();
    if (schema == null || valid.body() == null) {
      return List.of();
    }
    JsonNode body = JSON.readTree(valid.body());
    JsonNode resolved = resolve(schema, body);
    List<Request> out = new ArrayList<>();
    for (var p : resolved.path("properties").properties()) {
      ObjectNode copy = (ObjectNode) body.deepCopy();
      copy.putNull(p.getKey());
      out.add(
          new Request(
              op,
              Kind.NULL_VALUE,
              valid.method(),
              valid.path(),
              valid.contentType(),
              JSON.writeValueAsString(copy),
              valid.headers(),
              p.getKey(),
              !admitsNull(p.getValue()),
              p.getKey() + " = null"));
    }
    return out;
  }

  /** Whether a property's schema admits null (its type, or one of its oneOf/anyOf alternatives). */
  public static boolean admitsNull(JsonNode schema) {
    if (SchemaCheck.types(schema).contains("null") || schema.path("nullable").asBoolean(false)) {
      return true;
    }
    for (String either : List.of("oneOf", "anyOf")) {
      for (JsonNode alternative : schema.path(either)) {
        if (admitsNull(alternative)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Sends {@code r} with {@code authorization} to {@code base} (e.g. http://127.0.0.1:8080). */
  public static Answer send(String base, Request r, String authorization) {
    return send(base, r.method(), r.path(), r.contentType(), r.body(), authorization, r.headers());
  }

  public static Answer send(
      String base,
      String method,
      String path,
      String contentType,
      String body,
      String authorization) {
    return send(base, method, path, contentType, body, authorization, Map.of());
  }

  public static Answer send(
      String base,
      String method,
      String path,
      String contentType,
      String body,
      String authorization,
      Map<String, String> headers) {
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    } catch (IllegalArgumentException e) {
      return new Answer(-1, Map.of(), "not a URI: " + e.getMessage());
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    headers.forEach(
        (name, value) -> {
          if (value != null) {
            b.header(name, value);
          }
        });
    try {
      HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(res.statusCode(), res.headers().map(), res.body());
    } catch (IOException e) {
      return new Answer(-2, Map.of(), "I/O failure: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * What is wrong with {@code a} as the answer to {@code r}; empty when nothing. {@code
   * validBaseline} says the undamaged request was accepted, so that a 400 must be about the damaged
   * field.
   */
  public List<String> verdict(Request r, Answer a, boolean validBaseline) {
    List<String> out = new ArrayList<>();
    if (a.status() < 100) {
      out.add("no HTTP answer: " + a.body());
      return out;
    }
    if (a.status() >= 500) {
      out.add("a " + a.status() + ": " + a.body());
      return out;
    }
    if (a.status() >= 400) {
      JsonNode json = a.json();
      if (json == null
          || !json.path("error").path("code").isString()
          || !json.path("error").path("message").isString()
          || !json.path("request_id").asString().startsWith("req_")) {
        out.add("a " + a.status() + " without the error envelope: " + a.body());
        return out;
      }
      JsonNode schema = responseSchema(r.operation(), a.status());
      if (schema != null) {
        check.problems(json, schema, "error " + a.status()).forEach(out::add);
      }
      if (r.field() != null
          && validBaseline
          && a.status() == 400
          && json.path("error").path("code").asString().equals("validation_error")) {
        boolean named = false;
        for (JsonNode d : json.path("error").path("details")) {
          String field = d.path("field").asString();
          named |= related(field, r.field());
          // A path or query string the server refuses as a whole before it reads any variable:
          // the canonical-path rule and the container's URI checks name the path or the request.
          // A path the server refuses as a whole before it reads any variable (the canonical-path
          // rule, the container's URI checks), or a request line over the container's limit (a
          // huge query value): the detail names the path or the request.
          named |=
              (r.kind() == Kind.BAD_PATH_ID || r.kind() == Kind.BAD_QUERY)
                  && (field.equals("path") || field.equals("request"));
          // A damaged value read as absent (null, blank, left out) where one of two alternatives
          // is required: the server may name the other one.
          named |= d.path("reason").asString().equals("required");
        }
        if (!named) {
          out.add("the 400 does not name " + r.field() + ": " + a.body());
        }
      }
      return out;
    }
    if (a.status() >= 300) {
      out.add("a redirect " + a.status());
      return out;
    }
    if (r.refusalDue()) {
      out.add("a " + a.status() + " where a 4xx was due: " + a.body());
    }
    JsonNode schema = responseSchema(r.operation(), a.status());
    if (schema == null) {
      if (!r.operation().operation().path("responses").has(Integer.toString(a.status()))) {
        out.add("an undocumented status " + a.status());
      }
      return out;
    }
    JsonNode json = a.json();
    if (json == null) {
      out.add("a " + a.status() + " whose body is not JSON: " + a.body());
      return out;
    }
    check.problems(json, schema, r.operation() + " " + a.status()).forEach(out::add);
    return out;
  }

  private JsonNode responseSchema(Operation op, int status) {
    JsonNode s =
        op.operation()
            .path("responses")
            .path(Integer.toString(status))
            .path("content")
            .path("application/json")
            .path("schema");
    return s.isMissingNode() ? null : s;
  }

  /** A detail's field names the damaged one: the same path, or one inside the other. */
  static boolean related(String detail, String damaged) {
    if (detail.isEmpty()) {
      return false;
    }
    String d = detail.replaceAll("\\[\\d+]", "");
    String f = damaged.replaceAll("\\[\\d+]", "");
    return d.equals(f)
        || d.startsWith(f + ".")
        || f.startsWith(d + ".")
        || detail.equals(damaged)
        || detail.startsWith(damaged + "[")
        || damaged.startsWith(detail + "[")
        || damaged.startsWith(detail + ".");
  }

  // --- bodies -------------------------------------------------------------------------------

  /** A place in a body: its path, its schema, whether present and whether its object needs it. */
  record Slot(List<Object> path, JsonNode schema, boolean present, boolean required) {
    String name() {
      return HostileRequests.name(path);
    }

    boolean inObject() {
      return !path.isEmpty() && path.get(path.size() - 1) instanceof String;
    }
  }

  static String name(List<Object> path) {
    StringBuilder b = new StringBuilder();
    for (Object p : path) {
      if (p instanceof Integer i) {
        b.append('[').append(i).append(']');
      } else {
        if (!b.isEmpty()) {
          b.append('.');
        }
        b.append(p);
      }
    }
    return b.toString();
  }

  private static List<Object> append(List<Object> path, Object next) {
    List<Object> out = new ArrayList<>(path);
    out.add(next);
    return out;
  }

  private static Slot pick(List<Slot> slots, Random random, Kind kind) {
    List<Slot> fitting = new ArrayList<>();
    for (Slot s : slots) {
      List<String> types = SchemaCheck.types(s.schema());
      boolean fits =
          switch (kind) {
            case HUGE_STRING, ODD_UNICODE -> types.isEmpty() || types.contains("string");
            case ODD_NUMBER -> types.contains("integer") || types.contains("number");
            default -> true;
          };
      if (fits) {
        fitting.add(s);
      }
    }
    if (fitting.isEmpty()
        && (kind == Kind.ODD_NUMBER || kind == Kind.HUGE_STRING || kind == Kind.ODD_UNICODE)) {
      fitting = slots;
    }
    return fitting.isEmpty() ? null : fitting.get(random.nextInt(fitting.size()));
  }

  /** Every property (present or listed by the schema) and array item of {@code body}. */
  private List<Slot> slots(JsonNode body, JsonNode schema) {
    List<Slot> out = new ArrayList<>();
    walk(body, schema, new ArrayList<>(), out, 0);
    return out;
  }

  private void walk(JsonNode value, JsonNode schema, List<Object> path, List<Slot> out, int depth) {
    if (depth > 8 || schema == null) {
      return;
    }
    schema = resolve(schema, value);
    if (value != null && value.isObject()) {
      JsonNode properties = schema.path("properties");
      List<String> required = new ArrayList<>();
      schema.path("required").forEach(r -> required.add(r.asString()));
      for (var p : properties.properties()) {
        List<Object> child = append(path, p.getKey());
        boolean present = value.has(p.getKey());
        out.add(
            new Slot(
                child,
                resolve(p.getValue(), value.get(p.getKey())),
                present,
                required.contains(p.getKey()) && present));
        if (present) {
          walk(value.get(p.getKey()), p.getValue(), child, out, depth + 1);
        }
      }
      JsonNode additional = schema.get("additionalProperties");
      if (additional != null && additional.isObject()) {
        for (var f : value.properties()) {
          if (!properties.has(f.getKey())) {
            List<Object> child = append(path, f.getKey());
            out.add(new Slot(child, resolve(additional, f.getValue()), true, false));
            walk(f.getValue(), additional, child, out, depth + 1);
          }
        }
      }
    } else if (value != null && value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size() && i < 3; i++) {
        List<Object> child = append(path, i);
        out.add(new Slot(child, resolve(schema.path("items"), value.get(i)), true, false));
        walk(value.get(i), schema.path("items"), child, out, depth + 1);
      }
    }
  }

  /** {@code schema} with {@code $ref} followed and the oneOf/anyOf alternative {@code value} is. */
  private JsonNode resolve(JsonNode schema, JsonNode value) {
    for (int i = 0; i < 10; i++) {
      if (schema.has("$ref")) {
        String ref = schema.path("$ref").asString();
        schema =
            document
                .path("components")
                .path("schemas")
                .path(ref.substring(ref.lastIndexOf('/') + 1));
        continue;
      }
      JsonNode alternatives =
          schema.has("oneOf")
              ? schema.path("oneOf")
              : schema.has("anyOf") ? schema.path("anyOf") : null;
      if (alternatives == null) {
        return schema;
      }
      JsonNode chosen = null;
      for (JsonNode alt : alternatives) {
        if (value != null && new SchemaCheck(document).problems(value, alt, "$").isEmpty()) {
          chosen = alt;
          break;
        }
      }
      if (chosen == null) {
        for (JsonNode alt : alternatives) {
          if (!SchemaCheck.types(alt).equals(List.of("null"))) {
            chosen = alt;
            break;
          }
        }
      }
      if (chosen == null) {
        return schema;
      }
      schema = chosen;
    }
    return schema;
  }

  private JsonNode schemaAt(JsonNode schema, JsonNode body, List<Object> path) {
    JsonNode s = resolve(schema, body);
    JsonNode v = body;
    for (Object p : path) {
      if (p instanceof Integer i) {
        s = s.path("items");
        v = v.get(i);
      } else {
        JsonNode next = s.path("properties").get((String) p);
        if (next == null) {
          next = s.get("additionalProperties");
        }
        if (next == null || !next.isObject()) {
          return null;
        }
        s = next;
        v = v.get((String) p);
      }
      s = resolve(s, v);
    }
    return s;
  }

  /** Does {@code raw} at {@code path} make the body break its schema (as far as types go)? */
  private boolean breaks(JsonNode body, JsonNode schema, List<Object> path, String raw) {
    JsonNode value;
    try {
      value = JSON.readTree(raw);
    } catch (RuntimeException e) {
      return true;
    }
    if (raw.equals("1.5") || raw.contains("e")) {
      // 1.5 or 1e400 where an integer is due.
      List<String> types =
          SchemaCheck.types(
              schemaAt(schema, body, path) == null
                  ? NODES.objectNode()
                  : schemaAt(schema, body, path));
      if (types.contains("integer") && !types.contains("number")) {
        return true;
      }
    }
    JsonNode copy = body.deepCopy();
    set(copy, path, value);
    return !check.problems(copy, schema, "$").isEmpty();
  }

  private static JsonNode at(JsonNode node, List<Object> path) {
    for (Object p : path) {
      node = p instanceof Integer i ? node.get(i) : node.get((String) p);
    }
    return node;
  }

  private static void set(JsonNode root, List<Object> path, JsonNode value) {
    JsonNode parent = at(root, path.subList(0, path.size() - 1));
    Object last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode o) {
      o.set((String) last, value);
    } else if (parent instanceof ArrayNode a) {
      a.set((Integer) last, value);
    }
  }

  /** {@code body} written with the raw JSON text {@code raw} at {@code path}. */
  private static String replaced(JsonNode body, List<Object> path, String raw) {
    JsonNode copy = body.deepCopy();
    if (path.isEmpty()) {
      return raw;
    }
    set(copy, path, NODES.stringNode(RAW));
    return JSON.writeValueAsString(copy).replace("\"" + RAW + "\"", raw);
  }

  private static String wrongType(JsonNode schema, Random random) {
    List<String> types = SchemaCheck.types(schema);
    List<String> candidates = new ArrayList<>();
    if (!types.contains("string")) {
      candidates.add("\"12\"");
      candidates.add("\"true\"");
    }
    if (!types.contains("integer") && !types.contains("number")) {
      candidates.add("12");
    }
    if (!types.contains("boolean")) {
      candidates.add("true");
    }
    if (!types.contains("array")) {
      candidates.add("[\"x\"]");
    }
    if (!types.contains("object")) {
      candidates.add("{\"x\":1}");
    }
    return candidates.get(random.nextInt(candidates.size()));
  }

  /** A value the schema takes, as simple as can be. */
  public JsonNode example(JsonNode schema, int depth) {
    schema = resolve(schema, null);
    if (schema.has("example")) {
      return schema.get("example");
    }
    if (schema.has("default") && !schema.get("default").isNull()) {
      return schema.get("default");
    }
    if (schema.has("enum")) {
      for (JsonNode e : schema.path("enum")) {
        if (!e.isNull()) {
          return e;
        }
      }
    }
    if (schema.has("allOf")) {
      ObjectNode merged = NODES.objectNode();
      for (JsonNode part : schema.path("allOf")) {
        JsonNode e = example(part, depth + 1);
        if (e instanceof ObjectNode o) {
          merged.setAll(o);
        }
      }
      return merged;
    }
    List<String> types = new ArrayList<>(SchemaCheck.types(schema));
    types.remove("null");
    String type = types.isEmpty() ? (schema.has("properties") ? "object" : "string") : types.get(0);
    return switch (type) {
      case "object" -> {
        ObjectNode o = NODES.objectNode();
        if (depth < 6) {
          for (JsonNode r : schema.path("required")) {
            JsonNode p = schema.path("properties").path(r.asString());
            o.set(r.asString(), p.isMissingNode() ? NODES.stringNode("x") : example(p, depth + 1));
          }
        }
        yield o;
      }
      case "array" -> {
        ArrayNode a = NODES.arrayNode();
        int n = Math.max(1, schema.path("minItems").asInt(1));
        for (int i = 0; i < n && depth < 6; i++) {
          a.add(example(schema.path("items"), depth + 1));
        }
        yield a;
      }
      case "integer" -> NODES.numberNode(Math.max(1, schema.path("minimum").asLong(1)));
      case "number" -> NODES.numberNode(Math.max(1, schema.path("minimum").asDouble(1)));
      case "boolean" -> NODES.booleanNode(true);
      default -> NODES.stringNode(stringExample(schema));
    };
  }

  private static String stringExample(JsonNode schema) {
    return switch (schema.path("format").asString()) {
      case "date-time" -> "2026-01-01T00:00:00Z";
      case "email" -> "fuzz@example.com";
      case "uri", "url" -> "https://example.com/x";
      case "uuid" -> "00000000-0000-4000-8000-000000000000";
      default -> "fuzz";
    };
  }

  private String queryValue(JsonNode schema) {
    JsonNode e = example(schema, 0);
    return e.isString() ? e.asString() : e.toString();
  }

  private static String percentEncoded(String id) {
    StringBuilder b = new StringBuilder();
    for (char c : id.toCharArray()) {
      b.append('%').append(String.format("%02X", (int) c));
    }
    return b.toString();
  }
}
