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
