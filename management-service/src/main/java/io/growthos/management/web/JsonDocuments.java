package io.growthos.management.web;

import io.growthos.model.values.NumberRange;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Converts jsonb documents (traits, properties, context), which entities hold as JSON text, to and
 * from maps. Decimals are read as {@link java.math.BigDecimal} so that what ingest stored comes
 * back digit for digit.
 */
@Component
public class JsonDocuments {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final JsonMapper json;
  private final ObjectReader reader;

  public JsonDocuments(JsonMapper json) {
    this.json = json;
    // Stored documents are read with jsonb's own bound on numbers (NumberRange.STORED_READS), not
    // the 1,000 characters request bodies get: an event stored under the Ingest API's older bound
    // made every list that held it a 500.
    this.reader =
        NumberRange.STORED_DOCUMENTS
            .readerFor(MAP)
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  }

  /** The document as a map; null for SQL null. */
  public Map<String, Object> read(String text) {
    return text == null ? null : reader.readValue(text);
  }

  public String write(Map<String, Object> document) {
    return json.writeValueAsString(document == null ? Map.of() : document);
  }
}
