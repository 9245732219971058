package io.growthos.core.campaigns;

/**
 * The status a campaign had at a past instant, from its history ({@code campaign_status_changes},
 * written by triggers on {@code campaigns}: migration V71). Ingest attribution judges an event by
 * the status its program had when the event was received, not by the status when the worker reaches
 * it, as it already judged the program's dates.
 */
final class CampaignStatusAt {

  private CampaignStatusAt() {}

  /**
   * A SQL expression for the status of the campaign row aliased {@code alias} at the instant bound
   * to its one parameter ({@code timestamptz}); {@code draft} (neither live nor over) before the
   * campaign existed.
   */
  static String of(String alias) {
    if (!alias.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("alias");
    }
    return "coalesce((select h.status from campaign_status_changes h where h.workspace_id = "
        + alias
        + ".workspace_id and h.campaign_id = "
        + alias
        + ".id and h.changed_at <= ?::timestamptz order by h.changed_at desc limit 1), 'draft')";
  }
}
