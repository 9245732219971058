package io.growthos.core.contacts;

import io.growthos.core.campaigns.Participants;
import io.growthos.core.campaigns.Rewards;
import io.growthos.core.campaigns.WaitlistRanks;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorEnvelope;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.values.NumberRange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deletes a contact so that none of it remains or comes back. Runs in the caller's transaction:
 *
 * <ol>
 *   <li>drops the contact's queued back-fills (waiting for a chunk in progress to commit);
 *   <li>locks the {@code campaign_counters} rows of the campaigns it takes part in, as every change
 *       of positions and referrals does first ({@code Participants}), so joins, referrals and
 *       admissions of those campaigns in flight finish first and later ones find it gone;
 *   <li>locks the contact row ({@code FOR UPDATE}); the Ingest API holds {@code FOR SHARE} on every
 *       contact it attaches events to until its group commits, so an ingest transaction in flight
 *       either commits first (and its events are deleted below) or waits and then sees the contact
 *       gone and the ids suppressed;
 *   <li>suppresses every identity of the contact: its user id and all its anonymous (and aliased)
 *       ids;
 *   <li>deletes every event of the contact: those linked to it, and those of its identities not
 *       linked to any contact yet (never back-filled, or back-fill still queued);
 *   <li>deletes the survey displays, dismissals and responses its ids recorded before they were
 *       linked to it (those recorded as the contact's go with the contact, by foreign key);
 *   <li>clears the IP address and user agent its referrals as a referee recorded (the referrals
 *       themselves stay: they are its referrers' counts and rewards);
 *   <li>rejects the referrals still pending for it, as referrer or referee ({@link
 *       Participants#rejectForDeletedContact}), and voids its pending rewards ({@link
 *       Rewards#voidForDeletedContact});
 *   <li>deletes the webhook events that carry the person (its contact, participations and survey
 *       answers), so no resend delivers them after {@code contact.deleted};
 *   <li>replaces the stored Idempotency-Key responses that show it (see {@link
 *       #forgetStoredResponses});
 *   <li>takes its waiting participants out of their waitlists' position index ({@link
 *       WaitlistRanks#leaveWithContact}), so the people behind move up;
 *   <li>deletes the groups that were its alone (no other member, no other group call naming them),
 *       whose traits only its own group calls wrote;
 *   <li>deletes the contact; its identities, memberships, participants and queued back-fills go
 *       with it.
 * </ol>
 */
public class ContactDeletion {

  /** Tables of what a visitor did, by its ids, with a nullable reference to its contact. */
  private static final List<String> SURVEY_TABLES =
      List.of("survey_interactions", "survey_responses");

  private static final JsonMapper JSON = NumberRange.STORED_DOCUMENTS;

  /** A contact id as a JSON string: what {@link #forgetStoredResponses} looks for. */
  private static final Pattern CONTACT_ID =
      Pattern.compile("\"(" + IdPrefix.CONTACT.prefix() + "_[0-9A-Za-z]+)\"");

  private final JdbcTemplate jdbc;
  private final ContactSuppressions suppressions;
  private final Participants participants;
  private final Rewards rewards;

  public ContactDeletion(JdbcTemplate jdbc, ContactSuppressions suppressions) {
    this.jdbc = jdbc;
    this.suppressions = suppressions;
    this.participants = new Participants(jdbc);
    this.rewards = new Rewards(jdbc);
  }

  /** What was deleted. */
  public record Deleted(List<String> identities, int events) {}

  /** Deletes the contact; null when the workspace has no such contact. */
  public Deleted delete(String workspaceId, String contactId) {
    // Queue rows first, then the contact: the back-fill worker takes them in that order too.
    jdbc.update(
        "delete from contact_backfills where workspace_id = ? and contact_id = ?",
        workspaceId,
        contactId);
    // The counters of the campaigns it takes part in, in id order, before the contact row: every
    // change of positions and referrals (Participants: joins, referrals, admissions) holds its
    // campaign's counter, and joins lock it before they touch a contact. Without it this deletion
    // locked the participant rows and the rank tree while a join crediting one of them (a
    // referee using its code) held the tree and waited for the row: a deadlock; or it removed a
    // referrer between a join's lookup of the code and its fraud checks: a 500.
    jdbc.query(
        "select campaign_id from campaign_counters where workspace_id = ? and campaign_id in"
            + " (select campaign_id from campaign_participants where workspace_id = ? and"
            + " contact_id = ?) order by campaign_id for update",
        rs -> {},
        workspaceId,
        workspaceId,
        contactId);
    List<String> userId =
        jdbc.query(
            "select coalesce(user_id, '') from contacts where workspace_id = ? and id = ?"
                + " for update",
            (rs, i) -> rs.getString(1),
            workspaceId,
            contactId);
    if (userId.isEmpty()) {
      return null;
    }
    List<String> ids = new ArrayList<>();
    if (!userId.get(0).isEmpty()) {
      ids.add(userId.get(0));
    }
    jdbc.query(
        "select value from contact_identities where workspace_id = ? and contact_id = ?",
        rs -> {
          String value = rs.getString(1);
          if (!ids.contains(value)) {
            ids.add(value);
          }
        },
        workspaceId,
        contactId);
    suppressions.suppress(workspaceId, contactId, ids);
    String[] idArray = ids.toArray(String[]::new);
    // Its events, those of its ids not attached yet, and every event that names one of its ids as
    // its user id wherever it was attached: until 2026-12-07 an event of a shared browser naming a
    // user id nobody had yet went to the browser's earlier person (ContactLinker), and erasing its
    // own person left it stored. An unattached event of one of its anonymous ids that names
    // another user id is that person's (waiting for their identify), and stays.
    int events =
        jdbc.update(
            """
            delete from events
             where workspace_id = ?
               and (contact_id = ? or user_id = any(?)
                    or (contact_id is null and user_id is null and anonymous_id = any(?)))
            """,
            workspaceId,
            contactId,
            idArray,
            idArray);
    // The survey widget's rows of its ids recorded before they were linked to it (those that
    // reference the contact go with it below).
    for (String table : SURVEY_TABLES) {
      jdbc.update(
          "delete from "
              + table
              + " where workspace_id = ? and contact_id is null and "
              + ContactIdentities.rowOf(""),
          workspaceId,
          idArray,
          idArray);
    }
    // Its referrals as a referee stay (they are its referrers' records: their counts, positions,
    // leaderboards and rewards), naming only the contact id that no longer resolves; the address
    // and browser of the event that carried the code are the deleted person's and go.
    jdbc.update(
        "update referrals set ip = null, user_agent = null, updated_at = now()"
            + " where workspace_id = ? and referee_contact_id = ?"
            + " and (ip is not null or user_agent is not null)",
        workspaceId,
        contactId);
    // The referrals still waiting for the person can never complete (it will not verify or send a
    // qualifying event, and as a referrer it is gone), and nobody should approve a reward for
    // someone who no longer exists. Referrals first: a qualification in flight holds the referral
    // row, and once it commits the rewards it issued are visible to the voiding below.
    participants.rejectForDeletedContact(workspaceId, contactId);
    rewards.voidForDeletedContact(workspaceId, contactId);
    deleteWebhookEventsOf(workspaceId, contactId, idArray);
    forgetStoredResponses(workspaceId, contactId);
    WaitlistRanks.leaveWithContact(jdbc, workspaceId, contactId);
    // The widget's participant count is the join counter less those removed (O(1) to read): the
    // participants deleted with the contact (below, by the foreign key) leave it. Their counter
    // rows are locked above.
    jdbc.update(
        "update campaign_counters cc set participants_removed = participants_removed + 1"
            + " where cc.workspace_id = ? and cc.campaign_id in (select campaign_id from"
            + " campaign_participants where workspace_id = ? and contact_id = ?)",
        workspaceId,
        workspaceId,
        contactId);
    deleteGroupsLeftToIt(workspaceId, contactId);
    jdbc.update("delete from contacts where workspace_id = ? and id = ?", workspaceId, contactId);
    return new Deleted(List.copyOf(ids), events);
  }

  /**
   * Deletes the groups that were the person's alone: no other member and no other group call naming
   * them (an anonymous caller's, waiting for its identify to make the membership). Their traits
   * came only from the person's own group calls (an owner's e-mail, a sole trader's name), deleted
   * above. A group that still has someone keeps its traits: they describe the account.
   *
   * <p>The groups are locked first, then checked in a statement of its own: a group call stores its
   * membership while it holds its group's row (ContactLinker upserts the group first), so once the
   * locks are held no membership can appear unseen, and the check's fresh snapshot sees every one
   * committed while this waited (in one statement, the re-check after waiting would read the old
   * snapshot and delete a group someone had just joined).
   */
  private void deleteGroupsLeftToIt(String workspaceId, String contactId) {
    List<String> groups =
        jdbc.query(
            "select g.id from groups g join group_memberships m on m.workspace_id = g.workspace_id"
                + " and m.group_id = g.id where g.workspace_id = ? and m.contact_id = ?"
                + " order by g.id for update of g",
            (rs, i) -> rs.getString(1),
            workspaceId,
            contactId);
    if (groups.isEmpty()) {
      return;
    }
    jdbc.update(
        """
        delete from groups g
         where g.workspace_id = ? and g.id = any(?)
           and not exists (select 1 from group_memberships m
                            where m.workspace_id = g.workspace_id and m.group_id = g.id
                              and m.contact_id <> ?)
           and not exists (select 1 from events e
                            where e.workspace_id = g.workspace_id and e.type = 'group'
                              and e.group_id = g.group_id)
        """,
        workspaceId,
        groups.toArray(String[]::new),
        contactId);
  }

  /**
   * The Management API's stored responses (Idempotency-Key, {@code idempotency_records}, kept 24 h)
   * that show the person: a create, PATCH or join answered with its contact or participant now
   * replays the 404 {@code not_found} a read of it answers (status, body and headers replaced: the
   * key stays used, so a retry never runs the request again and brings the person back); a response
   * that only lists it ({@code POST …/admit}, {@code POST /v1/segments/preview}) replays without
   * it. Records the caller's own request is claiming are not completed yet, and not touched.
   */
  private void forgetStoredResponses(String workspaceId, String contactId) {
    // contact_ids (V48) lists the contacts a stored response names, so the GIN index finds this
    // person's records; before, strpos over every record of the workspace read them all.
    List<String[]> rows =
        jdbc.query(
            "select api_key_id, idempotency_key, response_body from idempotency_records"
                + " where workspace_id = ? and state = 'completed'"
                + " and contact_ids @> array[?]::text[]"
                // One order for every deletion: two of them sharing records (an admit that listed
                // both) lock those one after the other instead of deadlocking.
                + " order by api_key_id, idempotency_key for update",
            (rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)},
            workspaceId,
            contactId);
    for (String[] row : rows) {
      JsonNode body;
      try {
        body = JSON.readTree(row[2]);
      } catch (JacksonException e) {
        continue;
      }
      ApiException gone = goneAs(body, contactId);
      if (gone != null) {
        jdbc.update(
            "update idempotency_records set response_status = 404, response_body = ?,"
                + " response_headers = '{}'::jsonb, contact_ids = null"
                + " where workspace_id = ? and api_key_id = ? and idempotency_key = ?",
            JSON.writeValueAsString(new ErrorEnvelope(gone.toApiError(), null)),
            workspaceId,
            row[0],
            row[1]);
      } else if (strip(body, contactId)) {
        String stripped = JSON.writeValueAsString(body);
        jdbc.update(
            "update idempotency_records set response_body = ?, contact_ids = ?"
                + " where workspace_id = ? and api_key_id = ? and idempotency_key = ?",
            stripped,
            contactsNamedIn(stripped),
            workspaceId,
            row[0],
            row[1]);
      }
    }
  }

  /**
   * The contact ids a stored response names (as JSON strings), for {@code
   * idempotency_records.contact_ids} (V48): the records {@link #forgetStoredResponses} finds by
   * index. Null when there is none, so such a record is not indexed at all.
   */
  public static String[] contactsNamedIn(String body) {
    if (body == null) {
      return null;
    }
    Set<String> ids = new LinkedHashSet<>();
    Matcher m = CONTACT_ID.matcher(body);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids.isEmpty() ? null : ids.toArray(String[]::new);
  }

  /**
   * The 404 a read of {@code node} answers now, if it is the contact or one of its participants.
   */
  private static ApiException goneAs(JsonNode node, String contactId) {
    if (!(node instanceof ObjectNode)) {
      return null;
    }
    String object = text(node, "object");
    if ("contact".equals(object) && contactId.equals(text(node, "id"))) {
      return ApiException.notFound("contact", contactId, "id");
    }
    String participant = text(node, "id");
    if ("participant".equals(object)
        && contactId.equals(text(node, "contact_id"))
        && participant != null) {
      return ApiException.notFound("participant", participant, "pid");
    }
    return null;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isString() ? value.asString() : null;
  }

  /** Removes the contact and its participants from lists (and members) inside {@code node}. */
  private static boolean strip(JsonNode node, String contactId) {
    boolean changed = false;
    if (node instanceof ArrayNode array) {
      for (int i = array.size() - 1; i >= 0; i--) {
        if (goneAs(array.get(i), contactId) != null) {
          array.remove(i);
          changed = true;
        } else {
          changed |= strip(array.get(i), contactId);
        }
      }
    } else if (node instanceof ObjectNode object) {
      for (String name : List.copyOf(object.propertyNames())) {
        JsonNode child = object.get(name);
        if (goneAs(child, contactId) != null) {
          object.putNull(name);
          changed = true;
        } else {
          changed |= strip(child, contactId);
        }
      }
    }
    return changed;
  }

  /**
   * The webhook events that carry the person: its contact as it was ({@code contact.created},
   * {@code contact.updated}), its participations ({@code waitlist.*}) and its survey answers
   * ({@code survey.response.completed}, also those recorded under its ids before they were linked
   * to it), with their deliveries (foreign key). Kept, they could be resent after {@code
   * contact.deleted} and stayed for the whole webhook retention. Events still owed go too: the
   * {@code contact.deleted} emitted after this tells receivers what they need. Each statement reads
   * one partial index (V47), not the workspace's outbox.
   */
  private void deleteWebhookEventsOf(String workspaceId, String contactId, String[] ids) {
    jdbc.update(
        "delete from webhook_outbox where workspace_id = ?"
            + " and type in ('contact.created', 'contact.updated') and payload->>'id' = ?",
        workspaceId,
        contactId);
    jdbc.update(
        "delete from webhook_outbox where workspace_id = ?"
            + " and payload->>'object' in ('participant', 'survey_response')"
            + " and payload->>'contact_id' = ?",
        workspaceId,
        contactId);
    // Unattached responses of its ids: by user id, or by anonymous id when they name no user id
    // (one naming another user id is that person's).
    jdbc.update(
        "delete from webhook_outbox where workspace_id = ?"
            + " and type = 'survey.response.completed' and payload->>'contact_id' is null and "
            + ContactIdentities.rowOf("payload->>'user_id'", "payload->>'anonymous_id'"),
        workspaceId,
        ids,
        ids);
  }
}
