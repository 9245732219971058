package io.growthos.core.campaigns;

import io.growthos.core.contacts.Actors;
import io.growthos.core.filter.FilterSql;
import io.growthos.core.filter.SqlFragment;
import io.growthos.model.events.EventNames;
import io.growthos.model.values.NumberRange;
import io.growthos.model.values.SqlInstants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Computes the feed of a {@code social_proof} campaign with plain SQL, for both services (the
 * Ingest API's widget route and the Management API's preview): the most recent matching activities
 * (events of a name with property conditions, or joins of a referral program or waitlist), each
 * rendered through the template with the values of {@link SocialProofMasking}, and the counter over
 * its window.
 *
 * <p>Rules: contacts whose opt-out trait is set to anything but a no ({@code false}, {@code 0},
 * {@code "no"}, …: {@code growthos_opted_out}) never appear, in items or counts; one item per
 * person (their latest activity); items older than {@code max_age} are left out; a counter below
 * its {@code min_count} is not shown; every query is bound to the workspace, so another workspace's
 * data never enters a feed. An item whose message would still show an e-mail, user id or full name
 * ({@link SocialProofMasking#leaks}) is rendered again without any personal value, and left out if
 * even that leaks.
 *
 * <p>Cost: the event source reads {@code events_event_timestamp_idx} backwards from now, in batches
 * of {@code 4 × limit} rows (at most 200), until it has {@code limit} items, reaches {@code
 * max_age} or has read {@value #MAX_ROWS} rows (one busy person, or recent people whose items
 * cannot be rendered, must not empty the feed); the counter counts distinct people over the window.
 * Callers serving every page view cache the result for a few seconds.
 */
public final class SocialProofFeeds {

  private static final JsonMapper JSON = NumberRange.STORED_DOCUMENTS;

  /**
   * Not opted out: the opt-out trait is unset, null or says no (false, 0, "", "false", "no", "off",
   * "n", "f", "0"); any other value opts out (the SQL function {@code growthos_opted_out}, V66).
   */
  private static final String NOT_OPTED_OUT = "not growthos_opted_out(c.traits -> ?)";

  /**
   * Most activity rows one feed computation reads while it looks for {@code limit} items (one per
   * person, renderable), in batches of {@code 4 × limit} (at most 200) walking back from now.
   */
  static final int MAX_ROWS = 2_000;

  private final JdbcTemplate jdbc;

  public SocialProofFeeds(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * A campaign row as the feed needs it.
   *
   * @param settings its stored settings (JSON text)
   */
  public record Campaign(
      String workspaceId,
      String id,
      CampaignType type,
      CampaignStatus status,
      Instant startsAt,
      Instant endsAt,
      String settings) {

    /** Whether widget routes answer for it at {@code now} (SPEC §8). */
    public boolean isLive(Instant now) {
      return status == CampaignStatus.ACTIVE
          && (startsAt == null || !now.isBefore(startsAt))
          && (endsAt == null || now.isBefore(endsAt));
    }
  }

  /** The campaign {@code id} of workspace {@code workspaceId}, if it exists there. */
  public Optional<Campaign> campaign(String workspaceId, String id) {
    return jdbc
        .query(
            "select type, status, starts_at, ends_at, settings::text from campaigns"
                + " where workspace_id = ? and id = ?",
            (rs, i) ->
                new Campaign(
                    workspaceId,
                    id,
                    CampaignType.ofWireName(rs.getString(1)).orElseThrow(),
                    CampaignStatus.ofWireName(rs.getString(2)).orElseThrow(),
                    SqlInstants.get(rs, 3),
                    SqlInstants.get(rs, 4),
                    rs.getString(5)),
            workspaceId,
            id)
        .stream()
        .findFirst();
  }

  /** The feed of a {@code social_proof} campaign at {@code now}. */
  public SocialProofFeed feed(Campaign campaign, Instant now) {
    if (campaign.type() != CampaignType.SOCIAL_PROOF) {
      throw new IllegalArgumentException("not a social_proof campaign: " + campaign.id());
    }
    SocialProofSettings settings = SocialProofSettings.of(JSON.readTree(campaign.settings()));
    return feed(campaign.workspaceId(), campaign.id(), settings, now);
  }

  /** The feed of {@code settings} in {@code workspaceId} at {@code now}. */
  public SocialProofFeed feed(
      String workspaceId, String campaignId, SocialProofSettings settings, Instant now) {
    Source source =
        settings.sourceCampaign() != null
            ? new CampaignSource(workspaceId, settings)
            : new EventSource(workspaceId, settings, now);
    List<SocialProofFeed.Item> items = new ArrayList<>();
    Set<String> people = new HashSet<>();
    int batch = Math.min(4 * settings.limit(), 200);
    Row after = null;
    for (int read = 0; items.size() < settings.limit() && read < MAX_ROWS; ) {
      List<Row> rows =
          jdbc.query(
              source.itemsSql(after != null),
              Row::read,
              source.itemsParams(now.minus(settings.maxAge()), now, after, batch));
      read += rows.size();
      for (Row row : rows) {
        if (items.size() >= settings.limit()) {
          break;
        }
        if (row.person() != null && !people.add(row.person())) {
          continue; // one item per person: their latest activity
        }
        render(settings.template(), row, now)
            .ifPresent(
                message -> {
                  String timeAgo = SocialProofMasking.timeAgo(Duration.between(row.at(), now));
                  items.add(
                      new SocialProofFeed.Item(itemId(campaignId, row.id()), message, timeAgo));
                });
      }
      if (rows.size() < batch) {
        break; // nothing older inside max_age
      }
      after = rows.get(rows.size() - 1);
    }
    List<SocialProofFeed.Counter> counters = new ArrayList<>();
    SocialProofSettings.Counter counter = settings.counter();
    if (counter != null) {
      Long count =
          jdbc.queryForObject(
              source.countSql(), Long.class, source.countParams(now.minus(counter.window()), now));
      long n = count == null ? 0 : count;
      if (n >= counter.minCount() && n > 0) {
        String shown = String.format(Locale.ROOT, "%,d", n);
        counter
            .template()
            .render(p -> p.equals("count") ? Optional.of(shown) : Optional.empty())
            .ifPresent(message -> counters.add(new SocialProofFeed.Counter(message, n)));
      }
    }
    return new SocialProofFeed(items, counters);
  }

  /**
   * The message of one row: with the person's masked values, or, when that would leak anything,
   * with none of them; empty when no safe message can be rendered.
   */
  static Optional<String> render(SocialProofTemplate template, Row row, Instant now) {
    JsonNode traits = row.traits();
    String timeAgo = SocialProofMasking.timeAgo(Duration.between(row.at(), now));
    Optional<String> event =
        Optional.ofNullable(row.event())
            .map(SocialProofMasking::clean)
            .filter(e -> !e.isEmpty() && EventNames.fits(e));
    Function<String, Optional<String>> common =
        p ->
            switch (p) {
              case "event" -> event;
              case "time_ago" -> Optional.of(timeAgo);
              default -> Optional.empty();
            };
    Function<String, Optional<String>> personal =
        p ->
            switch (p) {
              case "first_name" -> SocialProofMasking.firstName(traits);
              case "name" -> SocialProofMasking.shortName(traits);
              case "city" -> SocialProofMasking.city(traits);
              case "country" -> SocialProofMasking.country(traits);
              default -> common.apply(p);
            };
    Optional<String> full = template.render(personal);
    if (full.isPresent() && !leaks(full.get(), row)) {
      return full;
    }
    return template.render(common).filter(m -> !leaks(m, row));
  }

  private static boolean leaks(String message, Row row) {
    return SocialProofMasking.leaks(message, row.email(), row.userId(), row.traits());
  }

  private static String itemId(String campaignId, String rowId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((campaignId + ":" + rowId).getBytes(StandardCharsets.UTF_8));
      return "spi_" + HexFormat.of().formatHex(digest, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One activity: its source row, who did it (null when unknown), what and when, and what of the
   * contact the masking rules need.
   */
  record Row(
      String id,
      String person,
      String event,
      Instant at,
      String email,
      String userId,
      JsonNode traits) {

    static Row read(ResultSet rs, int i) throws SQLException {
      String traits = rs.getString(7);
      return new Row(
          rs.getString(1),
          rs.getString(2),
          rs.getString(3),
          SqlInstants.get(rs, 4),
          rs.getString(5),
          rs.getString(6),
          traits == null ? JSON.createObjectNode() : JSON.readTree(traits));
    }
  }

  /** The SQL of one kind of source. */
  private interface Source {
    /** The newest rows; with {@code after}, those older than a row of the previous batch. */
    String itemsSql(boolean after);

    Object[] itemsParams(Instant from, Instant to, Row after, int limit);

    String countSql();

    Object[] countParams(Instant from, Instant to);
  }

  /** Track events of one name with property conditions. */
  private static final class EventSource implements Source {
    private final String workspaceId;
    private final SocialProofSettings settings;
    private final SqlFragment where;

    EventSource(String workspaceId, SocialProofSettings settings, Instant now) {
      this.workspaceId = workspaceId;
      this.settings = settings;
      this.where =
          new FilterSql(Clock.fixed(now, ZoneOffset.UTC)).compileWhere(settings.where(), "e");
    }

    private String from() {
      return " from events e left join contacts c"
          + " on c.workspace_id = e.workspace_id and c.id = e.contact_id"
          + " where e.workspace_id = ? and e.event = ? and e.timestamp > ? and e.timestamp <= ?"
          + " and "
          + where.sql()
          + " and "
          + NOT_OPTED_OUT;
    }

    private static final String PERSON = Actors.SQL;

    @Override
    public String itemsSql(boolean after) {
      return "select e.id, "
          + PERSON
          + ", e.event, e.timestamp, c.email, coalesce(c.user_id, e.user_id), c.traits::text"
          + from()
          + (after ? " and (e.timestamp < ? or e.id < ?)" : "")
          + " order by e.timestamp desc, e.id desc limit ?";
    }

    @Override
    public Object[] itemsParams(Instant from, Instant to, Row after, int limit) {
      // After a row: no later than it (the index bound), and before it among equal times.
      List<Object> p = params(from, after == null ? to : after.at());
      if (after != null) {
        p.add(SqlInstants.param(after.at()));
        p.add(after.id());
      }
      p.add(limit);
      return p.toArray();
    }

    @Override
    public String countSql() {
      return "select count(distinct " + PERSON + ")" + from();
    }

    @Override
    public Object[] countParams(Instant from, Instant to) {
      return params(from, to).toArray();
    }

    private List<Object> params(Instant from, Instant to) {
      List<Object> p = new ArrayList<>();
      p.add(workspaceId);
      p.add(settings.event());
      p.add(SqlInstants.param(from));
      p.add(SqlInstants.param(to));
      p.addAll(where.params());
      p.add(settings.optOutTrait());
      return p;
    }
  }

  /**
   * Joins of a referral program or waitlist of the same workspace (or only those who came through a
   * referral); on a waitlist that requires verification, only verified joins count.
   */
  private static final class CampaignSource implements Source {
    private final String workspaceId;
    private final SocialProofSettings settings;

    CampaignSource(String workspaceId, SocialProofSettings settings) {
      this.workspaceId = workspaceId;
      this.settings = settings;
    }

    private String from() {
      return " from campaign_participants p"
          + " join campaigns sc on sc.workspace_id = p.workspace_id and sc.id = p.campaign_id"
          + " join contacts c on c.workspace_id = p.workspace_id and c.id = p.contact_id"
          + " where p.workspace_id = ? and p.campaign_id = ? and p.created_at > ?"
          + " and p.created_at <= ?"
          + " and (not coalesce((sc.settings ->> 'require_verification')::boolean, false)"
          + " or p.verified_at is not null)"
          + (settings.referredOnly() ? " and p.referred_by is not null" : "")
          + " and "
          + NOT_OPTED_OUT;
    }

    @Override
    public String itemsSql(boolean after) {
      // The traits (the name, the city) only of a contact the join made or found new
      // (ReferralFraud.madeNewAt): a public join with someone else's address must not show the
      // name the operator stored for it (a black-box review, 2026-12-07); it reads "Someone".
      return "select p.id, p.contact_id, sc.name, p.created_at, c.email, c.user_id,"
          + " case when "
          + ReferralFraud.madeNewAt("c", "p.created_at")
          + " then c.traits::text end"
          + from()
          + (after ? " and (p.created_at < ? or p.id < ?)" : "")
          + " order by p.created_at desc, p.id desc limit ?";
    }

    @Override
    public Object[] itemsParams(Instant from, Instant to, Row after, int limit) {
      List<Object> p = new ArrayList<>();
      p.add(workspaceId);
      p.add(settings.sourceCampaign());
      p.add(SqlInstants.param(from));
      p.add(SqlInstants.param(after == null ? to : after.at()));
      p.add(settings.optOutTrait());
      if (after != null) {
        p.add(SqlInstants.param(after.at()));
        p.add(after.id());
      }
      p.add(limit);
      return p.toArray();
    }

    @Override
    public String countSql() {
      return "select count(*)" + from();
    }

    @Override
    public Object[] countParams(Instant from, Instant to) {
      return new Object[] {
        workspaceId,
        settings.sourceCampaign(),
        SqlInstants.param(from),
        SqlInstants.param(to),
        settings.optOutTrait()
      };
    }
  }
}
