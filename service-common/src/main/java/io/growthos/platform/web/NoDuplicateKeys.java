package io.growthos.platform.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A key given twice in one JSON object is a 400 {@code duplicate_key} naming its path ({@link
 * Errors#duplicateKey}), the rule the Ingest API applies to every body it reads (its own reader,
 * {@code IngestJson}): which of two values a client meant cannot be known, and Jackson by default
 * silently kept the last one ({@code {"email":"a@x.io","email":"b@x.io"}} created a contact with
 * the second). Applies to the application's mapper, so to every {@code @RequestBody}; documents it
 * reads back from jsonb cannot hold a duplicate.
 */
public class NoDuplicateKeys implements JsonMapperBuilderCustomizer {

  @Override
  public void customize(JsonMapper.Builder builder) {
    builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  }
}
