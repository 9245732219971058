package io.growthos.management.segments;

import io.growthos.core.filter.Filter;
import io.growthos.core.filter.FilterParser;
import io.growthos.core.filter.FilterSql;
import io.growthos.core.filter.SegmentResolver;
import io.growthos.core.filter.SqlFragment;
import io.growthos.management.contacts.ContactResponse;
import io.growthos.management.contacts.ContactService;
import io.growthos.management.paging.Cursors;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.PageRequest;
import io.growthos.management.query.ReadQueries;
import io.growthos.management.web.Preconditions;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.values.SqlInstants;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Segments of the caller's workspace: stored filters, evaluated live by compiling them with {@link
 * FilterSql} and running the SQL on the JDBC read path ({@link ReadQueries}, with its statement
 * timeout). Every query is bounded by the workspace; another workspace's segment is 404.
 */
@Service
public class SegmentService {

  private static final Logger log = LoggerFactory.getLogger(SegmentService.class);

  static final String LIST = "segments";
  static final String CONTACTS = "segment_contacts";
  static final String CONTACT_SEGMENTS = "contact_segments";
  static final int PREVIEW_SAMPLE = 10;

  /** Segments evaluated for one contact per query by {@link #segmentsOf}. */
  private static final int MEMBERSHIP_BATCH = 50;

  private final JdbcTemplate jdbc;
  private final ReadQueries reads;
  private final ContactService contacts;
  private final Cursors cursors;
  private final FilterSql compiler;
  // Decimals as BigDecimal: a saved 0.1000000000000000000001 must not run as a double.
  private final JsonMapper json =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  SegmentService(
      JdbcTemplate jdbc,
      ReadQueries reads,
      ContactService contacts,
      Cursors cursors,
      Optional<Clock> clock) {
    this.jdbc = jdbc;
    this.reads = reads;
    this.contacts = contacts;
    this.cursors = cursors;
    this.compiler = new FilterSql(clock.orElse(Clock.systemUTC()));
  }

  private record Row(
      String id,
      String name,
      String description,
      String filter,
      int version,
      java.time.Instant createdAt,
      java.time.Instant updatedAt) {}

  private static Row row(ResultSet rs, int n) throws SQLException {
    return new Row(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("description"),
        rs.getString("filter"),
        rs.getInt("version"),
        SqlInstants.get(rs, "created_at"),
        SqlInstants.get(rs, "updated_at"));
  }

  private SegmentResponse view(Row r) {
    return new SegmentResponse(
        r.id(),
        "segment",
        r.name(),
        r.description(),
        json.readTree(r.filter()),
        r.version(),
        r.createdAt(),
        r.updatedAt());
  }

  // --- CRUD ------------------------------------------------------------------------------------

  @Transactional
  public SegmentResponse create(String workspaceId, CreateSegmentRequest request) {
    Filter filter = FilterParser.parse(request.filter(), "filter");
    String id = Ids.next(IdPrefix.SEGMENT);
    lockReferenceGraph(workspaceId);
    // Checks references: unknown segments and cycles are 422 (a new id cannot close a cycle).
    compiler.compile(filter, workspaceId, resolver(workspaceId, Map.of()));
    jdbc.update(
        "insert into segments (workspace_id, id, name, description, filter)"
            + " values (?, ?, ?, ?, ?::jsonb)",
        workspaceId,
        id,
        request.name(),
        request.description(),
        json.writeValueAsString(request.filter()));
    return view(find(workspaceId, id));
  }

  /**
   * Checks a filter that another resource stores (a campaign's audience) as a segment's own filter
   * is checked: the segments it names exist in the workspace, without cycles, and inlined they stay
   * within the filter limits. 422 {@code unknown_segment} (or {@code segment_cycle}), or 400,
   * naming {@code field}. Call it in the transaction that stores the filter: it holds the
   * workspace's reference lock until that transaction ends, so a segment deleted at the same moment
   * is either seen gone here (422) or refused as in use ({@link #delete}).
   */
  @Transactional
  public void checkReferences(String workspaceId, Filter filter, String field) {
    lockReferenceGraph(workspaceId);
    compiler.compile(filter, workspaceId, resolver(workspaceId, Map.of()), field);
  }

  @Transactional(readOnly = true)
  public SegmentResponse get(String workspaceId, String id) {
    return view(find(workspaceId, id));
  }

  @Transactional(readOnly = true)
  public Page<SegmentResponse> list(String workspaceId, int limit, String cursor) {
    PageRequest.checkLimit(limit);
    String before =
        cursor == null || cursor.isEmpty() ? null : cursors.decode(cursor, LIST, workspaceId, "");
    List<Row> rows =
        jdbc.query(
            "select * from segments where workspace_id = ?"
                + (before == null ? "" : " and id < ?")
                + " order by id desc limit ?",
            SegmentService::row,
            before == null
                ? new Object[] {workspaceId, limit + 1}
                : new Object[] {workspaceId, before, limit + 1});
    return Page.of(
        rows,
        limit,
        Row::id,
        last -> cursors.encode(LIST, workspaceId, "", last),
        page -> page.stream().map(this::view).toList());
  }

  @Transactional
  public SegmentResponse update(
      String workspaceId, String id, UpdateSegmentRequest request, Integer ifMatch) {
    if (request.getFilter() != null) {
      lockReferenceGraph(workspaceId);
    }
    Row current = findForUpdate(workspaceId, id);
    Preconditions.check(current.version(), ifMatch, request.getVersion());
    String filterJson = current.filter();
    if (request.getFilter() != null) {
      // The filter as GET returned it is taken back as stored, so a date saved before filter dates
      // were strict (2026-12-08) does not make a rename that sends it back a 400.
      Filter filter =
          request.getFilter().equals(json.readTree(current.filter()))
              ? FilterParser.parseStored(request.getFilter(), "filter")
              : FilterParser.parse(request.getFilter(), "filter");
      // Inline this segment with its new filter: a reference back to it is a cycle (422).
      compiler.compile(
          new Filter.SegmentRef(id), workspaceId, resolver(workspaceId, Map.of(id, filter)));
      checkReferrers(workspaceId, id, filter);
      filterJson = json.writeValueAsString(request.getFilter());
    }
    String name = request.getName() != null ? request.getName() : current.name();
    String description =
        request.isDescriptionPresent() ? request.getDescription() : current.description();
    if (name.equals(current.name())
        && java.util.Objects.equals(description, current.description())
        && json.readTree(filterJson).equals(json.readTree(current.filter()))) {
      return view(current); // nothing changes, so neither do version and updated_at
    }
    int updated =
        jdbc.update(
            "update segments set name = ?, description = ?, filter = ?::jsonb,"
                + " version = version + 1, updated_at = now()"
                + " where workspace_id = ? and id = ? and version = ?",
            name,
            description,
            filterJson,
            workspaceId,
            id,
            current.version());
    if (updated != 1) {
      throw Preconditions.versionConflict(current.version(), request.getVersion());
    }
    return view(find(workspaceId, id));
  }

  /**
   * Deletes a segment; 422 {@code segment_in_use} while another segment's filter or a campaign's
   * audience refers to it (naming them): a survey whose audience named a deleted segment could not
   * be evaluated and would be shown to nobody.
   */
  @Transactional
  public void delete(String workspaceId, String id) {
    lockReferenceGraph(workspaceId);
    findForUpdate(workspaceId, id);
    // Segments, then campaigns (an audience is a segment id, a JSON string, or a filter that may
    // name it anywhere), each by id, in one round trip.
    List<Use> uses =
        jdbc.query(
            "select false as campaign, id from segments where workspace_id = ? and id <> ?"
                + " and jsonb_path_exists(filter, '$.** ? (@.segment == $id)',"
                + " jsonb_build_object('id', ?::text))"
                + " union all"
                + " select true, id from campaigns where workspace_id = ?"
                + " and (audience = to_jsonb(?::text) or jsonb_path_exists(audience,"
                + " '$.** ? (@.segment == $id)', jsonb_build_object('id', ?::text)))"
                + " order by campaign, id",
            (rs, n) -> new Use(rs.getBoolean(1), rs.getString(2)),
            workspaceId,
            id,
            id,
            workspaceId,
            id,
            id);
    if (!uses.isEmpty()) {
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          "Segment '"
              + id
              + "' is used by "
              + String.join(", ", uses.stream().map(Use::id).toList())
              + "; change or delete those first.",
          uses.stream().map(Use::detail).toList());
    }
    jdbc.update("delete from segments where workspace_id = ? and id = ?", workspaceId, id);
  }

  /** A segment's filter or a campaign's audience ({@code campaign}) that names a segment. */
  private record Use(boolean campaign, String id) {
    ErrorDetail detail() {
      return ErrorDetail.of(
          "id",
          "segment_in_use",
          campaign
              ? "The audience of campaign " + id + " refers to it."
              : "Referred to by segment " + id + ".");
    }

    String name() {
      return campaign ? "the audience of campaign " + id : "segment " + id;
    }
  }

  /**
   * 422 {@code segment_in_use} on {@code filter} when segment {@code id}'s new {@code filter} would
   * push a segment or a campaign's audience that refers to it, directly or through other segments,
   * past the filter limits once inlined (the details name each, with the limit). Until 2026-12-08
   * the change was saved, and the referrer then failed on every use: a segment's {@code /count}
   * answered 400, and a campaign's audience held nobody, so its joins and its survey closed with
   * only a warning in the log. A referrer already past the limits before the change is not held
   * against it. Runs under the workspace's reference lock, so no referrer is added meanwhile.
   */
  private void checkReferrers(String workspaceId, String id, Filter filter) {
    record Referrer(Use use, Filter filter) {}
    List<Referrer> referrers =
        jdbc.query(
            "select false, id, filter::text from segments where workspace_id = ? and id <> ?"
                + " and jsonb_path_exists(filter, '$.** ? (exists (@.segment))')"
                + " union all"
                + " select true, id, audience::text from campaigns where workspace_id = ?"
                + " and (jsonb_typeof(audience) = 'string'"
                + " or jsonb_path_exists(audience, '$.** ? (exists (@.segment))'))"
                + " order by 1, 2",
            (rs, n) -> {
              Use use = new Use(rs.getBoolean(1), rs.getString(2));
              JsonNode stored = json.readTree(rs.getString(3));
              try {
                return new Referrer(
                    use,
                    stored.isString()
                        ? new Filter.SegmentRef(stored.asString())
                        : FilterParser.parseStored(stored, use.campaign() ? "audience" : "filter"));
              } catch (ApiException e) {
                return null; // saved before a rule refused it: it cannot run either way
              }
            },
            workspaceId,
            id,
            workspaceId);
    SegmentResolver before = resolver(workspaceId, Map.of());
    SegmentResolver after = resolver(workspaceId, Map.of(id, filter));
    List<ErrorDetail> broken = new ArrayList<>();
    for (Referrer r : referrers) {
      if (r == null) {
        continue;
      }
      try {
        compiler.compile(r.filter(), workspaceId, after);
      } catch (ApiException e) {
        if (e.status() != 400 || !runs(r.filter(), workspaceId, before)) {
          continue; // not a limit, or past the limits already
        }
        String why =
            e.details().isEmpty()
                ? e.getMessage()
                : e.details().get(0).reason() + ": " + e.details().get(0).message();
        broken.add(
            ErrorDetail.of(
                "filter",
                "segment_in_use",
                "With this filter, "
                    + r.use().name()
                    + ", which refers to this segment, would break the filter limits ("
                    + why
                    + ")"));
      }
    }
    if (!broken.isEmpty()) {
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          "Segment '"
              + id
              + "' cannot take this filter: segments or campaign audiences that refer to it would"
              + " break the filter limits once it is inlined. Change those first.",
          broken);
    }
  }

  private boolean runs(Filter filter, String workspaceId, SegmentResolver segments) {
    try {
      compiler.compile(filter, workspaceId, segments);
      return true;
    } catch (ApiException e) {
      return false;
    }
  }

  /**
   * Serialises the changes that can alter a workspace's graph of segment references (a create, a
   * filter change, a delete) until the transaction ends. Without it two concurrent PATCHes (A → B
   * and B → A) would each check the graph without the other's change and commit a cycle, and a
   * create could refer to a segment deleted at the same moment. The reference checks run after the
   * lock, so under READ COMMITTED they see every change committed before it.
   */
  private void lockReferenceGraph(String workspaceId) {
    jdbc.query(
        "select pg_advisory_xact_lock(hashtextextended(?, 0))",
        rs -> {},
        "segments:references:" + workspaceId);
  }

  // --- live evaluation -------------------------------------------------------------------------

  /** The segment's contacts now, newest first, keyset-paginated by contact id. */
  public Page<ContactResponse> contacts(String workspaceId, String id, int limit, String cursor) {
    PageRequest.checkLimit(limit);
    SqlFragment where = compile(workspaceId, id);
    String before =
        cursor == null || cursor.isEmpty()
            ? null
            : cursors.decode(cursor, CONTACTS, workspaceId, id);
    List<String> ids = reads.run(jdbc -> contactIds(jdbc, where, before, limit + 1));
    return Page.of(
        ids,
        limit,
        x -> x,
        last -> cursors.encode(CONTACTS, workspaceId, id, last),
        page -> contacts.byIds(workspaceId, page));
  }

  public CountResponse count(String workspaceId, String id) {
    SqlFragment where = compile(workspaceId, id);
    return new CountResponse(reads.run(jdbc -> count(jdbc, where)));
  }

  public PreviewResponse preview(String workspaceId, JsonNode filterJson, boolean withSample) {
    Filter filter = FilterParser.parse(filterJson, "filter");
    SqlFragment where = compiler.compile(filter, workspaceId, resolver(workspaceId, Map.of()));
    record Result(long count, List<String> ids) {}
    Result r =
        reads.run(
            jdbc ->
                new Result(
                    count(jdbc, where),
                    withSample ? contactIds(jdbc, where, null, PREVIEW_SAMPLE) : List.of()));
    return new PreviewResponse(r.count(), withSample ? contacts.byIds(workspaceId, r.ids()) : null);
  }

  /** A page of the segments {@code contactId} is in now, newest segment first. */
  public Page<SegmentResponse> segmentsOf(
      String workspaceId, String contactId, int limit, String cursor) {
    PageRequest.checkLimit(limit);
    if (!contacts.exists(workspaceId, contactId)) {
      throw ApiException.notFound("contact", contactId, "id");
    }
    String before =
        cursor == null || cursor.isEmpty()
            ? null
            : cursors.decode(cursor, CONTACT_SEGMENTS, workspaceId, contactId);
    List<Row> members = new ArrayList<>();
    String after = before;
    SegmentResolver resolver = resolver(workspaceId, Map.of());
    while (members.size() <= limit) {
      List<Row> batch =
          jdbc.query(
              "select * from segments where workspace_id = ?"
                  + (after == null ? "" : " and id < ?")
                  + " order by id desc limit ?",
              SegmentService::row,
              after == null
                  ? new Object[] {workspaceId, MEMBERSHIP_BATCH}
                  : new Object[] {workspaceId, after, MEMBERSHIP_BATCH});
      if (batch.isEmpty()) {
        break;
      }
      members.addAll(matching(workspaceId, contactId, batch, resolver));
      after = batch.get(batch.size() - 1).id();
      if (batch.size() < MEMBERSHIP_BATCH) {
        break;
      }
    }
    return Page.of(
        members,
        limit,
        Row::id,
        last -> cursors.encode(CONTACT_SEGMENTS, workspaceId, contactId, last),
        page -> page.stream().map(this::view).toList());
  }

  /**
   * The segments of {@code batch} (in order) that hold the contact, in one query.
   *
   * <p>One segment that cannot run must not fail this route for every contact (it once did, for a
   * segment saved with a date PostgreSQL cannot store): a segment whose filter no longer compiles
   * (saved before a rule refused it, or grown past the limits through the segments it refers to;
   * its own {@code /count} answers why) holds no contact here, and when the batch's query fails in
   * the database each segment runs alone, so only the failing one is left out. Both are logged.
   */
  private List<Row> matching(
      String workspaceId, String contactId, List<Row> batch, SegmentResolver resolver) {
    Map<Row, SqlFragment> runnable = new java.util.LinkedHashMap<>();
    for (Row r : batch) {
      try {
        runnable.put(r, compiler.compile(parse(r.filter()), workspaceId, resolver));
      } catch (ApiException e) {
        log.warn(
            "Segment {} of workspace {} cannot run and holds no contact: {}",
            r.id(),
            workspaceId,
            e.getMessage());
      }
    }
    if (runnable.isEmpty()) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    try {
      ids.addAll(members(workspaceId, contactId, runnable));
    } catch (DataAccessException batchFailed) {
      for (Map.Entry<Row, SqlFragment> one : runnable.entrySet()) {
        try {
          ids.addAll(members(workspaceId, contactId, Map.of(one.getKey(), one.getValue())));
        } catch (DataAccessException e) {
          log.warn(
              "Segment {} of workspace {} failed to run and holds no contact: {}",
              one.getKey().id(),
              workspaceId,
              rootMessage(e));
        }
      }
    }
    return batch.stream().filter(r -> ids.contains(r.id())).toList();
  }

  /** The ids of {@code segments} that hold the contact, in one query. */
  private List<String> members(
      String workspaceId, String contactId, Map<Row, SqlFragment> segments) {
    StringBuilder sql = new StringBuilder();
    List<Object> params = new ArrayList<>();
    segments.forEach(
        (r, f) -> {
          sql.append(sql.isEmpty() ? "" : " union all ")
              .append(
                  "select ?::text as id from contacts c where c.workspace_id = ? and c.id = ? and ")
              .append(f.sql());
          params.add(r.id());
          params.add(workspaceId);
          params.add(contactId);
          params.addAll(f.params());
        });
    return reads.run(jdbc -> jdbc.queryForList(sql.toString(), String.class, params.toArray()));
  }

  /** The database's own message, without the SQL text Spring adds (it can be megabytes). */
  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static List<String> contactIds(
      JdbcTemplate jdbc, SqlFragment where, String before, int limit) {
    List<Object> params = new ArrayList<>(where.params());
    if (before != null) {
      params.add(before);
    }
    params.add(limit);
    return jdbc.queryForList(
        "select c.id from contacts c where "
            + where.sql()
            + (before == null ? "" : " and c.id < ?")
            + " order by c.id desc limit ?",
        String.class,
        params.toArray());
  }

  private static long count(JdbcTemplate jdbc, SqlFragment where) {
    Long n =
        jdbc.queryForObject(
            "select count(*) from contacts c where " + where.sql(), Long.class, where.paramArray());
    return n == null ? 0 : n;
  }

  private SqlFragment compile(String workspaceId, String id) {
    Row segment = find(workspaceId, id);
    return compiler.compile(parse(segment.filter()), workspaceId, resolver(workspaceId, Map.of()));
  }

  private Filter parse(String stored) {
    return FilterParser.parseStored(json.readTree(stored), "filter");
  }

  /**
   * Resolves {@code {"segment": "seg_…"}} leaves of other features' filters (analytics) to the
   * workspace's saved segments; cycles are refused by the compiler.
   */
  public SegmentResolver resolverFor(String workspaceId) {
    return resolver(workspaceId, Map.of());
  }

  /** Looks segments up in the workspace, with {@code overrides} taking precedence. */
  private SegmentResolver resolver(String workspaceId, Map<String, Filter> overrides) {
    Map<String, Optional<Filter>> cache = new HashMap<>();
    return id -> {
      if (overrides.containsKey(id)) {
        return Optional.of(overrides.get(id));
      }
      return cache.computeIfAbsent(
          id,
          k ->
              jdbc
                  .query(
                      "select filter from segments where workspace_id = ? and id = ?",
                      (rs, n) -> rs.getString(1),
                      workspaceId,
                      k)
                  .stream()
                  .findFirst()
                  .map(this::parse));
    };
  }

  private Row find(String workspaceId, String id) {
    return jdbc
        .query(
            "select * from segments where workspace_id = ? and id = ?",
            SegmentService::row,
            workspaceId,
            id)
        .stream()
        .findFirst()
        .orElseThrow(() -> ApiException.notFound("segment", id, "id"));
  }

  private Row findForUpdate(String workspaceId, String id) {
    return jdbc
        .query(
            "select * from segments where workspace_id = ? and id = ? for update",
            SegmentService::row,
            workspaceId,
            id)
        .stream()
        .findFirst()
        .orElseThrow(() -> ApiException.notFound("segment", id, "id"));
  }
}
