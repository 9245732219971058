package io.growthos.core.campaigns;

import io.growthos.model.values.SqlInstants;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Referral attribution from ingested events (SPEC §8), after commit and off the ingest hot path:
 * the worker that drains {@code referral_inbox}.
 *
 * <p>Ingest writes an inbox row, in the group-commit transaction of the event, for every stored
 * event whose context may carry a referral code and every track event named as a running referral
 * program's qualifying event ({@link ReferralWatch}). {@link #drain} claims due rows with {@code
 * FOR UPDATE SKIP LOCKED} (so any number of service copies share them, none twice), and per row:
 *
 * <ol>
 *   <li>resolves the event's caller (userId, else anonymousId) to its contact as of now;
 *   <li>if the context carries the code of a participant of a referral program that was live when
 *       the event was received (its status then, from {@link CampaignStatusAt}, and its dates),
 *       makes that contact a referee ({@link Participants#refer}, source {@code ingest}, with the
 *       event's IP and user agent for the fraud checks); a new pending referral then looks back
 *       over the referee's stored events for the qualifying event (so a qualifying event that
 *       arrived before the code counts);
 *   <li>if it is a track event, qualifies the contact's pending referrals whose program names it as
 *       qualifying event and whose property conditions ({@code where}, compiled by the filter
 *       grammar's one compiler) it meets.
 * </ol>
 *
 * Exactly once however events repeat: a referee has one referral per campaign (unique index, the
 * first attribution wins), qualification is a conditional update ({@code pending → qualified}), and
 * rewards are unique per (referral, rule, side). A code carrier whose caller is not a contact yet
 * (an anonymous visitor who has not been identified) stays in the inbox and is retried with a
 * growing delay until {@code unresolvedRetention} has passed.
 */
public final class ReferralAttribution {

  private static final Logger log = LoggerFactory.getLogger(ReferralAttribution.class);

  /** Attempts after which a row that keeps failing is dropped (logged). */
  static final int MAX_FAILURES = 10;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final Participants participants;
  private final Duration unresolvedRetention;
  private final Duration maxRetryDelay;

  public ReferralAttribution(
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      Duration unresolvedRetention,
      Duration maxRetryDelay) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.participants = new Participants(jdbc);
    this.unresolvedRetention = unresolvedRetention;
    this.maxRetryDelay = maxRetryDelay;
  }

  private enum Outcome {
    DONE,
    RETRY
  }

  private record Row(String workspaceId, String eventId, int attempts, Instant createdAt) {}

  private record Event(
      String id,
      String type,
      String name,
      String userId,
      String anonymousId,
      String contactId,
      String context,
      String emailTrait,
      Instant receivedAt) {}

  /**
   * Drains due inbox rows, {@code batchSize} per transaction, until none is due; returns how many.
   */
  public int drain(int batchSize) {
    int total = 0;
    int n;
    do {
      Integer done = tx.execute(status -> drainOnce(status, batchSize));
      n = done == null ? 0 : done;
      total += n;
    } while (n >= batchSize);
    return total;
  }

  private int drainOnce(TransactionStatus status, int batchSize) {
    List<Row> rows =
        jdbc.query(
            "select workspace_id, event_id, attempts, created_at from referral_inbox where"
                + " next_attempt_at <= now() order by next_attempt_at, workspace_id, event_id"
                + " limit ? for update skip locked",
            (rs, i) ->
                new Row(rs.getString(1), rs.getString(2), rs.getInt(3), SqlInstants.get(rs, 4)),
            batchSize);
    for (Row row : rows) {
      Object savepoint = status.createSavepoint();
      Outcome outcome;
      try {
        outcome = apply(row.workspaceId(), row.eventId());
        status.releaseSavepoint(savepoint);
      } catch (RuntimeException e) {
        // A deadlock with another copy, a constraint race: undo this row only and retry it later.
        status.rollbackToSavepoint(savepoint);
        if (row.attempts() + 1 >= MAX_FAILURES) {
          log.error(
              "Dropping referral inbox row {} after {} failures", row.eventId(), MAX_FAILURES, e);
          outcome = Outcome.DONE;
        } else {
          log.warn(
              "Referral attribution of {} failed; will retry: {}", row.eventId(), e.toString());
          outcome = Outcome.RETRY;
        }
      }
      if (outcome == Outcome.RETRY
          && row.createdAt().plus(unresolvedRetention).isAfter(Instant.now())) {
        long delay = Math.min(maxRetryDelay.toMillis(), 1000L << Math.min(20, row.attempts()));
        jdbc.update(
            "update referral_inbox set attempts = attempts + 1, next_attempt_at = now() +"
                + " make_interval(secs => ?) where workspace_id = ? and event_id = ?",
            delay / 1000.0,
            row.workspaceId(),
            row.eventId());
      } else {
        jdbc.update(
            "delete from referral_inbox where workspace_id = ? and event_id = ?",
            row.workspaceId(),
            row.eventId());
      }
    }
    return rows.size();
  }

  /** Applies one stored event; RETRY when it carries a code but its caller is no contact yet. */
  private Outcome apply(String ws, String eventId) {
    Optional<Event> found =
        jdbc
            .query(
                "select id, type, event, user_id, anonymous_id, contact_id, context::text,"
                    + " traits->>'email', received_at from events where workspace_id = ? and id = ?",
                (rs, i) ->
                    new Event(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7),
                        rs.getString(8),
                        SqlInstants.get(rs, 9)),
                ws,
                eventId)
            .stream()
            .findFirst();
    if (found.isEmpty()) {
      return Outcome.DONE; // deleted with its contact
    }
    Event event = found.get();
    String contact = contactOf(ws, event);
    if (!event.type().equals("alias") && !event.type().equals("group")) {
      Optional<String> code =
          ReferralContext.code(event.context()).flatMap(ReferralCodes::canonical);
      if (code.isPresent()) {
        Optional<Campaign> campaign = programOfCode(ws, code.get(), event.receivedAt());
        if (campaign.isPresent()) {
          if (contact == null) {
            return Outcome.RETRY;
          }
          attribute(campaign.get(), code.get(), contact, event);
        }
      }
    }
    if (event.type().equals("track") && contact != null && event.name() != null) {
      qualifyPending(ws, contact, event);
    }
    return Outcome.DONE;
  }

  private record Campaign(CampaignInfo info, JsonNode qualifyingEvent) {}

  /**
   * The referral program a code belongs to (codes are unique per workspace), if it was live at
   * {@code at}: its status then (history of V71) and its dates.
   */
  private Optional<Campaign> programOfCode(String ws, String code, Instant at) {
    return jdbc
        .query(
            "select c.id, c.type, "
                + CampaignStatusAt.of("c")
                + " as status, c.starts_at, c.ends_at, c.settings::text from"
                + " campaign_participants p join campaigns c on c.workspace_id = p.workspace_id"
                + " and c.id = p.campaign_id where p.workspace_id = ? and p.referral_code = ?",
            (rs, i) -> campaign(ws, rs),
            SqlInstants.param(at),
            ws,
            code)
        .stream()
        .filter(c -> c.info().type() == CampaignType.REFERRAL && c.info().isLive(at))
        .findFirst();
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static Campaign campaign(String ws, java.sql.ResultSet rs) throws java.sql.SQLException {
    JsonNode settings = JSON.readTree(rs.getString("settings"));
    CampaignInfo info =
        CampaignInfo.of(
            ws,
            rs.getString("id"),
            CampaignType.ofWireName(rs.getString("type")).orElseThrow(),
            CampaignStatus.ofWireName(rs.getString("status")).orElseThrow(),
            SqlInstants.get(rs, "starts_at"),
            SqlInstants.get(rs, "ends_at"),
            settings);
    return new Campaign(info, settings.path("qualifying_event"));
  }

  private void attribute(Campaign campaign, String code, String contact, Event event) {
    CampaignInfo info = campaign.info();
    String ws = info.workspaceId();
    Participant referrer = participants.byCode(ws, info.id(), code).orElseThrow();
    Object[] who =
        jdbc.queryForObject(
            "select c.email, (select p.id from campaign_participants p where p.workspace_id ="
                + " c.workspace_id and p.campaign_id = ? and p.contact_id = c.id) as participant,"
                + " coalesce((select array_agg(ci.value) from contact_identities ci where"
                + " ci.workspace_id = c.workspace_id and ci.contact_id = c.id and ci.kind ="
                + " 'anonymous_id'), '{}') as anonymous_ids from contacts c where c.workspace_id"
                + " = ? and c.id = ?",
            (rs, i) -> new Object[] {rs.getString(1), rs.getString(2), rs.getArray(3).getArray()},
            info.id(),
            ws,
            contact);
    String email = (String) who[0];
    String normalized =
        EmailNormalizer.normalize(email != null ? email : event.emailTrait()).orElse(null);
    Set<String> anonymousIds = new LinkedHashSet<>();
    if (event.anonymousId() != null) {
      anonymousIds.add(event.anonymousId());
    }
    for (Object id : (Object[]) who[2]) {
      anonymousIds.add((String) id);
    }
    String[] device = ReferralContext.ipAndUserAgent(event.context());
    Optional<Referral> created =
        participants.refer(
            info,
            referrer,
            new ReferralFraud.Referee(
                contact,
                normalized,
                List.copyOf(anonymousIds),
                device[0],
                device[1],
                event.receivedAt()),
            (String) who[1],
            "ingest",
            event.id());
    // A pending referral looks back for a qualifying event stored before it (Participants.refer).
  }

  /**
   * Qualifies the contact's pending referrals that {@code event} is the qualifying event of, in the
   * programs not over when it was received, by their status then and their dates (a program past
   * its {@code ends_at} takes no more conversions, as it takes no more joins, even while its status
   * is still {@code active}; one ended after the event was received still takes it).
   */
  private void qualifyPending(String ws, String contact, Event event) {
    for (var campaign : participants.lockForQualification(ws, event.name(), event.receivedAt())) {
      if (!campaign.getKey().isOverAt(event.receivedAt())) {
        participants.qualifyByEvent(campaign.getKey(), campaign.getValue(), contact, event.id());
      }
    }
  }

  /**
   * The caller's contact as of now: by userId (or an id aliased to it), else by anonymousId, which
   * for an event naming a user id nobody has yet finds only a contact without a user id, as ingest
   * attaches events (docs/contacts.md): a shared browser's earlier person is not the referee of the
   * next one's code.
   */
  private String contactOf(String ws, Event e) {
    String contact =
        jdbc.queryForObject(
            "select coalesce((select id from contacts where workspace_id = ? and user_id = ?),"
                + " (select contact_id from contact_identities where workspace_id = ? and kind ="
                + " 'anonymous_id' and value = ?), (select i.contact_id from contact_identities i"
                + " join contacts c on c.workspace_id = i.workspace_id and c.id = i.contact_id"
                + " where i.workspace_id = ? and i.kind = 'anonymous_id' and i.value = ? and"
                + " (?::text is null or c.user_id is null)))",
            String.class,
            ws,
            e.userId(),
            ws,
            e.userId(),
            ws,
            e.anonymousId(),
            e.userId());
    return contact != null ? contact : e.contactId();
  }
}
