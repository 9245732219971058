package io.growthos.core.contacts;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Linking an id to a contact (docs/contacts.md, "Identity"), written once for identify and alias
 * (the Ingest API's {@code ContactLinker}) and for campaign joins that carry the visitor's
 * anonymous id (both APIs' join routes).
 */
public final class ContactIdentities {

  private ContactIdentities() {}

  /**
   * SQL: whether a row (events, survey rows: columns {@code user_id} and {@code anonymous_id},
   * prefixed by {@code alias}) is a person's by the ids it names: one of its user ids, or no user
   * id and one of its anonymous ids. A row of the person's device naming another user id is that
   * other person's (a shared browser), as ingest attaches events (docs/contacts.md, "Identity").
   * Parameters: the user ids, then the anonymous ids (text arrays).
   */
  public static String rowOf(String alias) {
    return rowOf(alias + "user_id", alias + "anonymous_id");
  }

  /** {@link #rowOf(String)} over any two expressions (a JSON payload's fields). */
  public static String rowOf(String userId, String anonymousId) {
    return "(" + userId + " = any(?) or (" + userId + " is null and " + anonymousId + " = any(?)))";
  }

  /**
   * Records {@code userId} as the contact's user id in {@code contact_identities}, unless the value
   * is an id of a contact already (of either kind).
   *
   * @return whether it was recorded; false means another writer gave the value a contact first
   */
  public static boolean linkUserId(
      JdbcTemplate jdbc, String workspaceId, String userId, String contactId) {
    return jdbc.update(
            "insert into contact_identities (workspace_id, kind, value, contact_id)"
                + " values (?, 'user_id', ?, ?) on conflict do nothing",
            workspaceId,
            userId,
            contactId)
        > 0;
  }

  /**
   * Links {@code id} (an anonymous id or an aliased previous id) to the contact unless it is an id
   * of a contact already, of either kind: the key of {@code contact_identities} is the value alone,
   * so an id is never moved and an anonymous id that is another contact's user id is not linked.
   * When it links, it queues the back-fill of that id's events without a contact (as their {@code
   * anonymous_id}, and also as their {@code user_id} when {@code alsoAsUserId}), in the caller's
   * transaction.
   *
   * @return whether the id was linked
   */
  public static boolean link(
      JdbcTemplate jdbc, String workspaceId, String id, String contactId, boolean alsoAsUserId) {
    int linked =
        jdbc.update(
            "insert into contact_identities (workspace_id, kind, value, contact_id)"
                + " values (?, 'anonymous_id', ?, ?) on conflict do nothing",
            workspaceId,
            id,
            contactId);
    if (linked == 0) {
      return false;
    }
    ContactBackfills.enqueue(jdbc, workspaceId, contactId, ContactBackfills.ANONYMOUS_ID, id);
    if (alsoAsUserId) {
      ContactBackfills.enqueue(jdbc, workspaceId, contactId, ContactBackfills.USER_ID, id);
    }
    return true;
  }
}
