package io.growthos.management.analytics;

import io.growthos.management.analytics.Query.JsonPath;

/**
 * Reads a value at a {@code properties.<path>} or {@code traits.<path>} of a row, through the
 * functions of migration V10 that the filter grammar also uses, so "what is a number" and "what is
 * the text of a value" have one definition: a JSON number or a string that spells one is a number;
 * a string, number or boolean has a text, objects and arrays none.
 */
final class JsonValues {

  private JsonValues() {}

  /** The value as numeric, or null. */
  static Sql number(String alias, JsonPath path) {
    return new Sql()
        .append(
            "growthos_jsonb_numeric(" + alias + "." + path.root() + " #> ?)",
            new Sql.TextArray(path.keys()));
  }

  /** The value's text, or null. */
  static Sql text(String alias, JsonPath path) {
    return new Sql()
        .append(
            "growthos_jsonb_text(" + alias + "." + path.root() + " #> ?)",
            new Sql.TextArray(path.keys()));
  }
}
