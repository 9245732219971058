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

  /**
   * 422 naming {@code settings.source.campaign} when it is not such a campaign. The source's row
   * stays locked against deletion ({@code FOR KEY SHARE}) until commit: a deletion running at the
   * same time either waits and then sees this campaign among its users ({@link #usersOf}), or has
   * deleted the source first and this check finds no such campaign.
   */
  static void check(JdbcTemplate jdbc, String workspaceId, CampaignType type, JsonNode settings) {
    JsonNode source = settings.path("source").path("campaign");
    if (type != CampaignType.SOCIAL_PROOF || !source.isString()) {
      return;
    }
    List<String> types =
        jdbc.queryForList(
            "select type from campaigns where workspace_id = ? and id = ? for key share",
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

  /**
   * Refuses to delete {@code campaignId} while social-proof campaigns show its activity: their
   * feeds would go empty with no sign of why, and their own settings would no longer be valid. 422
   * naming each of them ({@code campaign_in_use}). Locks the campaign's row first, so a
   * social-proof campaign naming it at the same time is either seen here or refused by {@link
   * #check}.
   */
  static void checkUnused(JdbcTemplate jdbc, String workspaceId, String campaignId) {
    jdbc.queryForList(
        "select id from campaigns where workspace_id = ? and id = ? for update",
        String.class,
        workspaceId,
        campaignId);
    List<ErrorDetail> users =
        jdbc.query(
            "select id, name from campaigns where workspace_id = ? and type = 'social_proof'"
                + " and settings -> 'source' ->> 'campaign' = ? and id <> ? order by id",
            (rs, i) ->
                ErrorDetail.of(
                    "id",
                    "campaign_in_use",
                    "Social-proof campaign "
                        + rs.getString("id")
                        + " ('"
                        + rs.getString("name")
                        + "') shows this campaign's activity: delete it or change its source"
                        + " first."),
            workspaceId,
            campaignId,
            campaignId);
    if (!users.isEmpty()) {
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          "This campaign is the source of "
              + users.size()
              + " social-proof campaign"
              + (users.size() == 1 ? "" : "s")
              + ": delete them or change their source first.",
          users);
    }
  }
}
