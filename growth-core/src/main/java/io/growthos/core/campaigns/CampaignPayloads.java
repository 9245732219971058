package io.growthos.core.campaigns;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhook payloads of campaign events (SPEC §9): the resource as the Management API returns it
 * ({@code GET …/participants/{pid}}, {@code …/referrals}, {@code …/rewards/{rid}}), snake_case,
 * timestamps as RFC 3339 with millis (what the Management API writes for an {@link Instant}). Built
 * here so that both services emit the same documents; {@code CampaignPayloadTests} of the
 * Management API compares them with its responses.
 */
public final class CampaignPayloads {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** RFC 3339 UTC with exactly three fractional digits, as the Management API writes (SPEC §2). */
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private CampaignPayloads() {}

  /**
   * A participant as {@code GET /v1/campaigns/{id}/participants/{pid}} returns it. {@code
   * verificationToken} is given only in {@code waitlist.joined}: the application sends it to the
   * person by e-mail (SPEC §8); the participant token (a browser's bearer secret) never is.
   */
  public static String participant(CampaignInfo campaign, Participant p, String verificationToken) {
    boolean waitlist = campaign.type() == CampaignType.WAITLIST;
    ObjectNode o = JSON.createObjectNode();
    o.put("id", p.id());
    o.put("object", "participant");
    o.put("campaign_id", p.campaignId());
    o.put("contact_id", p.contactId());
    o.put("email", p.email());
    o.put("referral_code", p.referralCode());
    o.put("share_url", ShareUrls.of(campaign.landingUrl(), p.referralCode()));
    o.put("referred_by", p.referredBy());
    o.put("qualified_referrals", p.qualifiedReferrals());
    o.put("position", waitlist ? p.position() : null);
    o.put("people_ahead", waitlist ? p.ahead() : null);
    o.put("total_waiting", waitlist ? p.waiting() : null);
    o.put("verified_at", text(p.verifiedAt()));
    o.put("admitted_at", text(p.admittedAt()));
    o.put("created_at", text(p.createdAt()));
    o.putNull("participant_token");
    o.put("verification_token", verificationToken);
    return JSON.writeValueAsString(o);
  }

  /** A referral as {@code GET /v1/campaigns/{id}/referrals} lists it. */
  public static String referral(Referral r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", r.id());
    o.put("object", "referral");
    o.put("campaign_id", r.campaignId());
    o.put("referrer", r.referrer());
    o.put("referee", r.referee());
    o.put("referee_participant", r.refereeParticipant());
    o.put("state", r.state());
    o.put("reason", r.reason());
    o.put("source", r.source());
    o.put("created_at", text(r.createdAt()));
    o.put("qualified_at", text(r.qualifiedAt()));
    return JSON.writeValueAsString(o);
  }

  /** A reward as {@code GET /v1/campaigns/{id}/rewards/{rid}} returns it. */
  public static String reward(Reward r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", r.id());
    o.put("object", "reward");
    o.put("campaign_id", r.campaignId());
    o.put("referral_id", r.referralId());
    o.put("rule_index", r.ruleIndex());
    o.put("side", r.side());
    o.put("referrer", r.referrer());
    o.put("participant_id", r.participantId());
    o.put("contact_id", r.contactId());
    o.put("type", r.type());
    o.put("amount", r.amount());
    o.put("currency", r.currency());
    o.put("description", r.description());
    o.put("state", r.state());
    o.put("reason", r.reason());
    o.put("version", r.version());
    o.put("created_at", text(r.createdAt()));
    o.put("approved_at", text(r.approvedAt()));
    o.put("fulfilled_at", text(r.fulfilledAt()));
    o.put("rejected_at", text(r.rejectedAt()));
    o.put("updated_at", text(r.updatedAt()));
    return JSON.writeValueAsString(o);
  }

  private static String text(Instant instant) {
    return instant == null ? null : FORMAT.format(instant);
  }
}
