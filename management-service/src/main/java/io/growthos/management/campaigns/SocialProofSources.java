package io.growthos.management.campaigns;

import io.growthos.core.campaigns.CampaignType;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A social-proof campaign whose source is campaign activity must name a referral program or
 * waitlist of the same workspace: anything else would be an empty feed forever.
 */
final class SocialProofSources {

  private SocialProofSources() {}

  /** 422 naming {@code settings.source.campaign} when it is not such a campaign. */
  static void check(JdbcTemplate jdbc, String workspaceId, CampaignType type, JsonNode settings) {
    JsonNode source = settings.path("source").path("campaign");
    if (type != CampaignType.SOCIAL_PROOF || !source.isString()) {
      return;
    }
    List<String> types =
        jdbc.queryForList(
            "select type from campaigns where workspace_id = ? and id = ?",
            String.class,
            workspaceId,
            source.asString());
    boolean ok =
        !types.isEmpty()
            && CampaignType.ofWireName(types.get(0))
                .map(CampaignType::hasParticipants)
                .orElse(false);
    if (!ok) {
      String message =
          types.isEmpty()
              ? "No such campaign in this workspace: '" + source.asString() + "'."
              : "A social-proof source campaign is a referral program or a waitlist.";
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          message,
          List.of(
              ErrorDetail.of(
                  "settings.source.campaign",
                  types.isEmpty() ? "not_found" : "invalid_type",
                  message)));
    }
  }
}
