-- Surveys (docs/surveys.md): a display or dismissal may carry the widget's own id for it
-- (interaction_id, minted per display and per dismissal), so a retried post is recorded once.
-- Rows without one (older widgets, direct API calls) are counts, as before.
alter table survey_interactions add column interaction_id text collate "C";
create unique index survey_interactions_client_id_uq
    on survey_interactions (workspace_id, campaign_id, kind, interaction_id)
    where interaction_id is not null;
