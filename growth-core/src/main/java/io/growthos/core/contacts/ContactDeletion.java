package io.growthos.core.contacts;

import io.growthos.core.campaigns.WaitlistRanks;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

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
 *   <li>deletes the webhook events that carry the person (its contact, participations and survey
 *       answers), so no resend delivers them after {@code contact.deleted};
 *   <li>takes its waiting participants out of their waitlists' position index ({@link
 *       WaitlistRanks#leaveWithContact}), so the people behind move up;
 *   <li>deletes the contact; its identities, memberships, participants and queued back-fills go
 *       with it.
 * </ol>
 */
public class ContactDeletion {

  /** Tables of what a visitor did, by its ids, with a nullable reference to its contact. */
  private static final List<String> SURVEY_TABLES =
      List.of("survey_interactions", "survey_responses");

  private final JdbcTemplate jdbc;
  private final ContactSuppressions suppressions;

  public ContactDeletion(JdbcTemplate jdbc, ContactSuppressions suppressions) {
    this.jdbc = jdbc;
    this.suppressions = suppressions;
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
    int events =
        jdbc.update(
            """
            delete from events
             where workspace_id = ?
               and (contact_id = ?
                    or (contact_id is null and (user_id = any(?) or anonymous_id = any(?))))
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
              + " where workspace_id = ? and contact_id is null"
              + " and (user_id = any(?) or anonymous_id = any(?))",
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
    deleteWebhookEventsOf(workspaceId, contactId, idArray);
    WaitlistRanks.leaveWithContact(jdbc, workspaceId, contactId);
    jdbc.update("delete from contacts where workspace_id = ? and id = ?", workspaceId, contactId);
    return new Deleted(List.copyOf(ids), events);
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
    for (String field : List.of("user_id", "anonymous_id")) {
      jdbc.update(
          "delete from webhook_outbox where workspace_id = ?"
              + " and type = 'survey.response.completed' and payload->>'contact_id' is null"
              + " and payload->>'"
              + field
              + "' = any(?)",
          workspaceId,
          (Object) ids);
    }
  }
}
