package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ReferralContextTests {

  @Test
  void readsTheCodeFromReferralCodeThenPageSearchThenPageUrl() {
    assertThat(ReferralContext.code("{\"referral_code\": \" K7M2Q9TX \"}")).hasValue("K7M2Q9TX");
    assertThat(ReferralContext.code("{\"page\": {\"search\": \"?utm_source=x&ref=abc12345\"}}"))
        .hasValue("abc12345");
    assertThat(
            ReferralContext.code(
                "{\"page\": {\"url\": \"https://example.com/join?a=1&ref=AB%2DCD#frag\"}}"))
        .hasValue("AB-CD");
    assertThat(
            ReferralContext.code(
                "{\"referral_code\": \"FIRST\", \"page\": {\"search\": \"?ref=SECOND\"}}"))
        .hasValue("FIRST");
  }

  @Test
  void findsNoCodeWhereThereIsNone() {
    assertThat(ReferralContext.code(null)).isEmpty();
    assertThat(ReferralContext.code("{\"page\": {\"url\": \"https://example.com/?x=1\"}}"))
        .isEmpty();
    assertThat(ReferralContext.code("{\"page\": {\"search\": \"?pref=abc\"}}")).isEmpty();
    assertThat(ReferralContext.code("{\"page\": {\"search\": \"?ref=\"}}")).isEmpty();
    assertThat(ReferralContext.code("{\"page\": {\"url\": \"not a url ref=x\"}}")).isEmpty();
    assertThat(ReferralContext.mayCarryCode("{\"page\": {\"url\": \"https://example.com/\"}}"))
        .isFalse();
  }

  @Test
  void readsIpAndUserAgent() {
    assertThat(ReferralContext.ipAndUserAgent("{\"ip\": \"1.2.3.4\", \"userAgent\": \"UA\"}"))
        .containsExactly("1.2.3.4", "UA");
    assertThat(ReferralContext.ipAndUserAgent("{}")).containsExactly(null, null);
  }

  @Test
  void rulesFireOnMultiplesOfEveryOrOnMilestones() {
    JsonMapper json = JsonMapper.builder().build();
    var every3 = json.readTree("{\"every\": 3, \"milestones\": null}");
    assertThat(Rewards.fires(every3, 2)).isFalse();
    assertThat(Rewards.fires(every3, 3)).isTrue();
    assertThat(Rewards.fires(every3, 6)).isTrue();
    var milestones = json.readTree("{\"every\": null, \"milestones\": [1, 5]}");
    assertThat(Rewards.fires(milestones, 1)).isTrue();
    assertThat(Rewards.fires(milestones, 2)).isFalse();
    assertThat(Rewards.fires(milestones, 5)).isTrue();
    assertThat(Rewards.fires(milestones, 10)).isFalse();
  }
}
