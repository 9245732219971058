package io.growthos.ingest.contacts;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Applies identity calls to contacts. Every method runs inside the caller's transaction (the
 * writer's group transaction), so contacts change exactly when their events are committed.
 *
 * <p>Rules (SPEC §3, decisions where it is silent):
 *
 * <ul>
 *   <li><b>identify</b> with a userId upserts the contact of that userId (traits merged with jsonb
 *       {@code ||}; later values win). Its {@code email} trait is also set as the contact's email,
 *       unless another contact of the workspace already has that email: then the field is left
 *       unchanged (the trait is still kept) and the request still succeeds. Its anonymousId is
 *       linked to the contact unless it already belongs to another contact (no move, no merge).
 *       Identify with only an anonymousId updates the traits of the contact that id is linked to,
 *       and creates nothing.
 *   <li><b>alias</b> links previousId to userId's contact (created if absent), unless previousId is
 *       already another contact's userId or already linked to another contact: two contacts are
 *       never merged.
 *   <li><b>group</b> upserts the group (traits merged) and, if the caller resolves to a contact,
 *       its membership.
 *   <li>When an id is newly linked, that id's earlier events without a contact get it.
 * </ul>
 *
 * All upserts use ON CONFLICT, so concurrent writers (and service copies) never fail on a race.
 */
public class ContactLinker {

  private static final String UPSERT_CONTACT =
      """
      insert into contacts (workspace_id, id, user_id, traits, first_seen_at, last_seen_at)
      values (?, ?, ?, coalesce(?::jsonb, '{}'::jsonb), ?, ?)
      on conflict (workspace_id, user_id) where user_id is not null do update
         set traits = contacts.traits || excluded.traits,
             version = contacts.version + case when excluded.traits = '{}'::jsonb then 0 else 1 end,
             updated_at = case when excluded.traits = '{}'::jsonb then contacts.updated_at
                               else now() end
      returning id, (xmax = 0) as inserted
      """;

  private static final String SET_EMAIL_UNLESS_TAKEN =
      """
      update contacts c set email = ?, updated_at = now()
       where c.workspace_id = ? and c.id = ? and c.email is distinct from ?
         and not exists (select 1 from contacts o
                          where o.workspace_id = c.workspace_id and lower(o.email) = lower(?)
                            and o.id <> c.id)
      """;

  private final JdbcTemplate jdbc;

  public ContactLinker(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * First and last time seen per contact, gathered while linking so the writer updates each contact
   * once per transaction.
   */
  public static final class Seen {
    private final Map<String, Instant[]> byContact = new HashMap<>();

    public void add(String contactId, Instant at) {
      Instant[] range = byContact.computeIfAbsent(contactId, k -> new Instant[] {at, at});
      if (at.isBefore(range[0])) {
        range[0] = at;
      }
      if (at.isAfter(range[1])) {
        range[1] = at;
      }
    }

    public Map<String, Instant[]> ranges() {
      return byContact;
    }
  }

  /** Identify; returns the contact the event belongs to, or null. */
  public String identify(
      String workspaceId,
      String userId,
      String anonymousId,
      String traits,
      String email,
      Instant at,
      Seen seen) {
    String contactId;
    if (userId != null) {
      contactId = upsertByUserId(workspaceId, userId, traits, at, seen);
      if (anonymousId != null) {
        link(workspaceId, anonymousId, contactId, seen, false);
      }
    } else {
      contactId = linkedContact(workspaceId, anonymousId);
      if (contactId == null) {
        return null;
      }
      if (traits != null) {
        jdbc.update(
            "update contacts set traits = traits || ?::jsonb, version = version + 1,"
                + " updated_at = now() where workspace_id = ? and id = ?",
            traits,
            workspaceId,
            contactId);
      }
    }
    if (email != null) {
      jdbc.update(SET_EMAIL_UNLESS_TAKEN, email, workspaceId, contactId, email, email);
    }
    return contactId;
  }

  /** Alias; returns userId's contact. */
  public String alias(String workspaceId, String previousId, String userId, Instant at, Seen seen) {
    String contactId = upsertByUserId(workspaceId, userId, null, at, seen);
    if (previousId.equals(userId)) {
      return contactId;
    }
    List<String> ownerByUserId =
        jdbc.queryForList(
            "select id from contacts where workspace_id = ? and user_id = ?",
            String.class,
            workspaceId,
            previousId);
    if (!ownerByUserId.isEmpty()) {
      // previousId is itself an identified contact: never merge two identified contacts.
      return contactId;
    }
    link(workspaceId, previousId, contactId, seen, true);
    return contactId;
  }

  /** Group; returns the caller's contact, or null. */
  public String group(
      String workspaceId, String groupId, String traits, String userId, String anonymousId) {
    String groupRowId =
        jdbc.queryForObject(
            """
            insert into groups (workspace_id, id, group_id, traits)
            values (?, ?, ?, coalesce(?::jsonb, '{}'::jsonb))
            on conflict (workspace_id, group_id) do update
               set traits = groups.traits || excluded.traits, version = groups.version + 1,
                   updated_at = now()
            returning id
            """,
            String.class,
            workspaceId,
            Ids.next(IdPrefix.GROUP),
            groupId,
            traits);
    String contactId =
        resolve(workspaceId, List.of(idsOf(userId, anonymousId))).get(key(userId, anonymousId));
    if (contactId != null) {
      jdbc.update(
          "insert into group_memberships (workspace_id, group_id, contact_id) values (?, ?, ?)"
              + " on conflict do nothing",
          workspaceId,
          groupRowId,
          contactId);
    }
    return contactId;
  }

  /** A caller's ids: userId, anonymousId, either may be null. */
  public record CallerIds(String userId, String anonymousId) {}

  public static CallerIds idsOf(String userId, String anonymousId) {
    return new CallerIds(userId, anonymousId);
  }

  public static String key(String userId, String anonymousId) {
    return userId + "\u0000" + anonymousId;
  }

  /**
   * The contact of each caller: by the contact's userId first, then by an id linked to a contact
   * (an identified anonymousId, or an aliased previous id used as userId or anonymousId). Keyed by
   * {@link #key}.
   */
  public Map<String, String> resolve(String workspaceId, Collection<CallerIds> callers) {
    List<String> userIds = new ArrayList<>();
    List<String> linked = new ArrayList<>();
    for (CallerIds c : callers) {
      if (c.userId() != null) {
        userIds.add(c.userId());
        linked.add(c.userId());
      }
      if (c.anonymousId() != null) {
        linked.add(c.anonymousId());
      }
    }
    Map<String, String> byUserId = new HashMap<>();
    if (!userIds.isEmpty()) {
      jdbc.query(
          "select user_id, id from contacts where workspace_id = ? and user_id = any(?)",
          rs -> {
            byUserId.put(rs.getString(1), rs.getString(2));
          },
          workspaceId,
          userIds.toArray(String[]::new));
    }
    Map<String, String> byLink = new HashMap<>();
    if (!linked.isEmpty()) {
      jdbc.query(
          "select value, contact_id from contact_identities"
              + " where workspace_id = ? and kind = 'anonymous_id' and value = any(?)",
          rs -> {
            byLink.put(rs.getString(1), rs.getString(2));
          },
          workspaceId,
          linked.toArray(String[]::new));
    }
    Map<String, String> out = new HashMap<>();
    for (CallerIds c : callers) {
      String contact = c.userId() == null ? null : byUserId.get(c.userId());
      if (contact == null && c.userId() != null) {
        contact = byLink.get(c.userId());
      }
      if (contact == null && c.anonymousId() != null) {
        contact = byLink.get(c.anonymousId());
      }
      if (contact != null) {
        out.put(key(c.userId(), c.anonymousId()), contact);
      }
    }
    return out;
  }

  /** Stamps the contact's first/last seen from what {@code seen} gathered, one statement. */
  public void touch(String workspaceId, Seen seen) {
    if (seen.ranges().isEmpty()) {
      return;
    }
    // Sorted by id so concurrent writers lock contacts in the same order (no deadlocks).
    List<String> ids = new ArrayList<>(seen.ranges().keySet());
    ids.sort(null);
    String[] first = new String[ids.size()];
    String[] last = new String[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      Instant[] r = seen.ranges().get(ids.get(i));
      first[i] = r[0].toString();
      last[i] = r[1].toString();
    }
    jdbc.update(
        """
        update contacts c
           set first_seen_at = least(coalesce(c.first_seen_at, v.f), v.f),
               last_seen_at = greatest(coalesce(c.last_seen_at, v.l), v.l)
          from unnest(?::text[], ?::timestamptz[], ?::timestamptz[]) as v(id, f, l)
         where c.workspace_id = ? and c.id = v.id
           and (c.first_seen_at is null or c.first_seen_at > v.f
                or c.last_seen_at is null or c.last_seen_at < v.l)
        """,
        ids.toArray(String[]::new),
        first,
        last,
        workspaceId);
  }

  private String upsertByUserId(
      String workspaceId, String userId, String traits, Instant at, Seen seen) {
    Timestamp ts = Timestamp.from(at);
    Map<String, Object> row =
        jdbc.queryForMap(
            UPSERT_CONTACT, workspaceId, Ids.next(IdPrefix.CONTACT), userId, traits, ts, ts);
    String contactId = (String) row.get("id");
    if (Boolean.TRUE.equals(row.get("inserted"))) {
      jdbc.update(
          "insert into contact_identities (workspace_id, kind, value, contact_id)"
              + " values (?, 'user_id', ?, ?) on conflict do nothing",
          workspaceId,
          userId,
          contactId);
      backfill(
          "update events set contact_id = ? where workspace_id = ? and user_id = ?"
              + " and contact_id is null returning timestamp",
          workspaceId,
          userId,
          contactId,
          seen);
    }
    return contactId;
  }

  /**
   * Links {@code id} (an anonymousId or a previous id) to the contact unless it is linked already,
   * and gives that id's contact-less events to the contact.
   */
  private void link(
      String workspaceId, String id, String contactId, Seen seen, boolean alsoAsUserId) {
    int linked =
        jdbc.update(
            "insert into contact_identities (workspace_id, kind, value, contact_id)"
                + " values (?, 'anonymous_id', ?, ?) on conflict do nothing",
            workspaceId,
            id,
            contactId);
    if (linked == 0) {
      return;
    }
    backfill(
        "update events set contact_id = ? where workspace_id = ? and anonymous_id = ?"
            + " and contact_id is null returning timestamp",
        workspaceId,
        id,
        contactId,
        seen);
    if (alsoAsUserId) {
      backfill(
          "update events set contact_id = ? where workspace_id = ? and user_id = ?"
              + " and contact_id is null returning timestamp",
          workspaceId,
          id,
          contactId,
          seen);
    }
  }

  private void backfill(String sql, String workspaceId, String id, String contactId, Seen seen) {
    jdbc.query(
        sql,
        rs -> {
          seen.add(contactId, rs.getTimestamp(1).toInstant());
        },
        contactId,
        workspaceId,
        id);
  }

  private String linkedContact(String workspaceId, String anonymousId) {
    List<String> ids =
        jdbc.queryForList(
            "select contact_id from contact_identities"
                + " where workspace_id = ? and kind = 'anonymous_id' and value = ?",
            String.class,
            workspaceId,
            anonymousId);
    return ids.isEmpty() ? null : ids.get(0);
  }
}
