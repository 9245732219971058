package io.growthos.ingest.events;

import io.growthos.core.campaigns.ReferralContext;
import io.growthos.core.campaigns.ReferralWatch;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.core.outbox.Outbox;
import io.growthos.ingest.contacts.ContactLinker;
import io.growthos.model.events.EventType;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores the events of one or more requests atomically, exactly once per (workspace, messageId): in
 * one transaction, or, when one statement stores the whole group (anonymous events, see {@link
 * #writeRecords}), in that statement alone, which is its own transaction.
 *
 * <p>Plain JDBC with multi-row statements ({@code unnest} of arrays) instead of JPA: this is the
 * hot path, and few round trips per group are what let the {@code batch} and {@code track}
 * benchmarks (bench module) get near their baselines.
 */
public class EventStore {

  private static final String CLAIM = claim("");

  /**
   * Claims each messageId in event_dedupe, re-claiming a row older than the workspace's window (the
   * last parameter); {@code where} may restrict the rows claimed. Parameters: workspace,
   * messageIds, event ids, received-at instants, window cutoff.
   */
  private static String claim(String where) {
    return """
        insert into event_dedupe (workspace_id, message_id, event_id, received_at)
        select ?, m, e, r::timestamptz from unnest(?::text[], ?::text[], ?::text[]) as x(m, e, r)
        %s
        on conflict (workspace_id, message_id) do update
           set event_id = excluded.event_id, received_at = excluded.received_at
         where event_dedupe.received_at < ?::timestamptz
        returning message_id
        """
        .formatted(where);
  }

  private static final String INSERT_EVENT_ROWS =
      """
      insert into events (workspace_id, id, message_id, type, event, name, user_id, anonymous_id,
                          contact_id, group_id, previous_id, properties, traits, context,
                          integrations, timestamp, sent_at, original_timestamp, received_at)
      select ?, i, m, t, e, n, u, a, c, g, p, pr::jsonb, tr::jsonb, cx::jsonb, ig::jsonb,
             ts::timestamptz, sa::timestamptz, ot::timestamptz, ra::timestamptz
        from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::text[], ?::text[], ?::text[], ?::text[])
             as x(i, m, t, e, n, u, a, c, g, p, pr, tr, cx, ig, ts, sa, ot, ra)
      """;

  /**
   * Stores nothing when one of the group's ids (the last parameter) is suppressed: run after the
   * contact lock, it catches a deletion that committed after the group's own suppression check.
   */
  private static final String NOT_SUPPRESSED =
      " not exists (select 1" + ContactSuppressions.SUPPRESSED_AMONG + ")";

  private static final String INSERT_EVENTS = INSERT_EVENT_ROWS + " where" + NOT_SUPPRESSED;

  /**
   * {@link #CLAIM} and the insert of the claimed events as one statement, for groups that change no
   * contact. When one of the group's ids is suppressed (a deletion committed after the group's
   * check) it claims and stores nothing and returns one row {@code (null, true)}; otherwise one row
   * {@code (messageId, false)} per claimed messageId. All its parts read one snapshot, so the claim
   * and the insert agree, and the statement is complete on its own: it may run without an explicit
   * transaction (autocommit), where nothing could be rolled back after it.
   */
  private static final String CLAIM_AND_INSERT =
      "with blocked as (select exists (select 1"
          + ContactSuppressions.SUPPRESSED_AMONG
          + ") as b), claimed as ("
          + claim("where not (select b from blocked)")
          + "), stored as ("
          + INSERT_EVENT_ROWS
          + " where m in (select message_id from claimed))"
          + " select message_id, false from claimed"
          + " union all select null, true from blocked where b";

  /**
   * For groups that change no contact and may attribute no referral: stores them in one statement
   * when none of the callers has a contact and none of their ids is suppressed, which is when they
   * need neither a contact lock nor a first/last-seen update. Its first part is {@link
   * ContactLinker#resolutionQuery}; when that finds anything the statement claims and stores
   * nothing and returns the resolution's rows, with which the writer goes on as if it had asked
   * first. Rows: {@code ('c', messageId, null)} per claimed messageId, or the resolution's rows.
   */
  private static String storeIfAnonymous(String resolution) {
    return "with resolution (k, v, c) as ("
        + resolution
        + "), claimed as ("
        + claim("where not exists (select 1 from resolution)")
        + "), stored as ("
        + INSERT_EVENT_ROWS
        + " where m in (select message_id from claimed))"
        + " select 'c', message_id, null from claimed"
        + " union all select k, v, c from resolution";
  }

  private static final String INBOX =
      """
      insert into referral_inbox (workspace_id, event_id)
      select ?, i from unnest(?::text[]) as x(i)
      """;

  /** PostgreSQL's SQLSTATE for {@code foreign_key_violation}. */
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final DedupeWindows windows;
  private final ContactLinker contacts;
  private final ContactSuppressions suppressions;
  private final Outbox outbox;
  private final ReferralWatch referrals;

  public EventStore(
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      DedupeWindows windows,
      ContactLinker contacts,
      ContactSuppressions suppressions,
      Outbox outbox,
      ReferralWatch referrals) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.windows = windows;
    this.contacts = contacts;
    this.suppressions = suppressions;
    this.outbox = outbox;
    this.referrals = referrals;
  }

  /** One request's events, for one workspace. */
  public record Batch(String workspaceId, List<EventRecord> events) {}

  /**
   * Writes all batches in one transaction and commits. Returns once committed; throws (and rolls
   * everything back) on any failure.
   */
  public void write(List<Batch> batches) {
    // Duplicates inside the group are dropped here (the first wins); a single INSERT ... ON
    // CONFLICT DO UPDATE may not touch the same row twice.
    Map<String, Map<String, EventRecord>> byWorkspace = new LinkedHashMap<>();
    for (Batch b : batches) {
      Map<String, EventRecord> unique =
          byWorkspace.computeIfAbsent(b.workspaceId(), k -> new LinkedHashMap<>());
      for (EventRecord e : b.events()) {
        unique.putIfAbsent(e.messageId(), e);
      }
    }
    try {
      if (byWorkspace.size() == 1) {
        // One workspace: no transaction is opened here, writeWorkspace opens one when the group
        // needs more than one statement.
        byWorkspace.forEach(this::writeWorkspace);
      } else {
        tx.executeWithoutResult(
            status -> byWorkspace.forEach((ws, events) -> writeWorkspace(ws, events)));
      }
    } catch (DataIntegrityViolationException e) {
      if (isForeignKeyViolation(e)) {
        throw deletedMeanwhile(e);
      }
      throw e;
    }
  }

  /**
   * Every row this store writes that references another row (a contact's identity, back-fill or
   * group membership) references one it has just read or written in the same transaction, never an
   * id taken from the request. So a foreign-key violation means that row was deleted in between,
   * e.g. a contact deleted while an identify of it was in flight (the deletion holds the contact
   * row; the insert waits, then finds it gone). That is a race, not the client's data: the writer
   * retries the request alone, and the retry sees the deletion (the ids suppressed, the events
   * dropped) instead of failing it as unstorable.
   */
  private static boolean isForeignKeyViolation(DataIntegrityViolationException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && FOREIGN_KEY_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static ConcurrencyFailureException deletedMeanwhile(Throwable cause) {
    return new ConcurrencyFailureException(
        "A row these events reference was deleted while they were stored", cause);
  }

  private void writeWorkspace(String workspaceId, Map<String, EventRecord> unique) {
    // Events of a deleted contact's ids are dropped (acknowledged, never stored): deletion
    // suppresses them, so nothing resurrects the contact (docs/contacts.md).
    Set<String> ids = idsOf(unique.values());
    if (unique.values().stream().anyMatch(e -> changesContacts(e.type()))) {
      tx.executeWithoutResult(status -> writeWithContactChanges(workspaceId, unique, ids));
    } else {
      writeRecords(workspaceId, unique, ids);
    }
  }

  /**
   * A group that only records (track, page, screen) changes no contact, so everything it needs to
   * know can be asked before the claim, and the claim and the insert can be one statement. Round
   * trips, each a wait for every request in the group (docs/benchmarks.md, "track"), so as few as
   * the rules allow:
   *
   * <ul>
   *   <li>when no event may attribute a referral: one statement asks for the callers' contacts and
   *       the suppressed ids and, when there are none (anonymous traffic; every group of {@code
   *       bench/run track}), claims and stores the events too. It runs without an explicit
   *       transaction: a statement is its own transaction and returns once committed;
   *   <li>otherwise, or when that statement found something (and then stored nothing): the events
   *       of suppressed ids are dropped, and when no caller has a contact and no event is for
   *       attribution, claim-and-insert alone; else one transaction: the contact lock,
   *       claim-and-insert, the first/last-seen update, the attribution inbox, the commit.
   * </ul>
   */
  private void writeRecords(String workspaceId, Map<String, EventRecord> unique, Set<String> ids) {
    Set<ContactLinker.CallerIds> callers = callersOf(unique.values());
    List<EventRecord> events = sortedByMessageId(unique.values());
    boolean attribution = attributionCandidates(workspaceId, events) != null;
    ContactLinker.Resolution known;
    if (attribution) {
      known = contacts.resolve(workspaceId, callers, ids);
    } else {
      known = storeIfAnonymous(workspaceId, events, callers, ids);
      if (known == null) {
        return;
      }
    }
    if (!dropSuppressed(unique, ids, known.suppressed())) {
      return;
    }
    events.removeIf(e -> !unique.containsKey(e.messageId()));
    Map<String, String> resolved = known.contacts();
    Function<EventRecord, String> contactFor =
        e -> resolved.get(ContactLinker.key(e.userId(), e.anonymousId()));
    if (resolved.isEmpty() && !attribution) {
      claimAndStore(workspaceId, events, contactFor, ids);
      return;
    }
    tx.executeWithoutResult(
        status -> {
          lockContacts(workspaceId, Map.of(), resolved);
          Set<String> claimedIds = claimAndStore(workspaceId, events, contactFor, ids);
          if (claimedIds.isEmpty()) {
            return;
          }
          List<EventRecord> claimed = new ArrayList<>(claimedIds.size());
          for (EventRecord e : events) {
            if (claimedIds.contains(e.messageId())) {
              claimed.add(e);
            }
          }
          touchSeen(workspaceId, claimed, contactFor);
          queueForAttribution(workspaceId, claimed);
        });
  }

  /**
   * Stores {@code events} (sorted by messageId) by {@link #storeIfAnonymous(String)} when none of
   * the callers has a contact and none of {@code ids} is suppressed, and returns null; otherwise
   * stores nothing and returns what the statement found instead.
   */
  private ContactLinker.Resolution storeIfAnonymous(
      String workspaceId,
      List<EventRecord> events,
      Set<ContactLinker.CallerIds> callers,
      Set<String> ids) {
    ContactLinker.Query resolution = contacts.resolutionQuery(workspaceId, callers, ids);
    // No caller has a contact when this stores anything: every contact_id is null.
    Object[] args =
        concat(
            resolution.args(),
            claimArguments(workspaceId, events),
            insertArguments(workspaceId, events, e -> null));
    List<String[]> found = new ArrayList<>();
    jdbc.query(
        storeIfAnonymous(resolution.sql()),
        rs -> {
          String[] row = ContactLinker.row(rs);
          if (!"c".equals(row[0])) {
            found.add(row);
          }
        },
        args);
    // Nothing found: stored (or every event was a duplicate). Else nothing was claimed nor stored.
    return found.isEmpty() ? null : contacts.resolution(callers, found);
  }

  /** First/last seen of the contacts {@code events} are attached to, one statement. */
  private void touchSeen(
      String workspaceId, List<EventRecord> events, Function<EventRecord, String> contactFor) {
    ContactLinker.Seen seen = new ContactLinker.Seen();
    for (EventRecord e : events) {
      String contact = contactFor.apply(e);
      if (contact != null) {
        seen.add(contact, e.timestamp());
      }
    }
    contacts.touch(workspaceId, seen);
  }

  /**
   * A group with identify, alias or group events: the claim comes first, so that only events stored
   * now (not duplicates) change contacts, then those changes, then the other events' contacts are
   * resolved (they may be the ones just created).
   */
  private void writeWithContactChanges(
      String workspaceId, Map<String, EventRecord> unique, Set<String> ids) {
    if (!dropSuppressed(unique, ids, suppressions.suppressedAmong(workspaceId, ids))) {
      return;
    }
    List<EventRecord> claimed = claim(workspaceId, unique);
    if (claimed.isEmpty()) {
      return;
    }
    Map<EventRecord, String> contactOf = new IdentityHashMap<>();
    for (EventRecord e : claimed) {
      String contact =
          switch (e.type()) {
            case IDENTIFY ->
                contacts.identify(
                    workspaceId, e.userId(), e.anonymousId(), e.traits(), e.timestamp());
            case ALIAS -> contacts.alias(workspaceId, e.previousId(), e.userId(), e.timestamp());
            default -> null;
          };
      if (contact != null) {
        contactOf.put(e, contact);
      }
    }
    // Group calls after the group's identifies and aliases: a group call that comes before the
    // identify of its caller in one batch (an SDK's retried identify lands behind it) finds the
    // contact and makes the membership (until 2026-12-07 the event got the contact and the contact
    // no membership). A group call stored before its caller had a contact at all gets its
    // membership from the history back-fill (ContactBackfills).
    for (EventRecord e : claimed) {
      if (e.type() == EventType.GROUP) {
        String contact =
            contacts.group(workspaceId, e.groupId(), e.traits(), e.userId(), e.anonymousId());
        if (contact != null) {
          contactOf.put(e, contact);
        }
      }
    }
    List<EventRecord> others = new ArrayList<>();
    for (EventRecord e : claimed) {
      if (!contactOf.containsKey(e)) {
        others.add(e);
      }
    }
    Set<ContactLinker.CallerIds> callers = callersOf(others);
    Map<String, String> resolved =
        callers.isEmpty() ? Map.of() : contacts.resolve(workspaceId, callers);
    lockContacts(workspaceId, contactOf, resolved);
    Function<EventRecord, String> contactFor =
        e -> {
          String contact = contactOf.get(e);
          return contact != null
              ? contact
              : resolved.get(ContactLinker.key(e.userId(), e.anonymousId()));
        };
    Object[] args =
        concat(
            insertArguments(workspaceId, claimed, contactFor),
            new Object[] {workspaceId, ids.toArray(String[]::new)});
    if (jdbc.update(INSERT_EVENTS, args) != claimed.size()) {
      throw suppressedMeanwhile();
    }
    touchSeen(workspaceId, claimed, contactFor);
    // Webhooks (SPEC §9): one contact.created/updated per contact this group changed, in this
    // transaction. Only identify, alias and group can change a contact, so batches of track/page
    // events skip this entirely and the hot path pays nothing (bench/run batch, docs/webhooks.md).
    if (!contactOf.isEmpty()) {
      outbox.emitChangedContacts(workspaceId, contactOf.values());
    }
    queueForAttribution(workspaceId, claimed);
  }

  /**
   * Drops the events of suppressed ids from {@code unique} (and the ids from {@code ids}); false
   * when nothing is left to store.
   */
  private static boolean dropSuppressed(
      Map<String, EventRecord> unique, Set<String> ids, Set<String> suppressed) {
    if (!suppressed.isEmpty()) {
      unique.values().removeIf(e -> touches(e, suppressed));
      ids.removeAll(suppressed);
    }
    return !unique.isEmpty();
  }

  /**
   * The insert stores nothing when one of the group's ids was suppressed after the group's check: a
   * contact deletion committed meanwhile. The writer retries each request alone, and the retry
   * drops the suppressed events.
   */
  private static ConcurrencyFailureException suppressedMeanwhile() {
    return new ConcurrencyFailureException("A contact's ids were suppressed while stored");
  }

  /** The parameters of {@link #INSERT_EVENT_ROWS}: workspace, then the 18 column arrays. */
  private static Object[] insertArguments(
      String workspaceId, List<EventRecord> events, Function<EventRecord, String> contactFor) {
    int n = events.size();
    String[][] cols = new String[18][n];
    for (int i = 0; i < n; i++) {
      EventRecord e = events.get(i);
      cols[0][i] = e.id();
      cols[1][i] = e.messageId();
      cols[2][i] = e.type().wireName();
      cols[3][i] = e.event();
      cols[4][i] = e.name();
      cols[5][i] = e.userId();
      cols[6][i] = e.anonymousId();
      cols[7][i] = contactFor.apply(e);
      cols[8][i] = e.groupId();
      cols[9][i] = e.previousId();
      cols[10][i] = e.properties();
      cols[11][i] = e.traits();
      cols[12][i] = e.context();
      cols[13][i] = e.integrations();
      cols[14][i] = e.timestamp().toString();
      cols[15][i] = text(e.sentAt());
      cols[16][i] = text(e.originalTimestamp());
      cols[17][i] = e.receivedAt().toString();
    }
    Object[] args = new Object[19];
    args[0] = workspaceId;
    System.arraycopy(cols, 0, args, 1, 18);
    return args;
  }

  /**
   * Referral attribution (docs/campaigns.md) runs after commit, in a worker, from the inbox rows
   * written here in the same transaction as the events: one statement per group, and only when the
   * group holds an event whose context may carry a referral code or a track event named as a
   * running referral program's qualifying event. Both tests are in memory (a substring test, a set
   * lookup), so groups without such events, e.g. every group of {@code bench/run batch}, pay
   * nothing.
   */
  private void queueForAttribution(String workspaceId, List<EventRecord> claimed) {
    List<String> ids = attributionCandidates(workspaceId, claimed);
    if (ids != null) {
      jdbc.update(INBOX, workspaceId, ids.toArray(String[]::new));
    }
  }

  /** The ids of those {@code events} that may attribute a referral; null when there are none. */
  private List<String> attributionCandidates(String workspaceId, List<EventRecord> events) {
    Set<String> qualifying = referrals.qualifyingEvents(workspaceId);
    List<String> ids = null;
    for (EventRecord e : events) {
      boolean candidate =
          switch (e.type()) {
            case TRACK ->
                ReferralContext.mayCarryCode(e.context())
                    || (!qualifying.isEmpty() && qualifying.contains(e.event()));
            case IDENTIFY, PAGE, SCREEN -> ReferralContext.mayCarryCode(e.context());
            default -> false;
          };
      if (candidate) {
        if (ids == null) {
          ids = new ArrayList<>();
        }
        ids.add(e.id());
      }
    }
    return ids;
  }

  /**
   * Makes sure no event is stored for a contact deleted while this transaction ran: locks the
   * contacts the events go to (a deletion then waits for this commit, and deletes these events
   * too); a contact already gone fails the group with a retryable error. Suppressions committed
   * after the first check are caught by the insert itself, which runs after this lock and stores
   * nothing when any of the group's ids is suppressed ({@link #INSERT_EVENTS}). The writer retries
   * each request alone, and the retry drops the suppressed events.
   */
  private void lockContacts(
      String workspaceId, Map<EventRecord, String> contactOf, Map<String, String> resolved) {
    Set<String> attached = new HashSet<>(contactOf.values());
    attached.addAll(resolved.values());
    Set<String> live = contacts.lockLive(workspaceId, attached);
    if (live.size() < attached.size()) {
      throw new ConcurrencyFailureException("A contact was deleted while its events were stored");
    }
  }

  private static boolean changesContacts(EventType type) {
    return type == EventType.IDENTIFY || type == EventType.ALIAS || type == EventType.GROUP;
  }

  private static Set<ContactLinker.CallerIds> callersOf(Collection<EventRecord> events) {
    Set<ContactLinker.CallerIds> callers = new HashSet<>();
    for (EventRecord e : events) {
      callers.add(ContactLinker.idsOf(e.userId(), e.anonymousId()));
    }
    return callers;
  }

  private static Set<String> idsOf(Iterable<EventRecord> events) {
    Set<String> ids = new HashSet<>();
    for (EventRecord e : events) {
      addIfPresent(ids, e.userId());
      addIfPresent(ids, e.anonymousId());
      addIfPresent(ids, e.previousId());
    }
    return ids;
  }

  private static void addIfPresent(Set<String> ids, String id) {
    if (id != null) {
      ids.add(id);
    }
  }

  private static boolean touches(EventRecord e, Set<String> ids) {
    return ids.contains(e.userId())
        || ids.contains(e.anonymousId())
        || ids.contains(e.previousId());
  }

  /**
   * Claims each messageId in event_dedupe; only claimed events are stored. A row older than the
   * workspace's window is re-claimed. Concurrent claims of one messageId (other writer threads,
   * other service copies) serialize on the primary key: the second waits for the first to commit
   * and then finds the row taken. Sorted so that concurrent writers lock keys in the same order.
   */
  private List<EventRecord> claim(String workspaceId, Map<String, EventRecord> unique) {
    List<EventRecord> events = new ArrayList<>(unique.values());
    Set<String> claimed = new HashSet<>(events.size() * 2);
    jdbc.query(
        CLAIM,
        rs -> {
          claimed.add(rs.getString(1));
        },
        claimArguments(workspaceId, sortedByMessageId(events)));
    if (claimed.size() == events.size()) {
      return events;
    }
    List<EventRecord> out = new ArrayList<>(claimed.size());
    for (EventRecord e : events) {
      if (claimed.contains(e.messageId())) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * {@link #claim} and the insert of the claimed events in one statement ({@link
   * #CLAIM_AND_INSERT}); {@code events} sorted by messageId. Returns the claimed messageIds; throws
   * a retryable error, having stored nothing, when one of {@code ids} was suppressed meanwhile.
   */
  private Set<String> claimAndStore(
      String workspaceId,
      List<EventRecord> events,
      Function<EventRecord, String> contactFor,
      Set<String> ids) {
    Object[] args =
        concat(
            new Object[] {workspaceId, ids.toArray(String[]::new)},
            claimArguments(workspaceId, events),
            insertArguments(workspaceId, events, contactFor));
    Set<String> claimed = new HashSet<>(events.size() * 2);
    boolean[] blocked = {false};
    jdbc.query(
        CLAIM_AND_INSERT,
        rs -> {
          if (rs.getBoolean(2)) {
            blocked[0] = true;
          } else {
            claimed.add(rs.getString(1));
          }
        },
        args);
    if (blocked[0]) {
      throw suppressedMeanwhile();
    }
    return claimed;
  }

  /** The parameters of {@link #CLAIM}, {@code events} in the order given. */
  private Object[] claimArguments(String workspaceId, List<EventRecord> events) {
    int n = events.size();
    String[] messageIds = new String[n];
    String[] eventIds = new String[n];
    String[] receivedAt = new String[n];
    for (int i = 0; i < n; i++) {
      EventRecord e = events.get(i);
      messageIds[i] = e.messageId();
      eventIds[i] = e.id();
      receivedAt[i] = e.receivedAt().toString();
    }
    Instant cutoff = Instant.now().minus(windows.of(workspaceId));
    return new Object[] {workspaceId, messageIds, eventIds, receivedAt, cutoff.toString()};
  }

  /** The parameters of a statement made of parts, in the parts' order. */
  private static Object[] concat(Object[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray();
  }

  /** Sorted so that concurrent writers lock dedupe keys in the same order (no deadlocks). */
  private static List<EventRecord> sortedByMessageId(Collection<EventRecord> events) {
    List<EventRecord> sorted = new ArrayList<>(events);
    sorted.sort((a, b) -> a.messageId().compareTo(b.messageId()));
    return sorted;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
