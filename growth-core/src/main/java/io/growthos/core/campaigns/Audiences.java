package io.growthos.core.campaigns;

import io.growthos.core.filter.Filter;
import io.growthos.core.filter.FilterParser;
import io.growthos.core.filter.FilterSql;
import io.growthos.core.filter.SegmentResolver;
import io.growthos.core.filter.SqlFragment;
import io.growthos.model.errors.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Whether a contact is in a campaign's audience (a segment id or a filter, as stored), with the
 * filter compiler segments use: the one rule for who is shown a survey and who may join a referral
 * program or a waitlist. No audience: everyone; an audience and no contact: no.
 */
public final class Audiences {

  private static final Logger log = LoggerFactory.getLogger(Audiences.class);

  private final JdbcTemplate jdbc;
  private final FilterSql filters = new FilterSql(Clock.systemUTC());

  public Audiences(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** The stored audience of a campaign ({@code campaigns.audience}), null for everyone. */
  public JsonNode of(String workspaceId, String campaignId) {
    List<String> stored =
        jdbc.query(
            "select audience::text from campaigns where workspace_id = ? and id = ?",
            (rs, i) -> rs.getString(1),
            workspaceId,
            campaignId);
    String text = stored.isEmpty() ? null : stored.get(0);
    return text == null ? null : CampaignPayloadsJson.read(text);
  }

  /**
   * Whether {@code contactId} (null: no contact) is in {@code audience} (null or JSON null:
   * everyone). An audience that cannot be evaluated (a segment it names grew past the filter
   * limits) holds nobody.
   */
  public boolean contains(
      String workspaceId, String campaignId, JsonNode audience, String contactId) {
    if (audience == null || audience.isNull()) {
      return true;
    }
    if (contactId == null) {
      return false;
    }
    try {
      Filter filter =
          audience.isString()
              ? new Filter.SegmentRef(audience.asString())
              : FilterParser.parseStored(audience, "audience");
      SqlFragment where = filters.compile(filter, workspaceId, segments(workspaceId));
      List<Object> params = new ArrayList<>();
      params.add(workspaceId);
      params.add(contactId);
      params.addAll(where.params());
      return !jdbc.queryForList(
              "select 1 from contacts c where c.workspace_id = ? and c.id = ? and " + where.sql(),
              Integer.class,
              params.toArray())
          .isEmpty();
    } catch (ApiException e) {
      // A segment it names grew past the filter limits since (or was deleted before 2026-12-07,
      // when deleting a segment an audience names became a 422): nobody is in it.
      log.warn("Audience of campaign {} cannot be evaluated: {}", campaignId, e.getMessage());
      return false;
    }
  }

  private SegmentResolver segments(String workspaceId) {
    Map<String, Optional<Filter>> cache = new HashMap<>();
    return id ->
        cache.computeIfAbsent(
            id,
            k ->
                jdbc
                    .query(
                        "select filter::text from segments where workspace_id = ? and id = ?",
                        (rs, n) -> rs.getString(1),
                        workspaceId,
                        k)
                    .stream()
                    .findFirst()
                    .map(f -> FilterParser.parseStored(CampaignPayloadsJson.read(f), "filter")));
  }
}
