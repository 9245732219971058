package io.growthos.core.outbox;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes webhook events into {@code webhook_outbox}, always inside the caller's transaction: the
 * {@link JdbcTemplate} joins the transaction Spring holds for the thread (a JPA or a JDBC one), so
 * the event commits or rolls back with the change it describes. Calling it outside a transaction is
 * a bug and throws.
 *
 * <p>Event ids are {@code evt_…} ids minted here; the dispatcher sends them as {@code webhook-id},
 * so they stay the same across retries. Payloads are the resource as the Management API returns it
 * (snake_case, RFC 3339 timestamps with millis).
 */
public final class Outbox {

  /** An RFC 3339 UTC timestamp with millis, as the Management API writes them. */
  private static final String TS =
      "to_char(%s at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";

  /**
   * The contact as {@code GET /v1/contacts/{id}} returns it, built in SQL so that the ingest
   * service (which has no JPA view of contacts) emits the same document as the management service.
   * {@code ContactPayloadTests} of the management service compares the two.
   */
  private static final String CONTACT_JSON =
      """
      jsonb_build_object(
        'id', c.id, 'object', 'contact', 'email', c.email, 'user_id', c.user_id,
        'anonymous_ids', coalesce((select jsonb_agg(ci.value order by ci.value collate "C")
                                     from contact_identities ci
                                    where ci.workspace_id = c.workspace_id
                                      and ci.contact_id = c.id and ci.kind = 'anonymous_id'),
                                  '[]'::jsonb),
        'traits', c.traits,
        'groups', coalesce((select jsonb_agg(g.group_id order by g.group_id)
                              from group_memberships m
                              join groups g on g.workspace_id = m.workspace_id and g.id = m.group_id
                             where m.workspace_id = c.workspace_id and m.contact_id = c.id),
                           '[]'::jsonb),
        'first_seen_at', %s, 'last_seen_at', %s, 'created_at', %s, 'updated_at', %s,
        'version', c.version)
      """
          .formatted(
              TS.formatted("c.first_seen_at"),
              TS.formatted("c.last_seen_at"),
              TS.formatted("c.created_at"),
              TS.formatted("c.updated_at"));

  private static final String INSERT_MANY =
      """
      insert into webhook_outbox (workspace_id, id, type, payload)
      select ?, i, t, p::jsonb from unnest(?::text[], ?::text[], ?::text[]) as x(i, t, p)
      """;

  private static final String INSERT_CONTACTS =
      """
      insert into webhook_outbox (workspace_id, id, type, payload)
      select c.workspace_id, x.evt, ?, %s
        from unnest(?::text[], ?::text[]) as x(contact_id, evt)
        join contacts c on c.workspace_id = ? and c.id = x.contact_id
      """
          .formatted(CONTACT_JSON);

  /**
   * Contacts that this transaction created or changed, told apart by the transaction's own
   * timestamp: {@code now()} is the start of the current transaction, and every contact write sets
   * {@code created_at}/{@code updated_at} (or a new identity's or membership's {@code created_at})
   * to it. So no caller has to report what each rule changed, and a contact touched by many events
   * of one group commit yields one row, with its state at commit.
   */
  private static final String INSERT_CHANGED_CONTACTS =
      """
      insert into webhook_outbox (workspace_id, id, type, payload)
      select c.workspace_id, x.evt,
             case when c.created_at = now() then 'contact.created' else 'contact.updated' end,
             %s
        from unnest(?::text[], ?::text[]) as x(contact_id, evt)
        join contacts c on c.workspace_id = ? and c.id = x.contact_id
       where c.created_at = now() or c.updated_at = now()
          or exists (select 1 from contact_identities ci
                      where ci.workspace_id = c.workspace_id and ci.contact_id = c.id
                        and ci.created_at = now())
          or exists (select 1 from group_memberships m
                      where m.workspace_id = c.workspace_id and m.contact_id = c.id
                        and m.created_at = now())
      """
          .formatted(CONTACT_JSON);

  private final JdbcTemplate jdbc;

  public Outbox(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** One event to emit: its type and its payload, a JSON object text. */
  public record Emission(EventType type, String payloadJson) {}

  /** Emits one event in the current transaction; returns its {@code evt_…} id. */
  public String emit(String workspaceId, EventType type, String payloadJson) {
    return emitAll(workspaceId, List.of(new Emission(type, payloadJson))).get(0);
  }

  /** Emits several events of one workspace with one statement; returns their ids in order. */
  public List<String> emitAll(String workspaceId, List<Emission> emissions) {
    requireTransaction();
    int n = emissions.size();
    if (n == 0) {
      return List.of();
    }
    String[] ids = new String[n];
    String[] types = new String[n];
    String[] payloads = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = Ids.next(IdPrefix.EVENT);
      types[i] = emissions.get(i).type().wireName();
      payloads[i] = emissions.get(i).payloadJson();
    }
    jdbc.update(INSERT_MANY, workspaceId, ids, types, payloads);
    return List.of(ids);
  }

  /**
   * Emits {@code type} for each contact with its current state as payload (for {@code
   * contact.deleted}: call it before deleting). Contacts that do not exist are skipped.
   */
  public int emitContacts(String workspaceId, EventType type, Collection<String> contactIds) {
    requireTransaction();
    if (contactIds.isEmpty()) {
      return 0;
    }
    String[][] args = idsAndEventIds(contactIds);
    return jdbc.update(INSERT_CONTACTS, type.wireName(), args[0], args[1], workspaceId);
  }

  /**
   * Emits {@code contact.created} or {@code contact.updated}, once each, for those of {@code
   * candidates} that the current transaction created or changed (see the SQL above for how that is
   * told); the others are skipped. For writers that apply many changes per transaction, such as
   * ingest's group commit: call it once, after the last change and before commit.
   */
  public int emitChangedContacts(String workspaceId, Collection<String> candidates) {
    requireTransaction();
    if (candidates.isEmpty()) {
      return 0;
    }
    String[][] args = idsAndEventIds(candidates);
    return jdbc.update(INSERT_CHANGED_CONTACTS, args[0], args[1], workspaceId);
  }

  private static String[][] idsAndEventIds(Collection<String> contactIds) {
    List<String> unique = new ArrayList<>(new java.util.LinkedHashSet<>(contactIds));
    String[] ids = unique.toArray(String[]::new);
    String[] events = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      events[i] = Ids.next(IdPrefix.EVENT);
    }
    return new String[][] {ids, events};
  }

  private static void requireTransaction() {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          "Outbox events must be written in the transaction of the change they describe");
    }
  }
}
