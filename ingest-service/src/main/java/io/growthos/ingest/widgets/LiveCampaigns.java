package io.growthos.ingest.widgets;

import io.growthos.core.campaigns.CampaignInfo;
import io.growthos.core.campaigns.CampaignStatus;
import io.growthos.core.campaigns.CampaignType;
import io.growthos.model.errors.ApiException;
import io.growthos.model.values.SqlInstants;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The campaign a widget route is about, when it may answer for it (SPEC §8): one of the key's
 * workspace, of a type the route serves, {@code active} and inside its dates. Anything else (no
 * such id, another workspace's, a draft, paused or ended one, one outside its dates, another type)
 * is the same 404, so nothing can be learned about campaigns that are not live. For every widget
 * route that takes a campaign id.
 */
@Component
public class LiveCampaigns {

  /**
   * A live campaign.
   *
   * @param info its rules (growth-core)
   * @param settings its validated settings, defaults filled in: read what a browser may see only
   */
  public record LiveCampaign(CampaignInfo info, String name, JsonNode settings) {}

  private final JdbcTemplate jdbc;
  private final JsonMapper json;

  LiveCampaigns(JdbcTemplate jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The campaign if it is live and of one of {@code types}, else 404 {@code not_found}. */
  public LiveCampaign require(String workspaceId, String campaignId, Set<CampaignType> types) {
    List<LiveCampaign> rows =
        jdbc.query(
            "select id, type, status, name, starts_at, ends_at, settings::text as settings from"
                + " campaigns where workspace_id = ? and id = ?",
            (rs, i) -> {
              JsonNode settings = json.readTree(rs.getString("settings"));
              CampaignInfo info =
                  CampaignInfo.of(
                      workspaceId,
                      rs.getString("id"),
                      CampaignType.ofWireName(rs.getString("type")).orElseThrow(),
                      CampaignStatus.ofWireName(rs.getString("status")).orElseThrow(),
                      SqlInstants.get(rs, "starts_at"),
                      SqlInstants.get(rs, "ends_at"),
                      settings);
              return new LiveCampaign(info, rs.getString("name"), settings);
            },
            workspaceId,
            campaignId);
    if (rows.isEmpty()
        || !rows.get(0).info().isLive(Instant.now())
        || !types.contains(rows.get(0).info().type())) {
      throw ApiException.notFound("campaign", campaignId, "id");
    }
    return rows.get(0);
  }
}
