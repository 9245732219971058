package io.growthos.bench.http;

/**
 * Reads a top-level string field out of a small JSON response without a JSON library. Enough for
 * the few values the harness follows ({@code next_cursor}); it is not a general parser: it finds
 * the first occurrence of {@code "name":} and decodes the string that follows.
 */
public final class JsonFields {

  private JsonFields() {}

  /** The string value of field {@code name}; null when absent or JSON {@code null}. */
  public static String string(String json, String name) {
    String key = "\"" + name + "\"";
    int at = json.indexOf(key);
    if (at < 0) {
      return null;
    }
    int i = skipSpaces(json, at + key.length());
    if (i >= json.length() || json.charAt(i) != ':') {
      return null;
    }
    i = skipSpaces(json, i + 1);
    if (i >= json.length() || json.charAt(i) != '"') {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (i = i + 1; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = json.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e); // \" \\ \/
      }
    }
    throw new IllegalArgumentException("unterminated string in JSON field " + name);
  }

  /** How many times {@code fragment} occurs in {@code json} (e.g. ids in a page). */
  public static int count(String json, String fragment) {
    int n = 0;
    for (int i = json.indexOf(fragment);
        i >= 0;
        i = json.indexOf(fragment, i + fragment.length())) {
      n++;
    }
    return n;
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }
}
