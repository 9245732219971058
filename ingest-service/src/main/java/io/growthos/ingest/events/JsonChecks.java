package io.growthos.ingest.events;

import io.growthos.model.values.NumberRange;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What valid JSON may hold that PostgreSQL cannot store, found before the insert so the client gets
 * a 400 naming the field instead of a 500: the NUL character ({@code \u0000}, refused by text and
 * jsonb), unpaired UTF-16 surrogates (refused by jsonb), and numbers beyond what we keep (more than
 * {@value #MAX_DIGITS} digits before or after the point; jsonb's own limits are far higher, but a
 * 10-byte {@code 1e100000} would expand to 100 KB). The number rule is {@link NumberRange}'s, which
 * the Management API applies to traits and filter values too.
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
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        problems.add(
            path,
            "invalid_character",
            "Field '" + path + "' contains the NUL character (\\u0000), which cannot be stored.");
        return;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        problems.add(path, "invalid_character", loneSurrogate(path));
        return;
      }
      if (Character.isLowSurrogate(c)) {
        problems.add(path, "invalid_character", loneSurrogate(path));
        return;
      }
    }
  }

  private static String loneSurrogate(String path) {
    return "Field '"
        + path
        + "' contains an unpaired UTF-16 surrogate, which is not valid Unicode.";
  }
}
