package io.growthos.model.contacts;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * The length in UTF-8 bytes of a JSON document as PostgreSQL writes a {@code jsonb} value as text
 * ({@code octet_length(doc::text)}), computed from the document's Java values without writing it.
 * PostgreSQL's text differs from compact JSON: members are written {@code "k": v}, items and
 * members are separated by {@code ", "}, numbers are the plain digits of {@code numeric} ({@code
 * 1e3} is {@code 1000}, {@code 1.50} stays {@code 1.50}), and strings escape only {@code "}, {@code
 * \}, and control characters ({@code \n}-style where one exists, else the six-byte {@code u00XX}
 * form); other characters are their UTF-8 bytes.
 */
final class JsonbText {

  private JsonbText() {}

  static long length(Object value) {
    if (value == null) {
      return 4; // null
    }
    if (value instanceof String s) {
      return string(s);
    }
    if (value instanceof Boolean b) {
      return b ? 4 : 5;
    }
    if (value instanceof Number n) {
      return number(n).length();
    }
    if (value instanceof Map<?, ?> map) {
      long n = 2 + separators(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        n += string(String.valueOf(e.getKey())) + 2 + length(e.getValue()); // "k": v
      }
      return n;
    }
    if (value instanceof Collection<?> items) {
      long n = 2 + separators(items.size());
      for (Object item : items) {
        n += length(item);
      }
      return n;
    }
    throw new IllegalArgumentException("Not a JSON value: " + value.getClass().getName());
  }

  /** {@code ", "} between each two of {@code count} items. */
  private static long separators(int count) {
    return count == 0 ? 0 : 2L * (count - 1);
  }

  /** As {@code numeric} prints it: plain digits, the scale kept, no exponent, no negative zero. */
  static String number(Number n) {
    BigDecimal d;
    if (n instanceof BigDecimal b) {
      d = b;
    } else if (n instanceof BigInteger i) {
      d = new BigDecimal(i);
    } else if (n instanceof Double || n instanceof Float) {
      d = new BigDecimal(n.toString()); // the shortest decimal text, as Jackson writes it
    } else {
      d = BigDecimal.valueOf(n.longValue());
    }
    // A negative scale is a power of ten (1E+3): numeric keeps no fraction digits for it.
    return (d.scale() < 0 ? d.setScale(0) : d).toPlainString();
  }

  private static long string(String s) {
    long n = 2; // quotes
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
        n += 2;
      } else if (c < 0x20) {
        n += 6;
      } else if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
