-- Social proof (SPEC §8) reads a campaign's most recent joins and counts the joins of a window
-- (io.growthos.core.campaigns.SocialProofFeeds): both walk this index from now backwards instead
-- of every participant of the campaign.
create index campaign_participants_created_idx
    on campaign_participants (workspace_id, campaign_id, created_at);
