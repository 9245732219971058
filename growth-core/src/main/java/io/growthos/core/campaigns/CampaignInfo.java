package io.growthos.core.campaigns;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * What the participant rules need of a campaign, read once per request by the calling service.
 *
 * @param spotsPerReferral waitlists: places a qualified referral moves its referrer up
 * @param requireVerification waitlists: joiners count as referrals only once verified
 * @param landingUrl base of share URLs, may be null
 * @param qualifyingEvent referral programs: whether a referral waits for a qualifying event
 * @param velocityPerDay referrals one referrer may bring per day; 0 for no limit
 * @param selfReferralCheck whether self-referrals are rejected
 */
public record CampaignInfo(
    String workspaceId,
    String id,
    CampaignType type,
    CampaignStatus status,
    Instant startsAt,
    Instant endsAt,
    long spotsPerReferral,
    boolean requireVerification,
    String landingUrl,
    boolean qualifyingEvent,
    int velocityPerDay,
    boolean selfReferralCheck) {

  /** The rules of a campaign row, from its validated {@code settings}. */
  public static CampaignInfo of(
      String workspaceId,
      String id,
      CampaignType type,
      CampaignStatus status,
      Instant startsAt,
      Instant endsAt,
      JsonNode settings) {
    JsonNode landing = settings.path("landing_url");
    JsonNode fraud = settings.path("fraud");
    return new CampaignInfo(
        workspaceId,
        id,
        type,
        status,
        startsAt,
        endsAt,
        settings.path("spots_per_referral").asLong(CampaignSettings.DEFAULT_SPOTS_PER_REFERRAL),
        settings.path("require_verification").asBoolean(false),
        landing.isString() ? landing.asString() : null,
        settings.path("qualifying_event").isObject(),
        type == CampaignType.REFERRAL
            ? fraud.path("velocity_per_day").asInt(CampaignSettings.DEFAULT_VELOCITY_PER_DAY)
            : 0,
        type != CampaignType.REFERRAL || fraud.path("self_referral").asBoolean(true));
  }

  /**
   * Whether it is over at {@code at}: ended by its status, or past its {@code ends_at} whatever its
   * status says. Nobody joins it and no referral of it qualifies from then on, by any route.
   */
  public boolean isOverAt(Instant at) {
    return status == CampaignStatus.ENDED || (endsAt != null && !at.isBefore(endsAt));
  }

  /** Whether widget routes answer for it at {@code now} (SPEC §8). */
  public boolean isLive(Instant now) {
    return status == CampaignStatus.ACTIVE
        && (startsAt == null || !now.isBefore(startsAt))
        && (endsAt == null || now.isBefore(endsAt));
  }
}
