/**
 * The social-proof widget route of the Ingest API ({@code GET /v1/widgets/campaigns/{id}/feed},
 * SPEC §8): the masked feed of a live {@code social_proof} campaign, computed by growth-core's
 * {@link io.growthos.core.campaigns.SocialProofFeeds} and cached per campaign for a few seconds so
 * that serving it to every page view costs a map lookup.
 */
package io.growthos.ingest.widgets.socialproof;
