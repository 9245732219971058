package io.growthos.ingest.widgets;

import io.growthos.core.campaigns.CampaignInfo;
import io.growthos.core.campaigns.JoinResult;
import org.springframework.stereotype.Component;

/**
 * The hook each join through a widget passes, inside its transaction, so that the webhook events of
 * a join ({@code waitlist.joined}, {@code referral.created|qualified|rejected}) can be written to
 * the outbox atomically with it, as the Management API's {@code CampaignEvents} does for joins made
 * there. Today it does nothing: the campaign webhook events are built elsewhere (issue 11); wire
 * them here too.
 */
@Component
class WidgetJoinEvents {

  /**
   * A join; {@code joined.created()} is false for a replay (same client_id), which emits nothing.
   */
  void joined(CampaignInfo campaign, JoinResult joined) {
    // Hook for the webhook outbox.
  }
}
