package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import org.junit.jupiter.api.Test;

class CampaignStatusTests {

  @Test
  void followsDraftActivePausedEnded() {
    assertThat(CampaignStatus.DRAFT.moveTo(CampaignStatus.ACTIVE)).isEqualTo(CampaignStatus.ACTIVE);
    assertThat(CampaignStatus.ACTIVE.canMoveTo(CampaignStatus.PAUSED)).isTrue();
    assertThat(CampaignStatus.PAUSED.canMoveTo(CampaignStatus.ACTIVE)).isTrue();
    assertThat(CampaignStatus.PAUSED.canMoveTo(CampaignStatus.ENDED)).isTrue();
    assertThat(CampaignStatus.ACTIVE.canMoveTo(CampaignStatus.ACTIVE)).isTrue();
  }

  @Test
  void refusesGoingBackOrLeavingEnded() {
    assertThat(CampaignStatus.ACTIVE.canMoveTo(CampaignStatus.DRAFT)).isFalse();
    assertThat(CampaignStatus.DRAFT.canMoveTo(CampaignStatus.PAUSED)).isFalse();
    for (CampaignStatus s : CampaignStatus.values()) {
      assertThat(CampaignStatus.ENDED.canMoveTo(s)).isEqualTo(s == CampaignStatus.ENDED);
    }
    assertThatThrownBy(() -> CampaignStatus.ENDED.moveTo(CampaignStatus.ACTIVE))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.details().get(0).field()).isEqualTo("status");
            });
  }
}
