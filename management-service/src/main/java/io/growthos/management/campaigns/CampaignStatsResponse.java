package io.growthos.management.campaigns;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** Counts of one campaign. */
@Schema(name = "CampaignStats")
public record CampaignStatsResponse(
    String campaignId,
    long participants,
    @Schema(description = "Waitlists: participants not yet admitted") long waiting,
    long admitted,
    @Schema(description = "Participants whose e-mail is verified") long verified,
    @Schema(description = "Participants who joined through someone's code (any referral state)")
        long referred,
    @Schema(description = "Referrals by state: pending, qualified, rewarded, rejected")
        Map<String, Long> referrals,
    @Schema(description = "(qualified + rewarded) / all referrals; 0 when there are none")
        double conversionRate) {}
