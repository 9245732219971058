package io.growthos.core.campaigns;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON reader of stored campaign settings in this package. */
final class CampaignPayloadsJson {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private CampaignPayloadsJson() {}

  static JsonNode read(String text) {
    return JSON.readTree(text);
  }
}
