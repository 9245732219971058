package io.growthos.ingest.events;

import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.values.NumberRange;
import io.growthos.platform.web.RequestText;
import java.util.Arrays;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What valid JSON may hold that PostgreSQL cannot store, found before the insert so the client gets
 * a 400 naming the field instead of a 500: the NUL character ({@code \u0000}, refused by text and
 * jsonb) and unpaired UTF-16 surrogates (refused by jsonb), by the rule both services share ({@link
 * RequestText}), and numbers beyond what we keep (longer than {@value #MAX_CHARS} characters
 * written out in full, which every reader of the stored JSON takes; jsonb's own limits are far
 * higher, but a 10-byte {@code 1e100000} would expand to 100 KB). The number rule is {@link
 * NumberRange}'s, which the Management API applies to traits and filter values too.
 *
 * <p>It visits every value of every event, so it keeps the path to the value as a stack of keys and
 * indexes and spells it out ({@code batch[2].properties.items[0].name}) only for a value with a
 * problem: building the path of each value as a string cost about a tenth of a request thread's CPU
 * in the {@code batch} benchmark.
 */
final class JsonChecks {

  static final int MAX_CHARS = NumberRange.MAX_CHARS;

  private JsonChecks() {}

  /**
   * Reports each problem of {@code node} and everything in it, named by its path from {@code path};
   * the root {@code body} is left out of the names of its members ({@code userId}, not {@code
   * body.userId}).
   */
  static void check(JsonNode node, String path, EventParser.Problems problems) {
    if (node != null) {
      new Walk(path, problems).check(node);
    }
  }

  /** One check's path: the keys and indexes from the root to the value being checked. */
  private static final class Walk {
    private final String root;
    private final EventParser.Problems problems;
    // keys[i] is the key of level i, or null when that level is an array index (indexes[i]).
    private String[] keys = new String[8];
    private int[] indexes = new int[8];
    private int depth;

    Walk(String root, EventParser.Problems problems) {
      this.root = root;
      this.problems = problems;
    }

    void check(JsonNode node) {
      if (node.isString()) {
        checkString(node.asString());
      } else if (node.isNumber()) {
        if (!NumberRange.fits(node)) {
          ErrorDetail d = NumberRange.outOfRange(path());
          problems.add(d.field(), d.reason(), d.message());
        }
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          push(null, i);
          check(node.get(i));
          depth--;
        }
      } else if (node.isObject()) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          push(e.getKey(), 0);
          checkString(e.getKey());
          check(e.getValue());
          depth--;
        }
      }
    }

    private void checkString(String s) {
      RequestText.Problem problem = RequestText.problemOf(s);
      if (problem != null) {
        String path = path();
        problems.add(path, "invalid_character", RequestText.message(problem, path));
      }
    }

    private void push(String key, int index) {
      if (depth == keys.length) {
        keys = Arrays.copyOf(keys, depth * 2);
        indexes = Arrays.copyOf(indexes, depth * 2);
      }
      keys[depth] = key;
      indexes[depth] = index;
      depth++;
    }

    private String path() {
      StringBuilder path = new StringBuilder(root);
      for (int i = 0; i < depth; i++) {
        if (keys[i] == null) {
          path.append('[').append(indexes[i]).append(']');
        } else if (i == 0 && root.equals("body")) {
          path.setLength(0);
          path.append(keys[i]);
        } else {
          path.append('.').append(keys[i]);
        }
      }
      return path.toString();
    }
  }
}
