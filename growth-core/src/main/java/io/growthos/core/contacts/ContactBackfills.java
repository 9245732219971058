package io.growthos.core.contacts;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links the history of a newly linked id to its contact outside the transaction that linked it.
 *
 * <p>Why: the first identify of an id with a long history used to update all its past events inside
 * the Ingest API's group-commit transaction, which every workspace's writes share, so one such
 * identify stalled them all. Now the link only {@link #enqueue queues} a back-fill (one row, in the
 * linking transaction), and a worker in each service copy processes the queue in chunks of at most
 * {@code chunkSize} events per transaction, claiming work with {@code FOR UPDATE SKIP LOCKED} so
 * copies share it. Meanwhile the events stay findable by their user or anonymous id.
 *
 * <p>Locks: a chunk holds {@code FOR KEY SHARE} on the contact, so a concurrent deletion (which
 * takes {@code FOR UPDATE}) waits for the chunk and then deletes what it linked, or runs first and
 * the chunk finds the contact gone (its queued back-fills are deleted with it). The chunk never
 * waits for a deletion ({@code NOWAIT}: it gives up and the job is retried later), and a deletion
 * takes the contact's queue rows before the contact, so the two cannot deadlock.
 */
public class ContactBackfills {

  private static final Logger log = LoggerFactory.getLogger(ContactBackfills.class);

  /** The id kinds a back-fill matches events by. */
  public static final String USER_ID = "user_id";

  public static final String ANONYMOUS_ID = "anonymous_id";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final ContactChanges changes;
  private final int chunkSize;

  public ContactBackfills(
      JdbcTemplate jdbc, TransactionTemplate tx, ContactChanges changes, int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive");
    }
    this.jdbc = jdbc;
    this.tx = tx;
    this.changes = changes;
    this.chunkSize = chunkSize;
  }

  /**
   * Queues the back-fill of the events of {@code value} (as {@code kind}: their user_id or
   * anonymous_id) that have no contact, in the caller's transaction.
   */
  public void enqueue(String workspaceId, String contactId, String kind, String value) {
    enqueue(jdbc, workspaceId, contactId, kind, value);
  }

  /** {@link #enqueue(String, String, String, String)} through {@code jdbc}'s transaction. */
  public static void enqueue(
      JdbcTemplate jdbc, String workspaceId, String contactId, String kind, String value) {
    jdbc.update(
        "insert into contact_backfills (workspace_id, contact_id, kind, value)"
            + " values (?, ?, ?, ?) on conflict do nothing",
        workspaceId,
        contactId,
        kind,
        value);
  }

  /** Back-fills still queued (for tests and metrics). */
  public long queued() {
    Long n = jdbc.queryForObject("select count(*) from contact_backfills", Long.class);
    return n == null ? 0 : n;
  }

  /**
   * Processes one chunk of one queued back-fill in its own transaction. Returns the events it
   * linked (0 to chunkSize), or -1 when there was nothing to claim.
   */
  public int runChunk() {
    try {
      Integer linked = tx.execute(status -> chunk());
      return linked == null ? -1 : linked;
    } catch (PessimisticLockingFailureException e) {
      // The contact is being deleted (NOWAIT below): its back-fills go with it; try later.
      return -1;
    }
  }

  /** Runs chunks until the queue has nothing to claim or {@code maxChunks} ran; returns chunks. */
  public int drain(int maxChunks) {
    int chunks = 0;
    while (chunks < maxChunks && runChunk() >= 0) {
      chunks++;
    }
    return chunks;
  }

  /**
   * A back-fill by an anonymous (or aliased) id takes that id's events that name no user id or one
   * of the contact's own ids: an event of a shared browser that names a user id nobody had yet is
   * that person's, left for their identify's back-fill by user id, not the contact's whose identify
   * linked the browser later. Until 2026-12-07 it was taken by that other contact for good (a
   * black-box review). Its parameter is the contact.
   */
  private static final String OWN_USER_IDS_ONLY =
      """

                 and (e.user_id is null or exists (select 1 from contact_identities ci
                       where ci.workspace_id = e.workspace_id and ci.value = e.user_id
                         and ci.contact_id = ?))""";

  /**
   * The oldest queued job no other worker holds, locked until the chunk commits. Read through
   * {@code contact_backfills_queue_idx} (V68): a claim touches a few pages however long the queue.
   */
  public static final String CLAIM_NEXT =
      "select workspace_id, contact_id, kind, value, after_event_id from contact_backfills"
          + " order by created_at limit 1 for update skip locked";

  private Integer chunk() {
    List<Map<String, Object>> jobs = jdbc.queryForList(CLAIM_NEXT);
    if (jobs.isEmpty()) {
      return null;
    }
    Map<String, Object> job = jobs.get(0);
    String ws = (String) job.get("workspace_id");
    String contactId = (String) job.get("contact_id");
    String kind = (String) job.get("kind");
    String value = (String) job.get("value");
    String after = (String) job.get("after_event_id");
    List<String> alive =
        jdbc.queryForList(
            "select id from contacts where workspace_id = ? and id = ? for key share nowait",
            String.class,
            ws,
            contactId);
    if (alive.isEmpty()) {
      deleteJob(ws, contactId, kind, value);
      return 0;
    }
    // Keyset over the id's events (index (workspace_id, <kind>, id)): each chunk reads only rows
    // after the previous one, so a long history costs O(rows), not O(rows^2 / chunk).
    boolean byUserId = USER_ID.equals(kind);
    String column = byUserId ? "user_id" : "anonymous_id";
    Map<String, Object> result =
        jdbc.queryForMap(
            """
            with chunk as (
              select id from events
               where workspace_id = ? and %s = ? and id > ?
               order by id limit ?
            ), linked as (
              update events e set contact_id = ?
                from chunk where e.workspace_id = ? and e.id = chunk.id and e.contact_id is null%s
              returning e.timestamp, e.type, e.group_id, e.workspace_id, e.contact_id
            ), memberships as (
              -- A group call stored before its caller had a contact: its membership comes with it
              -- (the group itself was upserted when the call was stored).
              insert into group_memberships (workspace_id, group_id, contact_id)
              select distinct g.workspace_id, g.id, l.contact_id
                from linked l join groups g on g.workspace_id = l.workspace_id and g.group_id = l.group_id
               where l.type = 'group'
              on conflict do nothing
            )
            select (select max(id) from chunk) as last_id, (select count(*) from chunk) as scanned,
                   (select count(*) from linked) as linked,
                   (select min(timestamp) from linked) as first_at,
                   (select max(timestamp) from linked) as last_at
            """
                .formatted(column, byUserId ? "" : OWN_USER_IDS_ONLY),
            byUserId
                ? new Object[] {ws, value, after, chunkSize, contactId, ws}
                : new Object[] {ws, value, after, chunkSize, contactId, ws, contactId});
    int scanned = ((Number) result.get("scanned")).intValue();
    int linked = ((Number) result.get("linked")).intValue();
    if (linked > 0) {
      int touched =
          jdbc.update(
              """
              update contacts
                 set first_seen_at = least(coalesce(first_seen_at, ?), ?),
                     last_seen_at = greatest(coalesce(last_seen_at, ?), ?),
                     version = version + 1
               where workspace_id = ? and id = ?
                 and (first_seen_at is null or first_seen_at > ?
                      or last_seen_at is null or last_seen_at < ?)
              """,
              result.get("first_at"),
              result.get("first_at"),
              result.get("last_at"),
              result.get("last_at"),
              ws,
              contactId,
              result.get("first_at"),
              result.get("last_at"));
      if (touched > 0) {
        changes.changed(ws, contactId, ContactChanges.Kind.UPDATED);
      }
    }
    if (scanned < chunkSize) {
      deleteJob(ws, contactId, kind, value);
    } else {
      jdbc.update(
          "update contact_backfills set after_event_id = ?"
              + " where workspace_id = ? and contact_id = ? and kind = ? and value = ?",
          result.get("last_id"),
          ws,
          contactId,
          kind,
          value);
    }
    return linked;
  }

  private void deleteJob(String ws, String contactId, String kind, String value) {
    jdbc.update(
        "delete from contact_backfills"
            + " where workspace_id = ? and contact_id = ? and kind = ? and value = ?",
        ws,
        contactId,
        kind,
        value);
  }

  /**
   * Runs the queue in the background: every {@code intervalMillis}, chunks until it is empty. Start
   * and stop it with the application ({@code @Bean(initMethod = "start", destroyMethod = "stop")}).
   */
  public static final class Worker {
    private final ContactBackfills backfills;
    private final long intervalMillis;
    private ScheduledExecutorService executor;

    public Worker(ContactBackfills backfills, long intervalMillis) {
      this.backfills = backfills;
      this.intervalMillis = intervalMillis;
    }

    public synchronized void start() {
      if (executor != null) {
        return;
      }
      executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "contact-backfill");
                t.setDaemon(true);
                return t;
              });
      executor.scheduleWithFixedDelay(
          this::runOnce, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
      try {
        while (!Thread.currentThread().isInterrupted() && backfills.runChunk() >= 0) {
          // one transaction per chunk, until the queue has nothing to claim
        }
      } catch (RuntimeException e) {
        log.warn("Contact back-fill failed; retrying later: {}", e.toString());
      }
    }

    public synchronized void stop() throws InterruptedException {
      if (executor == null) {
        return;
      }
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
      executor = null;
    }
  }
}
