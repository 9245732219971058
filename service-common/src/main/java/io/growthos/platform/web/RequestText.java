package io.growthos.platform.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The one rule of both services for the text of a request body (SPEC §3: stored faithfully, or
 * refused with a 4xx): the bytes are strict UTF-8, and no string or key holds the NUL character or
 * an unpaired UTF-16 surrogate. Strict means the well-formed sequences of Unicode's Table 3-7 only:
 * an overlong form ({@code C0 AF} for {@code /}), an encoded surrogate ({@code ED A0 80}) or a code
 * point above U+10FFFF is refused, where a lenient decoder would turn it into other text (the
 * classic way past a filter). JSON's {@code \}{@code uD800} escape decodes to a lone surrogate that
 * PostgreSQL would store as {@code ?}, and NUL is stored by neither {@code text} nor {@code jsonb}.
 *
 * <p>The Ingest API applies it to every body it reads (the bytes) and to widget bodies (the parsed
 * tree; tracking events get the same string rule through their own field checks); the Management
 * API to every {@code @RequestBody} ({@link StrictTextBodies}).
 */
public final class RequestText {

  private RequestText() {}

  /** What may be wrong with a string. */
  public enum Problem {
    NUL,
    LONE_SURROGATE
  }

  /** The first problem of {@code s}, or null when it is well-formed text PostgreSQL can store. */
  public static Problem problemOf(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return Problem.NUL;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return Problem.LONE_SURROGATE;
      }
      if (Character.isLowSurrogate(c)) {
        return Problem.LONE_SURROGATE;
      }
    }
    return null;
  }

  /** The message of {@code problem} in the field at {@code path}. */
  public static String message(Problem problem, String path) {
    return "Field '" + path + "' contains " + what(problem) + ".";
  }

  private static String what(Problem problem) {
    return switch (problem) {
      case NUL -> "the NUL character (\\" + "u0000), which cannot be stored";
      case LONE_SURROGATE -> "an unpaired UTF-16 surrogate, which is not valid Unicode";
    };
  }

  /**
   * 400 {@code invalid_json} naming {@code body} unless {@code bytes} are strict UTF-8. A leading
   * byte order mark is left to the JSON parser.
   */
  public static void requireUtf8(byte[] bytes) {
    int bad = firstInvalidUtf8(bytes, 0, bytes.length);
    if (bad >= 0) {
      throw new ApiException(
          ErrorCode.INVALID_JSON,
          "The request body is not valid UTF-8 (at byte "
              + bad
              + "): send JSON encoded in UTF-8, without overlong forms or encoded surrogates.",
          List.of(
              ErrorDetail.of(
                  "body", "invalid_encoding", "The body is not valid UTF-8 at byte " + bad + ".")));
    }
  }

  /**
   * The offset of the first byte of {@code bytes[from, to)} that does not start a well-formed UTF-8
   * sequence (Unicode 15, Table 3-7), or -1 when they all do. No allocation: ingest bodies are
   * checked whole on every request.
   */
  public static int firstInvalidUtf8(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xff;
      int need;
      int lo = 0x80;
      int hi = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        if (b == 0xe0) {
          lo = 0xa0; // below is overlong
        } else if (b == 0xed) {
          hi = 0x9f; // above is a surrogate
        }
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        if (b == 0xf0) {
          lo = 0x90; // below is overlong
        } else if (b == 0xf4) {
          hi = 0x8f; // above is beyond U+10FFFF
        }
      } else {
        return i; // a continuation byte, C0/C1 (overlong) or F5..FF
      }
      if (i + need >= to) {
        return i; // cut short
      }
      int second = bytes[i + 1] & 0xff;
      if (second < lo || second > hi) {
        return i;
      }
      for (int k = 2; k <= need; k++) {
        int next = bytes[i + k] & 0xff;
        if (next < 0x80 || next > 0xbf) {
          return i;
        }
      }
      i += need + 1;
    }
    return -1;
  }

  /**
   * 400 naming the first field of {@code tree} (as {@code answers.more} or {@code items[2].name})
   * whose value or key is not storable text ({@link #problemOf}).
   */
  public static void requireStorableText(JsonNode tree) {
    ErrorDetail problem = firstProblem(tree, "");
    if (problem != null) {
      throw ApiException.invalid(List.of(problem));
    }
  }

  private static ErrorDetail firstProblem(JsonNode node, String path) {
    if (node == null) {
      return null;
    }
    if (node.isString()) {
      return detail(node.asString(), path);
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        ErrorDetail found = firstProblem(node.get(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        ErrorDetail found = keyDetail(e.getKey(), path);
        if (found == null) {
          found = firstProblem(e.getValue(), child);
        }
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /**
   * A key that cannot be stored, named by the object that holds it ({@code traits.plan} for a NUL
   * in a key of it; {@code body} at the top level): the key itself would echo the character. Until
   * 2026-12-07 any such key below the top level named only {@code body}.
   */
  private static ErrorDetail keyDetail(String key, String objectPath) {
    Problem problem = problemOf(key);
    if (problem == null) {
      return null;
    }
    String field = objectPath.isEmpty() || problemOf(objectPath) != null ? "body" : objectPath;
    return ErrorDetail.of(
        field, "invalid_character", "A key of '" + field + "' contains " + what(problem) + ".");
  }

  private static ErrorDetail detail(String s, String path) {
    Problem problem = problemOf(s);
    if (problem == null) {
      return null;
    }
    String field = path.isEmpty() || problemOf(path) != null ? "body" : path;
    return ErrorDetail.of(field, "invalid_character", message(problem, field));
  }

  /**
   * Whether the JSON text {@code body} may decode to a NUL or a surrogate: a raw 0 byte, or an
   * escape {@code \}{@code u0000} or {@code \}{@code uD800}–{@code \}{@code uDFFF} not itself
   * escaped. A body without one needs no parsing to pass {@link #requireStorableText}.
   */
  public static boolean mayHoldUnstorableText(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      if (body[i] == 0) {
        return true;
      }
      if (body[i] == '\\' && i + 5 < body.length && body[i + 1] == 'u') {
        int backslashes = 0;
        for (int j = i; j >= 0 && body[j] == '\\'; j--) {
          backslashes++;
        }
        if (backslashes % 2 == 1 && (isNulEscape(body, i + 2) || isSurrogateEscape(body, i + 2))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isNulEscape(byte[] b, int at) {
    return b[at] == '0' && b[at + 1] == '0' && b[at + 2] == '0' && b[at + 3] == '0';
  }

  private static boolean isSurrogateEscape(byte[] b, int at) {
    return (b[at] == 'd' || b[at] == 'D')
        && "89abcdefABCDEF".indexOf(b[at + 1]) >= 0
        && isHex(b[at + 2])
        && isHex(b[at + 3]);
  }

  private static boolean isHex(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
  }
}
