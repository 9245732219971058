package io.growthos.management.campaigns;

import static io.growthos.core.campaigns.CampaignType.REFERRAL;
import static io.growthos.core.campaigns.CampaignType.SOCIAL_PROOF;
import static io.growthos.core.campaigns.CampaignType.SURVEY;
import static io.growthos.core.campaigns.CampaignType.WAITLIST;

import io.growthos.core.campaigns.CampaignType;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The type-specific sub-resources under {@code /v1/campaigns/{id}/} and the campaign types that
 * have them: the one rule every such route follows (docs/campaigns.md, "Sub-resources and campaign
 * types"). A campaign of the workspace whose type has no such sub-resource is 422 {@code
 * unprocessable_entity} with one detail {@code type}/{@code not_supported}; the route checks it
 * right after finding the campaign (another workspace's is 404 before that), so neither the body,
 * the parameters nor an id of the path change that answer.
 */
public enum CampaignSubResource {
  /** {@code participants}, {@code participants/{pid}}, {@code …/verify}. */
  PARTICIPANTS("participants", REFERRAL, WAITLIST),
  /** {@code participants/{pid}/admit} and {@code admit}. */
  ADMISSIONS("admissions", WAITLIST),
  REFERRALS("referrals", REFERRAL, WAITLIST),
  STATS("stats", REFERRAL, WAITLIST),
  LEADERBOARD("a leaderboard", REFERRAL, WAITLIST),
  /** {@code rewards}, {@code rewards/{rid}} and its approve, reject, fulfil. */
  REWARDS("rewards", REFERRAL),
  FEED("a feed", SOCIAL_PROOF),
  /** {@code results}, {@code responses}, {@code results/questions/{qid}/answers}. */
  SURVEY_RESULTS("results and responses", SURVEY);

  private final String what;
  private final Set<CampaignType> types;

  CampaignSubResource(String what, CampaignType first, CampaignType... more) {
    this.what = what;
    this.types = EnumSet.of(first, more);
  }

  /** The campaign types that have this sub-resource. */
  public Set<CampaignType> types() {
    return types;
  }

  /** Nothing when a campaign of {@code type} has this sub-resource, else the 422. */
  public void check(CampaignType type) {
    if (types.contains(type)) {
      return;
    }
    String message =
        "Only "
            + types.stream().map(CampaignType::wireName).collect(Collectors.joining(" and "))
            + " campaigns have "
            + what
            + "; this campaign is a "
            + type.wireName()
            + ".";
    throw new ApiException(
        ErrorCode.UNPROCESSABLE,
        message,
        List.of(ErrorDetail.of("type", "not_supported", message)));
  }
}
