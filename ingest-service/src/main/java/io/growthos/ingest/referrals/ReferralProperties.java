package io.growthos.ingest.referrals;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Referral attribution ({@code growthos.ingest.referrals.*}, docs/campaigns.md#attribution).
 *
 * @param enabled whether this copy runs the attribution worker (the inbox is written either way)
 * @param pollInterval pause between two drains of the inbox: with an idle inbox, the longest a
 *     stored event waits before it is attributed
 * @param batchSize inbox rows claimed per transaction
 * @param watchRefresh how often the qualifying event names the write path filters on are reloaded
 * @param unresolvedRetention how long an event carrying a code is retried while its caller is not a
 *     contact yet (an anonymous visitor who has not been identified)
 * @param maxRetryDelay the longest pause between two such retries (the delay doubles from 1 s)
 */
@ConfigurationProperties("growthos.ingest.referrals")
public record ReferralProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("250ms") Duration pollInterval,
    @DefaultValue("500") int batchSize,
    @DefaultValue("5s") Duration watchRefresh,
    @DefaultValue("7d") Duration unresolvedRetention,
    @DefaultValue("5m") Duration maxRetryDelay) {}
