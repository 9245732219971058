package io.growthos.core.campaigns;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A campaign's lifecycle: {@code draft → active ↔ paused → ended}. A draft may also be ended
 * (abandoned) without ever running; {@code ended} is final. Staying in the same status is not a
 * transition and always allowed.
 */
public enum CampaignStatus {
  DRAFT("draft"),
  ACTIVE("active"),
  PAUSED("paused"),
  ENDED("ended");

  private final String wireName;

  CampaignStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<CampaignStatus> ofWireName(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }

  /** The statuses this one may move to. */
  public Set<CampaignStatus> next() {
    return switch (this) {
      case DRAFT -> EnumSet.of(ACTIVE, ENDED);
      case ACTIVE -> EnumSet.of(PAUSED, ENDED);
      case PAUSED -> EnumSet.of(ACTIVE, ENDED);
      case ENDED -> EnumSet.noneOf(CampaignStatus.class);
    };
  }

  public boolean canMoveTo(CampaignStatus target) {
    return target == this || next().contains(target);
  }

  /** {@code target}, or 422 naming {@code status} when the move is not allowed. */
  public CampaignStatus moveTo(CampaignStatus target) {
    if (!canMoveTo(target)) {
      String allowed =
          next().isEmpty()
              ? "none: an ended campaign is final"
              : String.join(", ", next().stream().map(CampaignStatus::wireName).sorted().toList());
      String message =
          withArticle(wireName)
              + " campaign cannot become "
              + target.wireName
              + " (allowed: "
              + allowed
              + ").";
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          message,
          List.of(ErrorDetail.of("status", "invalid_transition", message)));
    }
    return target;
  }

  /** "A draft", "An active": a state's name after its indefinite article, to start a sentence. */
  static String withArticle(String word) {
    return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "An " : "A ") + word;
  }
}
