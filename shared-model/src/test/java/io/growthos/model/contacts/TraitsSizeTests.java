package io.growthos.model.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.TestPostgres;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link Traits#sizeInBytes()} is what PostgreSQL measures ({@code octet_length(traits::text)}),
 * and {@link Traits#sqlGrowsPastCap} decides as {@link Traits#growsPastCap} does: the Management
 * API measures in Java, the Ingest API in SQL, and both must refuse the same changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraitsSizeTests {

  private Connection db;

  @BeforeAll
  void connect() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    db = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
  }

  @AfterAll
  void close() throws SQLException {
    db.close();
  }

  private long postgresSize(String json) throws SQLException {
    try (PreparedStatement s =
        db.prepareStatement("select " + Traits.sqlSizeOf("?::jsonb") + ", ?::jsonb::text")) {
      s.setString(1, json);
      s.setString(2, json);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void assertSameSize(Traits traits) throws SQLException {
    assertThat(traits.sizeInBytes()).as(traits.toJson()).isEqualTo(postgresSize(traits.toJson()));
  }

  /** The document as a client sends it and as identify's patch is stored. */
  private void assertSameSize(String json) throws SQLException {
    assertThat(Traits.fromJson(json).sizeInBytes()).as(json).isEqualTo(postgresSize(json));
    assertSameSize(Traits.fromJson(json));
  }

  @Test
  void measuresTraitsAsPostgresWritesThem() throws SQLException {
    List<String> documents =
        List.of(
            "{}",
            "{\"a\":1}",
            "{\"a\":\"b\",\"c\":[1,2,3],\"d\":{\"e\":{\"f\":[{},[],[[]],{\"g\":null}]}}}",
            "{\"empty\":\"\",\"t\":true,\"f\":false,\"nested_null\":{\"x\":null},\"l\":[null]}",
            "{\"n\":1.0,\"m\":1e3,\"M\":1E+3,\"p\":1.5E+2,\"q\":1e-3,\"r\":0.10,\"s\":-0.0}",
            "{\"z\":-0,\"y\":0e3,\"x\":0.0e1,\"w\":1.50e1,\"v\":-1.5e-30,\"u\":123.456e-5}",
            "{\"big\":12345678901234567890123,\"neg\":-98765432109876543210,\"long\":-9007199254740993}",
            "{\"huge\":1e999,\"tiny\":1e-999,\"wide\":9.99e998}",
            "{\"esc\":\"quote\\\" back\\\\ slash\\/ \\b\\f\\n\\r\\t \\u0001\\u001f \\u007f\"}",
            "{\"sep\":\"\\u2028\\u2029\",\"nbsp\":\"\\u00a0\",\"bom\":\"\\ufeff\"}",
            "{\"ключ\":\"значение\",\"日本\":\"語\",\"😀\":\"🎉 café 𝄞\",\"mixed\":\"aé語😀\"}",
            "{\"a\\\"b\\\\c\\nd\":1,\"\":\"empty key\",\" \":[\" \"]}",
            "{\"deep\":" + "[".repeat(40) + "1" + "]".repeat(40) + "}",
            "{\"later\":1,\"earlier\":2,\"a\":3,\"bb\":4,\"b\":5}");
    for (String doc : documents) {
      assertSameSize(doc);
    }
  }

  @Test
  void measuresTraitsBuiltFromJavaValuesAsPostgresWritesTheirJson() throws SQLException {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("double", 0.1);
    values.put("double_exp", 1.0E10);
    values.put("double_small", 1.0E-7);
    values.put("double_negative_zero", -0.0);
    values.put("float", 2.5f);
    values.put("int", 42);
    values.put("long", Long.MIN_VALUE);
    values.put("big_integer", new BigInteger("123456789012345678901234567890"));
    values.put("big_decimal", new BigDecimal("1E+5"));
    values.put("list", List.of(1, "two", List.of(), Map.of()));
    values.put("map", Map.of("k", "v"));
    assertSameSize(Traits.of(values));
  }

  @Test
  void measuresRandomDocumentsAsPostgresDoes() throws SQLException {
    Random random = new Random(20_26);
    for (int i = 0; i < 300; i++) {
      StringBuilder doc = new StringBuilder();
      randomObject(random, doc, 0);
      assertSameSize(doc.toString());
    }
  }

  private static final String[] STRINGS = {
    "",
    "a",
    "é",
    "語",
    "😀",
    "\\n",
    "\\t",
    "\\\"",
    "\\\\",
    "\\/",
    "\\u0002",
    "\\u001f",
    "\\u007f",
    "\\u00e9",
    "\\ud83d\\ude00",
    "<>&'",
    " "
  };

  private static final String[] NUMBERS = {
    "0",
    "-0",
    "1",
    "-17",
    "1.0",
    "1.50",
    "1e3",
    "1E-3",
    "-2.5e+4",
    "0.000",
    "1e40",
    "3.14159e-10",
    "123456789012345678901234567890",
    "0e5",
    "-0.0e-3"
  };

  private static void randomObject(Random r, StringBuilder out, int depth) {
    out.append('{');
    int members = r.nextInt(depth == 0 ? 8 : 4);
    for (int i = 0; i < members; i++) {
      if (i > 0) {
        out.append(',');
      }
      // Unique keys: PostgreSQL keeps the last of duplicates, a Java map too, but not by design.
      out.append('"').append(randomString(r)).append('_').append(i).append("\":");
      int at = out.length();
      randomValue(r, out, depth + 1);
      if (depth == 0 && out.substring(at).equals("null")) {
        // A top-level null removes a trait: it is no trait PostgreSQL would store.
        out.replace(at, out.length(), "[null]");
      }
    }
    out.append('}');
  }

  private static void randomValue(Random r, StringBuilder out, int depth) {
    int kind = r.nextInt(depth > 4 ? 4 : 6);
    switch (kind) {
      case 0 -> out.append('"').append(randomString(r)).append('"');
      case 1 -> out.append(NUMBERS[r.nextInt(NUMBERS.length)]);
      case 2 -> out.append(List.of("true", "false", "null").get(r.nextInt(3)));
      case 3 -> out.append('"').append(randomString(r)).append(randomString(r)).append('"');
      case 4 -> randomObject(r, out, depth);
      default -> {
        out.append('[');
        int items = r.nextInt(4);
        for (int i = 0; i < items; i++) {
          if (i > 0) {
            out.append(',');
          }
          randomValue(r, out, depth + 1);
        }
        out.append(']');
      }
    }
  }

  private static String randomString(Random r) {
    StringBuilder s = new StringBuilder();
    int parts = r.nextInt(4);
    for (int i = 0; i < parts; i++) {
      s.append(STRINGS[r.nextInt(STRINGS.length)]);
    }
    return s.toString();
  }

  // --- the cap ---------------------------------------------------------------------------------

  private boolean postgresGrowsPastCap(Traits current, TraitPatch patch) throws SQLException {
    String sql =
        "select "
            + Traits.sqlGrowsPastCap("(p.cur - p.removed) || p.added", "p.cur")
            + " from (select ?::jsonb as cur, ?::text[] as removed, ?::jsonb as added) p";
    try (PreparedStatement s = db.prepareStatement(sql)) {
      s.setString(1, current.toJson());
      s.setArray(2, db.createArrayOf("text", patch.removedArray()));
      s.setString(3, patch.setJson());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** {"k1": "<n1 x>", "k2": …}: as PostgreSQL writes it, 1 + Σ (8 + n) + 2 (members - 1) + 1. */
  private static Map<String, Object> strings(int... lengths) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < lengths.length; i++) {
      m.put("k" + (i + 1), "x".repeat(lengths[i]));
    }
    return m;
  }

  @Test
  void javaAndSqlRefuseTheSameChanges() throws SQLException {
    Traits current = Traits.of(strings(30_000));
    // {"k1": "…", "k2": "…"} is n1 + n2 + 20 bytes as PostgreSQL writes it.
    int fits = Traits.MAX_BYTES - 20 - 30_000;
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {current, TraitPatch.of(Map.of("k2", "x".repeat(fits))), false});
    cases.add(new Object[] {current, TraitPatch.of(Map.of("k2", "x".repeat(fits + 1))), true});
    cases.add(new Object[] {current, TraitPatch.of(Map.of("k2", 1)), false});
    // Traits over the bound (grown another way) may shrink or stay as large, not grow.
    Traits over = Traits.of(strings(40_000, 40_000));
    Map<String, Object> removeOne = new LinkedHashMap<>();
    removeOne.put("k1", null);
    cases.add(new Object[] {over, TraitPatch.of(removeOne), false});
    cases.add(new Object[] {over, TraitPatch.of(Map.of("k1", "y".repeat(40_000))), false});
    cases.add(new Object[] {over, TraitPatch.of(Map.of("k1", "y".repeat(39_000))), false});
    cases.add(new Object[] {over, TraitPatch.of(Map.of("k1", "y".repeat(40_001))), true});
    cases.add(new Object[] {over, TraitPatch.of(Map.of("k3", 1)), true});
    // 1e999 is 5 bytes of JSON and 1,000 digits in PostgreSQL.
    Map<String, Object> digits = new LinkedHashMap<>();
    for (int i = 0; i < 70; i++) {
      digits.put("n" + i, new BigDecimal("1e999"));
    }
    cases.add(new Object[] {Traits.EMPTY, TraitPatch.of(digits), true});
    for (Object[] c : cases) {
      Traits traits = (Traits) c[0];
      TraitPatch patch = (TraitPatch) c[1];
      boolean java = Traits.growsPastCap(traits.apply(patch).sizeInBytes(), traits.sizeInBytes());
      assertThat(java).as(patch.set().keySet() + " " + patch.removed()).isEqualTo(c[2]);
      assertThat(postgresGrowsPastCap(traits, patch))
          .as(patch.set().keySet() + " " + patch.removed())
          .isEqualTo(java);
    }
  }
}
