package io.growthos.management.analytics;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Runs analytics queries of the caller's workspace on the {@link AnalyticsDatabase}. */
@Service
public class AnalyticsService {

  private final AnalyticsDatabase db;
  private final Optional<ContactFilters> filters;
  private final JsonMapper json;
  private final Clock clock;

  @Autowired
  AnalyticsService(AnalyticsDatabase db, ObjectProvider<ContactFilters> filters, JsonMapper json) {
    this(db, Optional.ofNullable(filters.getIfAvailable()), json, Clock.systemUTC());
  }

  AnalyticsService(
      AnalyticsDatabase db, Optional<ContactFilters> filters, JsonMapper json, Clock clock) {
    this.db = db;
    this.filters = filters;
    this.json = json;
    this.clock = clock;
  }

  public AnalyticsResponse query(String workspaceId, AnalyticsQueryRequest request) {
    return db.read(
        c -> {
          Query q =
              QueryParser.parse(
                  request, () -> workspaceZone(c, workspaceId), clock.instant(), json);
          if (q instanceof Query.Trends t) {
            return QueryEngine.trends(c, workspaceId, t, filter(workspaceId, t));
          } else if (q instanceof Query.Funnel f) {
            return QueryEngine.funnel(c, workspaceId, f);
          } else if (q instanceof Query.Retention r) {
            return QueryEngine.retention(c, workspaceId, r);
          }
          return QueryEngine.counts(c, workspaceId, (Query.Counts) q);
        });
  }

  private Sql filter(String workspaceId, Query.Trends t) {
    if (t.filter() == null) {
      return null;
    }
    return filters
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.VALIDATION_ERROR,
                    "Contact filters are not available in this version.",
                    List.of(
                        io.growthos.model.errors.ErrorDetail.of(
                            "filter",
                            "not_supported",
                            "Contact filters are not available in this version."))))
        .compile(workspaceId, t.filter(), "filter");
  }

  private static String workspaceZone(java.sql.Connection c, String workspaceId) {
    try (PreparedStatement ps =
        c.prepareStatement("select timezone from workspaces where id = ?")) {
      ps.setString(1, workspaceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "UTC";
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("workspace time zone", e);
    }
  }
}
