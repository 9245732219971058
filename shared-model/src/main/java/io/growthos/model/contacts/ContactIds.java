package io.growthos.model.contacts;

/**
 * What an id of a contact is ({@code userId}/{@code user_id}, {@code anonymousId}/{@code
 * anonymous_ids}, {@code previousId}), one rule for both services (docs/contacts.md, "What an id
 * is"): the Ingest API's {@code EventParser} and the Management API's {@code POST /v1/contacts}
 * body read ids by it.
 *
 * <ul>
 *   <li>at most {@link #MAX_CHARS} characters, counted in code points ({@code TextLength});
 *   <li>blank is no id (identify reads it as absent, the Management API refuses it);
 *   <li>compared exactly and never rewritten: case, surrounding whitespace and Unicode
 *       normalisation form are part of the id.
 * </ul>
 *
 * Within a workspace an id points at one contact whatever its kind: the primary key of {@code
 * contact_identities} is {@code (workspace_id, value)}.
 */
public final class ContactIds {

  /** Longest id, in characters (code points). */
  public static final int MAX_CHARS = 255;

  private ContactIds() {}
}
