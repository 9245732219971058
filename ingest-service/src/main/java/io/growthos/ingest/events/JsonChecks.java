package io.growthos.ingest.events;

import io.growthos.model.values.NumberRange;
import io.growthos.platform.web.RequestText;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What valid JSON may hold that PostgreSQL cannot store, found before the insert so the client gets
 * a 400 naming the field instead of a 500: the NUL character ({@code \u0000}, refused by text and
 * jsonb) and unpaired UTF-16 surrogates (refused by jsonb), by the rule both services share ({@link
 * RequestText}), and numbers beyond what we keep (more than {@value #MAX_DIGITS} digits before or
 * after the point; jsonb's own limits are far higher, but a 10-byte {@code 1e100000} would expand
 * to 100 KB). The number rule is {@link NumberRange}'s, which the Management API applies to traits
 * and filter values too.
 */
final class JsonChecks {

  static final int MAX_DIGITS = NumberRange.MAX_DIGITS;

  private JsonChecks() {}

  static void check(JsonNode node, String path, EventParser.Problems problems) {
    if (node == null) {
      return;
    }
    if (node.isString()) {
      checkString(node.asString(), path, problems);
    } else if (node.isNumber()) {
      if (!NumberRange.fits(node)) {
        problems.add(
            path,
            "out_of_range",
            "Field '" + path + "' is a number with more than " + MAX_DIGITS + " digits.");
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), path + "[" + i + "]", problems);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = path.equals("body") ? e.getKey() : path + "." + e.getKey();
        checkString(e.getKey(), child, problems);
        check(e.getValue(), child, problems);
      }
    }
  }

  private static void checkString(String s, String path, EventParser.Problems problems) {
    RequestText.Problem problem = RequestText.problemOf(s);
    if (problem != null) {
      problems.add(path, "invalid_character", RequestText.message(problem, path));
    }
  }
}
