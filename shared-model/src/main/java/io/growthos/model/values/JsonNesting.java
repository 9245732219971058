package io.growthos.model.values;

import tools.jackson.core.StreamWriteConstraints;

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

  /**
   * Levels a document read back from {@code jsonb} may nest, as the readers of stored documents
   * ({@link NumberRange#STORED_DOCUMENTS}) and the writers of answers ({@link #MAX_ANSWER_DEPTH})
   * take it. Writes are held to {@link #MAX_DEPTH}, but rows stored before that rule are read and
   * answered whole: until 2026-12-06 a body could nest up to Jackson's default of 500 levels, so a
   * stored document up to 499. Not more: Jackson reads and writes a document recursively, and with
   * the services' 512 kB thread stack ({@code ServiceJvm}) 990 levels overflowed it. PostgreSQL
   * holds up to about 10,000 levels ({@code max_stack_depth} 2 MB), so a row deeper than this bound
   * can only have been written by SQL; its reads answer 500.
   */
  public static final int MAX_STORED_DEPTH = 500;

  /**
   * Levels an answer may nest: a stored document inside the few levels of the answer that carries
   * it ({@code {"data":[{"traits":…}]}}). Jackson's writer stops at 500 by default, so a list of
   * contacts whose traits were stored 499 deep answered 500.
   */
  public static final int MAX_ANSWER_DEPTH = MAX_STORED_DEPTH + 16;

  /** Write constraints of answers and of stored documents: {@link #MAX_ANSWER_DEPTH}. */
  public static final StreamWriteConstraints ANSWER_WRITES =
      StreamWriteConstraints.builder().maxNestingDepth(MAX_ANSWER_DEPTH).build();

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
