package io.growthos.management.analytics;

import io.growthos.core.filter.Filter;
import io.growthos.core.filter.FilterSql;
import io.growthos.core.filter.SegmentResolver;
import io.growthos.core.filter.SqlFragment;
import io.growthos.management.segments.SegmentService;
import io.growthos.platform.web.Errors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs analytics queries of the caller's workspace on the {@link AnalyticsDatabase}: validates the
 * request, compiles its property conditions and contact filter with the filter grammar, and runs
 * the SQL of its kind.
 */
@Service
public class AnalyticsService {

  private final AnalyticsDatabase db;
  private final JsonMapper json;
  private final Clock clock;
  private final FilterSql grammar;
  private final Function<String, SegmentResolver> segments;

  @Autowired
  AnalyticsService(AnalyticsDatabase db, JsonMapper json, SegmentService segments) {
    this(db, json, Clock.systemUTC(), segments::resolverFor);
  }

  AnalyticsService(
      AnalyticsDatabase db,
      JsonMapper json,
      Clock clock,
      Function<String, SegmentResolver> segments) {
    this.db = db;
    this.json = json;
    this.clock = clock;
    this.segments = segments;
    this.grammar = new FilterSql(clock);
  }

  /**
   * Runs {@code request}. {@code readsContacts}: whether the caller also holds {@code
   * contacts:read}, which a breakdown by a contact's trait needs (its values are the contacts'
   * data: a breakdown of a segment by {@code traits.email} lists the members' addresses). Event
   * names, property keys and the values of events' properties are the query's own data.
   */
  public AnalyticsResponse query(
      String workspaceId, AnalyticsQueryRequest request, boolean readsContacts) {
    return db.read(
        c -> {
          Query q =
              QueryParser.parse(
                  request, () -> workspaceZone(c, workspaceId), clock.instant(), json);
          if (!readsContacts && breakdownByTrait(q)) {
            throw Errors.missingScopes(
                "A breakdown by a contact's trait answers the contacts' values: this key lacks the"
                    + " scope 'contacts:read' that it needs as well as 'analytics:read'.",
                List.of("contacts:read"));
          }
          if (q instanceof Query.Trends t) {
            return QueryEngine.trends(
                c, workspaceId, t, grammar, contacts(workspaceId, t.filter()));
          } else if (q instanceof Query.Funnel f) {
            return QueryEngine.funnel(
                c, workspaceId, f, grammar, contacts(workspaceId, f.filter()));
          } else if (q instanceof Query.Retention r) {
            return QueryEngine.retention(
                c, workspaceId, r, contacts(workspaceId, r.filter()), clock.instant());
          }
          return QueryEngine.counts(c, workspaceId, (Query.Counts) q);
        });
  }

  private static boolean breakdownByTrait(Query q) {
    Query.Breakdown b =
        q instanceof Query.Trends t
            ? t.breakdown()
            : q instanceof Query.Funnel f ? f.breakdown() : null;
    return b != null && b.byTrait();
  }

  /** The contact filter's predicate; {@code {"segment"}} leaves resolve to saved segments. */
  private Sql contacts(String workspaceId, Filter filter) {
    if (filter == null) {
      return null;
    }
    SqlFragment f = grammar.compile(filter, workspaceId, segments.apply(workspaceId));
    return new Sql().append(f.sql(), f.params());
  }

  private static String workspaceZone(Connection c, String workspaceId) {
    try (PreparedStatement ps =
        c.prepareStatement("select timezone from workspaces where id = ?")) {
      ps.setString(1, workspaceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "UTC";
      }
    } catch (SQLException e) {
      throw new IllegalStateException("workspace time zone", e);
    }
  }
}
