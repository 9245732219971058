package io.growthos.management.campaigns;

import io.growthos.core.campaigns.CampaignStatus;
import org.springframework.stereotype.Component;

/**
 * The one place each campaign state change passes through, called inside the transaction that makes
 * the change. Today it does nothing; the webhook outbox (SPEC §9) adds its rows here so that {@code
 * campaign.status_changed}, {@code waitlist.*} and {@code referral.*} events are written atomically
 * with the change that caused them.
 */
@Component
class CampaignEvents {

  /** {@code campaign.status_changed}. */
  void statusChanged(
      String workspaceId, String campaignId, CampaignStatus from, CampaignStatus to) {
    // Hook for the webhook outbox.
  }

  /**
   * {@code waitlist.joined} (waitlists); referral programs' participant creation also lands here.
   */
  void participantJoined(String workspaceId, String campaignId, String participantId) {
    // Hook for the webhook outbox.
  }

  /** {@code waitlist.verified}. */
  void participantVerified(String workspaceId, String campaignId, String participantId) {
    // Hook for the webhook outbox.
  }

  /** {@code waitlist.admitted}. */
  void participantAdmitted(String workspaceId, String campaignId, String participantId) {
    // Hook for the webhook outbox.
  }

  /** {@code referral.created}. */
  void referralCreated(String workspaceId, String campaignId, String referralId) {
    // Hook for the webhook outbox.
  }

  /** {@code referral.qualified}. */
  void referralQualified(String workspaceId, String campaignId, String referralId) {
    // Hook for the webhook outbox.
  }

  /** {@code referral.rejected}. */
  void referralRejected(String workspaceId, String campaignId, String referralId, String reason) {
    // Hook for the webhook outbox.
  }
}
