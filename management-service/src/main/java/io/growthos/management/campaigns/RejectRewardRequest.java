package io.growthos.management.campaigns;

import io.swagger.v3.oas.annotations.media.Schema;

/** Optional body of {@code POST /v1/campaigns/{id}/rewards/{rid}/reject}. */
@Schema(name = "RejectReward")
public record RejectRewardRequest(
    @Schema(description = "Why the reward is refused (at most 500 characters)") String reason) {}
