package io.growthos.testsupport;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import tools.jackson.databind.json.JsonMapper;

/**
 * The random requests of both services' {@code RandomRequestPropertyTests} ("tests that attack"):
 * random paths (the service's route fragments among percent-escapes, matrix parameters, dot
 * segments, unicode and empty segments, with odd query strings) and random bodies (random JSON,
 * wrong types, deep nesting, long strings, NUL and lone surrogates as escapes, broken JSON). Each
 * service names its own route fragments and property names; the rest is one list.
 */
public final class RandomRequests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RandomRequests() {}

  public static Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "PATCH", "DELETE", "PUT");
  }

  /** Paths of one to six segments drawn from {@code routeFragments} and the hostile ones. */
  public static Arbitrary<String> paths(String... routeFragments) {
    List<String> fragments = new ArrayList<>(List.of("v1", "v1", "V1", "%761", "v%31"));
    fragments.addAll(List.of(routeFragments));
    fragments.addAll(
        List.of(
            ".",
            "..",
            "%2e",
            "%2e%2e",
            "%2F",
            "%5C",
            "%00",
            ";",
            ";x=1",
            "contacts;jsessionid=1",
            "",
            "%C3%A9",
            "%E2%80%AE",
            "%ED%A0%80",
            "%",
            "%zz",
            "~",
            "*"));
    return Arbitraries.of(fragments)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(segments -> "/" + String.join("/", segments))
        .flatMap(
            p ->
                Arbitraries.of("", "?limit=1", "?cursor=%%%", "?x=%00", "?limit=-1&limit=2")
                    .map(q -> p + q));
  }

  /** Bodies: empty, scalars, one-property objects keyed by {@code propertyNames} and others. */
  public static Arbitrary<String> bodies(String... propertyNames) {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.of("null", "true", "false", "0", "-1", "1e309", "12345678901234567890123"),
            Arbitraries.strings().ofMaxLength(20).map(JSON::writeValueAsString),
            Arbitraries.of("\"\\u0000\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\\u0000b\""),
            Arbitraries.integers().between(1_000, 200_000).map(n -> "\"" + "x".repeat(n) + "\""));
    List<String> keys = new ArrayList<>(List.of(propertyNames));
    keys.addAll(List.of("traits", "scopes", "type", "filter", "plan", "url", "events", "writeKey"));
    keys.addAll(List.of("\\u0000", ""));
    Arbitrary<String> object =
        Combinators.combine(Arbitraries.of(keys), scalar).as((k, v) -> "{\"" + k + "\":" + v + "}");
    Arbitrary<String> deep =
        Arbitraries.integers().between(10, 3_000).map(d -> "[".repeat(d) + "]".repeat(d));
    Arbitrary<String> deepObject =
        Arbitraries.integers()
            .between(10, 1_500)
            .map(d -> "{\"a\":".repeat(d) + "1" + "}".repeat(d));
    return Arbitraries.oneOf(
        Arbitraries.just(""),
        scalar,
        object,
        object.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
        deep,
        deepObject,
        Arbitraries.of("{", "{\"a\":}", "{\"a\":1,}", "\u0000", "{\"a\":1}{\"b\":2}"));
  }
}
