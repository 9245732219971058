package io.growthos.model.ids;

/** The type prefix of each kind of id (SPEC §2). */
public enum IdPrefix {
  WORKSPACE("ws"),
  API_KEY("key"),
  CONTACT("cntct"),
  GROUP("grp"),
  EVENT("evt"),
  SEGMENT("seg"),
  REQUEST("req"),
  CAMPAIGN("cmp"),
  PARTICIPANT("part"),
  REFERRAL("refl"),
  REWARD("rwd"),
  WEBHOOK_ENDPOINT("we"),
  WEBHOOK_DELIVERY("dlv");

  private final String prefix;

  IdPrefix(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }
}
