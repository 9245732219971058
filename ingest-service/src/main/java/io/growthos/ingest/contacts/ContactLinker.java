package io.growthos.ingest.contacts;

import io.growthos.core.contacts.ContactBackfills;
import io.growthos.core.contacts.ContactChanges;
import io.growthos.core.contacts.ContactIdentities;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.model.contacts.TraitPatch;
import io.growthos.model.contacts.Traits;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.values.SqlInstants;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Applies identity calls to contacts: the one place where the Ingest API changes a contact (and so
 * calls {@link ContactChanges}). Every method runs inside the caller's transaction (the writer's
 * group transaction), so contacts change exactly when their events are committed.
 *
 * <p>This is the fast SQL path of the shared contact rules (docs/contacts.md): the merge of {@link
 * TraitPatch} ({@code (traits - removed) || set}: a value sets a trait, {@code null} removes it),
 * the email rules of {@link io.growthos.model.contacts.ContactEmail} and a version bump on every
 * change, the same rules the Management API applies through the {@code Contact} entity; one table
 * of cases ({@code ContactRuleCases}) tests both. That includes the cap on a contact's traits
 * ({@link Traits#growsPastCap}, measured in SQL as {@link Traits#sqlGrowsPastCap}): where the
 * Management API refuses such a change, identify stores and acknowledges its event and skips the
 * change to the contact, logging a warning.
 *
 * <ul>
 *   <li><b>identify</b> with a userId applies the traits to the contact of that userId: the contact
 *       whose user id it is, else the contact it was aliased to, else the contact its anonymousId
 *       is linked to when that one has no user id yet (it takes the userId), else a new one. Its
 *       {@code email} trait also sets the contact's email, unless another contact of the workspace
 *       holds that address: then the field is left unchanged (the trait is still kept). Its
 *       anonymousId is linked to the contact unless it already is another contact's id, of either
 *       kind (no move, no merge). Identify with only an anonymousId updates the contact that id is
 *       linked to, and creates nothing.
 *   <li><b>alias</b> links previousId to userId's contact, unless previousId is already another
 *       contact's userId or already linked to another contact: two contacts are never merged. A
 *       userId with no contact yet joins previousId's contact when previousId has one, else gets a
 *       new contact.
 *   <li><b>group</b> upserts the group (traits merged) and, if the caller resolves to a contact,
 *       its membership.
 *   <li>When an id is newly linked, the back-fill of that id's earlier events without a contact is
 *       queued ({@link ContactBackfills}), not done here: it must not stall the group commit.
 * </ul>
 *
 * All upserts use ON CONFLICT, so concurrent writers (and service copies) never fail on a race.
 */
public class ContactLinker {

  private static final Logger log = LoggerFactory.getLogger(ContactLinker.class);

  /**
   * A contact for a new userId; its traits and email are decided by the caller. A concurrent writer
   * (another group, another service copy) may have created it since it was looked up: then nothing
   * is inserted and the call becomes a merge into that contact.
   */
  private static final String INSERT_CONTACT =
      """
      insert into contacts (workspace_id, id, user_id, email, traits, first_seen_at, last_seen_at)
      values (?, ?, ?, ?, ?::jsonb, ?, ?)
      on conflict (workspace_id, user_id) where user_id is not null do nothing
      returning id
      """;

  /** {@link TraitPatch}'s merge over the row's traits. */
  private static final String MERGED = "(c.traits - p.removed) || p.added";

  /** Whether that merge would grow the traits past their cap ({@link Traits#growsPastCap}). */
  private static final String GROWS_PAST_CAP = Traits.sqlGrowsPastCap(MERGED, "c.traits");

  /**
   * Merges traits and email into a contact when that changes it, in one statement: no read of the
   * traits first, so the group commit pays no extra round trip. A merge that would grow the traits
   * past their cap leaves the whole row as it was (traits, email, version) and returns {@code
   * skipped} true; the rows of other changes return false. {@code RETURNING} sees the row as
   * written, and the same expression over it tells a skipped merge (the row still holds the old
   * traits, so the merge still grows them) from an applied one (merging the same change again
   * changes nothing, so it grows nothing). Every expression reads the row as locked for the update,
   * so a concurrent identify of the same contact is never lost.
   */
  private static final String UPDATE_CONTACT =
      """
      update contacts c
         set traits = case when %2$s then c.traits else %1$s end,
             email = case when %2$s then c.email else coalesce(p.email, c.email) end,
             version = c.version + case when %2$s then 0 else 1 end,
             updated_at = case when %2$s then c.updated_at else now() end
        from (select ?::text[] as removed, ?::jsonb as added, ?::text as email) p
       where c.workspace_id = ? and c.id = ?
         and (%1$s <> c.traits or c.email is distinct from coalesce(p.email, c.email))
      returning %2$s as skipped
      """
          .formatted(MERGED, GROWS_PAST_CAP);

  /**
   * A group by its client id, its traits merged ({@code ||}) under the same cap as a contact's
   * ({@link Traits#sqlGrowsPastCap}): a group call whose traits would grow the group's past it
   * leaves them as they were (a new group gets none), and {@code skipped} says so. The incoming
   * traits are the parameter {@code t}, given five times (three in the insert, two in {@code
   * RETURNING}). {@code RETURNING} sees the row as written: merging {@code t} again grows traits it
   * was merged into by nothing, and grows traits it was kept out of past the cap.
   */
  private static final String UPSERT_GROUP =
      """
      insert into groups (workspace_id, id, group_id, traits)
      values (?, ?, ?, case when %1$s then '{}'::jsonb else ?::jsonb end)
      on conflict (workspace_id, group_id) do update
         set traits = case when %2$s then groups.traits else groups.traits || excluded.traits end,
             version = groups.version + 1, updated_at = now()
      returning id, %3$s as skipped
      """
          .formatted(
              Traits.sqlGrowsPastCap("?::jsonb", "'{}'::jsonb"),
              Traits.sqlGrowsPastCap("groups.traits || excluded.traits", "groups.traits"),
              Traits.sqlGrowsPastCap("groups.traits || ?::jsonb", "groups.traits"));

  private final JdbcTemplate jdbc;
  private final ContactBackfills backfills;
  private final ContactChanges changes;

  public ContactLinker(JdbcTemplate jdbc, ContactBackfills backfills, ContactChanges changes) {
    this.jdbc = jdbc;
    this.backfills = backfills;
    this.changes = changes;
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
      String workspaceId, String userId, String anonymousId, String traits, Instant at) {
    TraitPatch patch = TraitPatch.fromJson(traits);
    String contactId;
    if (userId != null) {
      contactId = contactOfUserId(workspaceId, userId);
      String claimed = null;
      if (contactId == null && anonymousId != null && !anonymousId.equals(userId)) {
        claimed = claimAnonymous(workspaceId, userId, anonymousId);
        contactId = claimed;
      }
      if (contactId == null) {
        contactId = upsertByUserId(workspaceId, userId, patch, at);
      } else if (!update(workspaceId, contactId, patch) && claimed != null) {
        // The user id is the change (one version, one contact.updated with the traits' if any).
        claimedChange(workspaceId, contactId);
      }
      if (anonymousId != null && !anonymousId.equals(userId)) {
        link(workspaceId, anonymousId, contactId, false);
      }
    } else {
      contactId = linkedContact(workspaceId, anonymousId);
      if (contactId == null) {
        return null;
      }
      update(workspaceId, contactId, patch);
    }
    return contactId;
  }

  /** Alias; returns userId's contact. */
  public String alias(String workspaceId, String previousId, String userId, Instant at) {
    String contactId = contactOfUserId(workspaceId, userId);
    if (contactId == null && !previousId.equals(userId)) {
      // A new userId whose previousId is an anonymous contact's id: that contact takes it as its
      // user id, as an identify carrying previousId as its anonymousId would. Until 2026-12-07 it
      // was linked as an aliased id and the contact kept no user id for good (a black-box review).
      String claimed = claimAnonymous(workspaceId, userId, previousId);
      if (claimed != null) {
        claimedChange(workspaceId, claimed);
        return claimed;
      }
      // A new userId whose previousId is already a contact's (identify, then alias(newId), as the
      // browser SDKs send it): userId joins that contact, as alias, then identify of the old id
      // ends with one contact too. No contact is merged: userId had none.
      String previousContact = contactOfUserId(workspaceId, previousId);
      if (previousContact != null) {
        link(workspaceId, userId, previousContact, true);
        // Linked, or another writer gave userId a contact meanwhile: either way it has one now.
        contactId = contactOfUserId(workspaceId, userId);
        if (contactId != null) {
          return contactId;
        }
      }
    }
    if (contactId == null) {
      contactId = upsertByUserId(workspaceId, userId, TraitPatch.EMPTY, at);
    }
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
    link(workspaceId, previousId, contactId, true);
    return contactId;
  }

  /** Group; returns the caller's contact, or null. */
  public String group(
      String workspaceId, String groupId, String traits, String userId, String anonymousId) {
    String t = traits == null ? "{}" : traits;
    Map<String, Object> row =
        jdbc.queryForMap(
            UPSERT_GROUP, workspaceId, Ids.next(IdPrefix.GROUP), groupId, t, t, t, t, t);
    String groupRowId = (String) row.get("id");
    if (Boolean.TRUE.equals(row.get("skipped"))) {
      log.warn(
          "Group traits not merged into group {} of workspace {}: they would grow its traits past"
              + " {} bytes; the event is stored, the group's traits are unchanged",
          groupRowId,
          workspaceId,
          Traits.MAX_BYTES);
    }
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
   * {@link #key}. One round trip.
   */
  public Map<String, String> resolve(String workspaceId, Collection<CallerIds> callers) {
    return resolve(workspaceId, callers, List.of()).contacts();
  }

  /**
   * What a group of events needs to know before it is stored: the contact of each caller (as {@link
   * #resolve(String, Collection)}) and which of {@code ids} are suppressed (as {@link
   * ContactSuppressions#suppressedAmong}), in one statement, so the group-commit writer pays one
   * round trip for both.
   *
   * @param contacts keyed by {@link #key}
   * @param suppressed the suppressed ones among the ids asked about
   */
  public record Resolution(Map<String, String> contacts, Set<String> suppressed) {}

  /** See {@link Resolution}; {@code ids} may be empty (no suppression check). */
  public Resolution resolve(
      String workspaceId, Collection<CallerIds> callers, Collection<String> ids) {
    Query query = resolutionQuery(workspaceId, callers, ids);
    List<String[]> rows = new ArrayList<>();
    if (query.args().length > 0) { // else nothing to ask
      jdbc.query(
          query.sql(),
          rs -> {
            rows.add(row(rs));
          },
          query.args());
    }
    return resolution(callers, rows);
  }

  /** One SQL statement and its parameters. */
  public record Query(String sql, Object[] args) {}

  /**
   * The statement behind {@link #resolve(String, Collection, Collection)}, for a caller that runs
   * it as part of its own statement: each row is what it is ({@code 'u'} a contact by user id,
   * {@code 'l'} a linked id of a contact with a user id, {@code 'a'} one of a contact without,
   * {@code 's'} a suppressed id), the id, and the contact. No row means no caller has a contact and
   * none of {@code ids} is suppressed. Read the rows with {@link #row} and turn them into a {@link
   * Resolution} with {@link #resolution}.
   */
  public Query resolutionQuery(
      String workspaceId, Collection<CallerIds> callers, Collection<String> ids) {
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
    List<String> parts = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (!userIds.isEmpty()) {
      parts.add(
          "select 'u', user_id, id from contacts where workspace_id = ? and user_id = any(?)");
      args.add(workspaceId);
      args.add(userIds.toArray(String[]::new));
    }
    if (!linked.isEmpty()) {
      parts.add(
          "select case when c.user_id is null then 'a' else 'l' end, i.value, i.contact_id"
              + " from contact_identities i join contacts c on c.workspace_id = i.workspace_id"
              + " and c.id = i.contact_id"
              + " where i.workspace_id = ? and i.kind = 'anonymous_id' and i.value = any(?)");
      args.add(workspaceId);
      args.add(linked.toArray(String[]::new));
    }
    if (!ids.isEmpty()) {
      parts.add("select 's', value, null" + ContactSuppressions.SUPPRESSED_AMONG);
      args.add(workspaceId);
      args.add(ids.toArray(String[]::new));
    }
    if (parts.isEmpty()) {
      parts.add("select null::text, null::text, null::text where false");
    }
    return new Query(String.join(" union all ", parts), args.toArray());
  }

  /** One row of {@link #resolutionQuery}'s statement, its first three columns. */
  public static String[] row(ResultSet rs) throws SQLException {
    return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
  }

  /** The {@link Resolution} the rows of {@link #resolutionQuery} give for {@code callers}. */
  public Resolution resolution(Collection<CallerIds> callers, List<String[]> rows) {
    Map<String, String> byUserId = new HashMap<>();
    Map<String, String> byLink = new HashMap<>();
    Set<String> toAnonymousContact = new HashSet<>();
    Set<String> suppressed = new HashSet<>();
    for (String[] row : rows) {
      switch (row[0]) {
        case "u" -> byUserId.put(row[1], row[2]);
        case "l" -> byLink.put(row[1], row[2]);
        case "a" -> {
          byLink.put(row[1], row[2]);
          toAnonymousContact.add(row[1]);
        }
        default -> suppressed.add(row[1]);
      }
    }
    Map<String, String> out = new HashMap<>();
    for (CallerIds c : callers) {
      String contact = c.userId() == null ? null : byUserId.get(c.userId());
      if (contact == null && c.userId() != null) {
        contact = byLink.get(c.userId());
      }
      // An event that names a user id nobody has yet belongs to that person, not to whoever its
      // browser's anonymous id was identified as before (a shared browser): it goes to the
      // anonymous id's contact only when that contact has no user id (the one the person's identify
      // would claim, docs/contacts.md), else to no contact until that user id's identify back-fills
      // it. Until 2026-12-07 it went to the other person's contact for good (a black-box review).
      if (contact == null
          && c.anonymousId() != null
          && (c.userId() == null || toAnonymousContact.contains(c.anonymousId()))) {
        contact = byLink.get(c.anonymousId());
      }
      if (contact != null) {
        out.put(key(c.userId(), c.anonymousId()), contact);
      }
    }
    return new Resolution(out, suppressed);
  }

  /**
   * Holds {@code FOR KEY SHARE} on the contacts events are about to be attached to, until the group
   * commits, and returns those that still exist. A contact deletion ({@code FOR UPDATE}) therefore
   * either waits for this transaction and then deletes its events, or ran first, and then its
   * contact is missing here. Does not conflict with other writers' updates of the row.
   */
  public Set<String> lockLive(String workspaceId, Collection<String> contactIds) {
    Set<String> live = new HashSet<>();
    if (contactIds.isEmpty()) {
      return live;
    }
    String[] ids = contactIds.stream().sorted().distinct().toArray(String[]::new);
    jdbc.query(
        "select id from contacts where workspace_id = ? and id = any(?) order by id for key share",
        rs -> {
          live.add(rs.getString(1));
        },
        workspaceId,
        ids);
    return live;
  }

  /**
   * Stamps the contacts' first/last seen from what {@code seen} gathered, one statement. Moving
   * either bumps the version like any other change, but not {@code updated_at}: first/last seen are
   * the contact's activity, with times of their own, so a contact whose only change is its activity
   * emits no {@code contact.updated} (the outbox tells a change by {@code updated_at}, {@link
   * io.growthos.core.outbox.Outbox}); an SDK that identifies on every page view would otherwise
   * announce every page view. Until 2026-12-07 an identify that only moved last seen emitted one,
   * and a track (whose group takes another path) did not.
   */
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
    jdbc.query(
        """
        update contacts c
           set first_seen_at = least(coalesce(c.first_seen_at, v.f), v.f),
               last_seen_at = greatest(coalesce(c.last_seen_at, v.l), v.l),
               version = c.version + 1
          from unnest(?::text[], ?::timestamptz[], ?::timestamptz[]) as v(id, f, l)
         where c.workspace_id = ? and c.id = v.id
           and (c.first_seen_at is null or c.first_seen_at > v.f
                or c.last_seen_at is null or c.last_seen_at < v.l)
        returning c.id
        """,
        rs -> {
          changes.changed(workspaceId, rs.getString(1), ContactChanges.Kind.UPDATED);
        },
        ids.toArray(String[]::new),
        first,
        last,
        workspaceId);
  }

  /**
   * The contact a userId names, if any: the contact whose user id it is, else the contact it was
   * aliased to (or linked to as an anonymous id). Checking the link too is what keeps "alias, then
   * identify the old id" from creating a second contact.
   */
  private String contactOfUserId(String workspaceId, String userId) {
    List<String> ids =
        jdbc.queryForList(
            """
            select id from (
              select id, 0 as rank from contacts where workspace_id = ? and user_id = ?
              union all
              select contact_id, 1 from contact_identities
               where workspace_id = ? and kind = 'anonymous_id' and value = ?
            ) x order by rank limit 1
            """,
            String.class,
            workspaceId,
            userId,
            workspaceId,
            userId);
    return ids.isEmpty() ? null : ids.get(0);
  }

  /**
   * The address the patch's email trait sets, or null when it offers none or another contact (not
   * {@code self}, matched by id, or by user id when the contact may not exist yet) holds it.
   */
  private String emailFor(String workspaceId, TraitPatch patch, String selfId, String selfUserId) {
    String candidate = patch.emailCandidate();
    if (candidate == null) {
      return null;
    }
    List<Map<String, Object>> holders =
        jdbc.queryForList(
            "select id, user_id from contacts where workspace_id = ? and lower(email) = lower(?)",
            workspaceId,
            candidate);
    for (Map<String, Object> holder : holders) {
      boolean self =
          selfId != null
              ? selfId.equals(holder.get("id"))
              : selfUserId != null && selfUserId.equals(holder.get("user_id"));
      if (!self) {
        return null;
      }
    }
    return candidate;
  }

  /**
   * The contact {@code anonymousId} is linked to, when that contact has no user id yet: it takes
   * {@code userId} as its user id and is returned. An anonymous contact (made by a campaign join
   * that carried the visitor's anonymous id, or by a Management API create with only {@code
   * anonymous_ids}) so becomes the identified person when the visitor signs up, as a browser's
   * anonymous history becomes the user's. Null when the id is linked to no contact or to one with a
   * user id: identify then makes a new contact, as before; two identified contacts are never
   * merged. The user id's row in {@code contact_identities} is written first, so a writer that took
   * the userId meanwhile makes this one retry (and the retry finds that contact).
   */
  private String claimAnonymous(String workspaceId, String userId, String anonymousId) {
    List<String> anonymous =
        jdbc.queryForList(
            "select c.id from contact_identities i join contacts c on c.workspace_id ="
                + " i.workspace_id and c.id = i.contact_id where i.workspace_id = ? and i.kind ="
                + " 'anonymous_id' and i.value = ? and c.user_id is null",
            String.class,
            workspaceId,
            anonymousId);
    if (anonymous.isEmpty()) {
      return null;
    }
    String contactId = anonymous.get(0);
    if (!ContactIdentities.linkUserId(jdbc, workspaceId, userId, contactId)) {
      throw new ConcurrencyFailureException("The userId was given a contact concurrently");
    }
    int claimed =
        jdbc.update(
            "update contacts set user_id = ? where workspace_id = ? and id = ? and user_id is null",
            userId,
            workspaceId,
            contactId);
    if (claimed == 0) {
      // Another identify gave the contact a user id since it was read: retry from the start.
      throw new ConcurrencyFailureException("The anonymous contact was identified concurrently");
    }
    backfills.enqueue(workspaceId, contactId, ContactBackfills.USER_ID, userId);
    return contactId;
  }

  /** A claimed contact's user id is its change: one version, one {@code contact.updated}. */
  private void claimedChange(String workspaceId, String contactId) {
    jdbc.update(
        "update contacts set version = version + 1, updated_at = now()"
            + " where workspace_id = ? and id = ?",
        workspaceId,
        contactId);
    changes.changed(workspaceId, contactId, ContactChanges.Kind.UPDATED);
  }

  private String upsertByUserId(String workspaceId, String userId, TraitPatch patch, Instant at) {
    // A new contact's traits are the identify's: they are capped too (an event holds at most 32 KB,
    // but 1e999 is 5 bytes of it and 1,000 digits of jsonb). Measured here, by the same rule as
    // the SQL of an update, on what the insert would store.
    boolean skipped =
        Traits.growsPastCap(Traits.EMPTY.apply(patch).sizeInBytes(), Traits.EMPTY.sizeInBytes());
    OffsetDateTime ts = SqlInstants.param(at);
    List<String> inserted =
        jdbc.queryForList(
            INSERT_CONTACT,
            String.class,
            workspaceId,
            Ids.next(IdPrefix.CONTACT),
            userId,
            skipped ? null : emailFor(workspaceId, patch, null, userId),
            skipped ? Traits.EMPTY.toJson() : patch.setJson(),
            ts,
            ts);
    if (inserted.isEmpty()) {
      String existing = contactOfUserId(workspaceId, userId);
      if (existing == null) {
        // Created and deleted since: the writer retries, and the retry finds the ids suppressed.
        throw new ConcurrencyFailureException("The contact of a userId was deleted concurrently");
      }
      update(workspaceId, existing, patch);
      return existing;
    }
    String contactId = inserted.get(0);
    if (!ContactIdentities.linkUserId(jdbc, workspaceId, userId, contactId)) {
      // Since it was looked up, the userId became another contact's id (an identify, alias or
      // Management API create linked it as an anonymous or aliased id): one id, one contact. The
      // writer retries, and the retry applies the identify to that contact.
      throw new ConcurrencyFailureException(
          "The userId was linked to another contact concurrently");
    }
    backfills.enqueue(workspaceId, contactId, ContactBackfills.USER_ID, userId);
    changes.changed(workspaceId, contactId, ContactChanges.Kind.CREATED);
    if (skipped) {
      warnSkipped(workspaceId, contactId);
    }
    return contactId;
  }

  /** Applies the patch; true when it changed the contact (and announced the change). */
  private boolean update(String workspaceId, String contactId, TraitPatch patch) {
    if (patch.isEmpty()) {
      return false;
    }
    List<Boolean> skipped =
        jdbc.query(
            UPDATE_CONTACT,
            (rs, i) -> rs.getBoolean(1),
            patch.removedArray(),
            patch.setJson(),
            emailFor(workspaceId, patch, contactId, null),
            workspaceId,
            contactId);
    if (skipped.isEmpty()) {
      return false; // the same traits and email: no change
    }
    if (skipped.get(0)) {
      warnSkipped(workspaceId, contactId);
      return false;
    }
    changes.changed(workspaceId, contactId, ContactChanges.Kind.UPDATED);
    return true;
  }

  /**
   * One line per skipped merge, naming the contact, never a trait value or an address: the event
   * itself is stored and acknowledged (one event cannot fail the group, and the ACK cannot wait for
   * a read of the contact), so the log is where an operator sees it.
   */
  private static void warnSkipped(String workspaceId, String contactId) {
    log.warn(
        "Identify traits not merged into contact {} of workspace {}: they would grow its traits"
            + " past {} bytes; the event is stored, the contact is unchanged",
        contactId,
        workspaceId,
        Traits.MAX_BYTES);
  }

  /** {@link ContactIdentities#link}: never moves an id, queues the back-fill of its history. */
  private void link(String workspaceId, String id, String contactId, boolean alsoAsUserId) {
    ContactIdentities.link(jdbc, workspaceId, id, contactId, alsoAsUserId);
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
