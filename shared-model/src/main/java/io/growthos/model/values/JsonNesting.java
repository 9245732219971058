package io.growthos.model.values;

/**
 * The one bound on how deep a JSON request body of either service may nest: {@value #MAX_DEPTH}
 * levels, the body itself being level 1 (an object inside it level 2). The Ingest API reads its
 * bodies with it (its default {@code limits.max-nesting-depth}), the Management API every
 * {@code @RequestBody}. It keeps parsing and PostgreSQL's recursive {@code jsonb} input far from
 * their stack limits, and a stored document far below the 500 levels Jackson writes: before the
 * Management API applied it, a contact whose traits nested 499 deep was created, and every list
 * that wrapped it ({@code {"data":[{"traits":…}]}}) went past 500 and answered 500.
 */
public final class JsonNesting {

  /** Levels of objects and arrays a body may nest, the body itself included. */
  public static final int MAX_DEPTH = 100;

  private JsonNesting() {}

  /**
   * The deepest nesting of objects and arrays in the JSON text {@code json} (UTF-8), counting the
   * brackets outside strings; 0 for a scalar. Reads the bytes once and builds nothing. Text that is
   * not JSON gets a number too, which the parser that reads it next ignores.
   */
  public static int depth(byte[] json) {
    int depth = 0;
    int max = 0;
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > max) {
          max = depth;
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    return max;
  }
}
