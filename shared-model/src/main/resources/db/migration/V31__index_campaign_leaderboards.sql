-- Leaderboards (io.growthos.core.campaigns.Leaderboard). The widget route shows the top 10 on
-- every page view, so the all-time board is read from an index in rank order (most qualified
-- referrals first, ties by join order) instead of sorting the campaign's participants.
create index campaign_participants_leaderboard_idx
    on campaign_participants (workspace_id, campaign_id, qualified_referrals desc, join_seq)
    where qualified_referrals > 0;

-- The monthly board counts referrals qualified since the start of the month.
create index referrals_qualified_at_idx
    on referrals (workspace_id, campaign_id, qualified_at)
    where qualified_at is not null;
