package io.growthos.core.campaigns;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of campaign (SPEC §8), by their wire names. */
public enum CampaignType {
  REFERRAL("referral"),
  WAITLIST("waitlist"),
  SURVEY("survey"),
  SOCIAL_PROOF("social_proof");

  private final String wireName;

  CampaignType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<CampaignType> ofWireName(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  /** Whether campaigns of this type have participants, codes and referrals. */
  public boolean hasParticipants() {
    return this == REFERRAL || this == WAITLIST;
  }
}
