package io.growthos.core.outbox;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every event type of SPEC §9 a webhook endpoint can subscribe to, the one list of them. Campaign
 * types are emitted by the campaign features as they land; {@link #WEBHOOK_TEST} is sent only by
 * {@code POST /v1/webhook-endpoints/{id}/test}, to that endpoint, and cannot be subscribed to.
 */
public enum EventType {
  CONTACT_CREATED("contact.created"),
  CONTACT_UPDATED("contact.updated"),
  CONTACT_DELETED("contact.deleted"),
  REFERRAL_CREATED("referral.created"),
  REFERRAL_QUALIFIED("referral.qualified"),
  REFERRAL_REJECTED("referral.rejected"),
  REWARD_CREATED("reward.created"),
  REWARD_APPROVED("reward.approved"),
  REWARD_FULFILLED("reward.fulfilled"),
  WAITLIST_JOINED("waitlist.joined"),
  WAITLIST_VERIFIED("waitlist.verified"),
  WAITLIST_ADMITTED("waitlist.admitted"),
  SURVEY_RESPONSE_COMPLETED("survey.response.completed"),
  CAMPAIGN_STATUS_CHANGED("campaign.status_changed"),
  API_KEY_ROLLED("api_key.rolled"),
  API_KEY_REVOKED("api_key.revoked"),
  WEBHOOK_TEST("webhook.test");

  /** What an endpoint's {@code events} may hold besides exact types: every type. */
  public static final String ALL = "*";

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire, e.g. {@code contact.created}. */
  public String wireName() {
    return wireName;
  }

  /** Whether an endpoint may list this type in its {@code events}. */
  public boolean subscribable() {
    return this != WEBHOOK_TEST;
  }

  public static Optional<EventType> ofWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  /** The wire names an endpoint may subscribe to, for validation messages and docs. */
  public static List<String> subscribableNames() {
    return Arrays.stream(values()).filter(EventType::subscribable).map(t -> t.wireName).toList();
  }
}
