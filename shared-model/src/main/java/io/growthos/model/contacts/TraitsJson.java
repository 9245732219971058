package io.growthos.model.contacts;

import io.growthos.model.values.NumberRange;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON text of trait documents. Decimals are read as {@link java.math.BigDecimal} so that what
 * either service stored comes back digit for digit.
 */
final class TraitsJson {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  private static final JsonMapper JSON = NumberRange.STORED_DOCUMENTS;
  private static final ObjectReader READER =
      JSON.readerFor(MAP).with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private TraitsJson() {}

  static LinkedHashMap<String, Object> read(String json) {
    LinkedHashMap<String, Object> map = READER.readValue(json);
    return map == null ? new LinkedHashMap<>() : map;
  }

  static String write(Map<String, Object> document) {
    return JSON.writeValueAsString(document);
  }
}
