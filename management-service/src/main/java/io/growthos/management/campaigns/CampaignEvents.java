package io.growthos.management.campaigns;

import io.growthos.core.campaigns.CampaignStatus;
import io.growthos.core.outbox.EventType;
import io.growthos.core.outbox.Outbox;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhook events of campaign changes made only by this service, written to the outbox inside
 * the transaction that makes the change. Participant, referral and reward events ({@code
 * waitlist.*}, {@code referral.*}, {@code reward.*}) are written by the shared rules in growth-core
 * ({@code Participants}, {@code Rewards}) where each change happens, so joins through the Ingest
 * API's widget routes and ingest attribution emit them too.
 */
@Component
class CampaignEvents {

  private final Outbox outbox;
  private final JsonMapper json;

  CampaignEvents(Outbox outbox, JsonMapper json) {
    this.outbox = outbox;
    this.json = json;
  }

  /** {@code campaign.status_changed}, with the campaign as the API returns it after the change. */
  void statusChanged(
      String workspaceId, CampaignResponse campaign, CampaignStatus from, CampaignStatus to) {
    if (from != to) {
      outbox.emit(
          workspaceId, EventType.CAMPAIGN_STATUS_CHANGED, json.writeValueAsString(campaign));
    }
  }
}
