package io.growthos.testsupport.contacts;

import java.util.stream.Stream;

/**
 * One table of what offering ids to a workspace does, whichever service is offered them
 * (docs/contacts.md, "Identity"): within a workspace an id points at exactly one contact, and a
 * second contact is never given an id the first is known by.
 *
 * <p>Before each case the workspace holds one contact, the <em>existing</em> one, known by {@link
 * #EXISTING_USER_ID} (its user id), {@link #EXISTING_ANONYMOUS_ID} (identified as it) and {@link
 * #EXISTING_ALIASED_ID} (a previous id aliased to it). The case then offers {@link #userId} and
 * {@link #anonymousId}:
 *
 * <ul>
 *   <li>through the Management API, as {@code POST /v1/contacts {"user_id": userId,
 *       "anonymous_ids": [anonymousId]}}: {@link #refused} names the field of the {@code 409
 *       duplicate_resource} (nothing is created), or is null (201, a new contact known by both);
 *   <li>through the Ingest API, as identify {@code {"userId": userId, "anonymousId": anonymousId}}
 *       (always acknowledged): {@link #ingestContact} says whether its traits went to the existing
 *       contact ({@code EXISTING}) or to a new one ({@code NEW}); an anonymous id the existing
 *       contact is known by stays the existing contact's and is not linked to the new one.
 * </ul>
 *
 * In every case and in both services, each of the existing contact's ids afterwards points at the
 * existing contact and at nothing else. Ids are compared exactly as sent: case, surrounding
 * whitespace and Unicode normalisation form are part of an id.
 *
 * @param name what the case shows
 * @param userId the user id offered
 * @param anonymousId the anonymous id offered
 * @param refused the field the Management API's 409 names, or null when it creates the contact
 * @param ingestContact whose contact identify's traits go to
 */
public record ContactIdentityCases(
    String name, String userId, String anonymousId, String refused, Owner ingestContact) {

  /** The existing contact's user id, "zoë" precomposed (NFC). */
  public static final String EXISTING_USER_ID = "zo\u00eb";

  /** An anonymous id identified as the existing contact. */
  public static final String EXISTING_ANONYMOUS_ID = "zoe-laptop";

  /** A previous id aliased to the existing contact. */
  public static final String EXISTING_ALIASED_ID = "zoe-old-login";

  /** Whose contact. */
  public enum Owner {
    EXISTING,
    NEW
  }

  @Override
  public String toString() {
    return name;
  }

  private static final String USER_ID = "user_id";
  private static final String ANONYMOUS_IDS = "anonymous_ids";

  /** Every case; a source for {@code @MethodSource}. */
  public static Stream<ContactIdentityCases> all() {
    return Stream.of(
        new ContactIdentityCases(
            "new ids make a new contact", "grace", "grace-phone", null, Owner.NEW),
        new ContactIdentityCases(
            "a user id that is another contact's user id",
            EXISTING_USER_ID,
            "grace-phone",
            USER_ID,
            Owner.EXISTING),
        new ContactIdentityCases(
            "a user id that is another contact's anonymous id",
            EXISTING_ANONYMOUS_ID,
            "grace-phone",
            USER_ID,
            Owner.EXISTING),
        new ContactIdentityCases(
            "a user id that is another contact's aliased id",
            EXISTING_ALIASED_ID,
            "grace-phone",
            USER_ID,
            Owner.EXISTING),
        new ContactIdentityCases(
            "an anonymous id that is another contact's anonymous id",
            "grace",
            EXISTING_ANONYMOUS_ID,
            ANONYMOUS_IDS,
            Owner.NEW),
        new ContactIdentityCases(
            "an anonymous id that is another contact's aliased id",
            "grace",
            EXISTING_ALIASED_ID,
            ANONYMOUS_IDS,
            Owner.NEW),
        new ContactIdentityCases(
            "an anonymous id that is another contact's user id",
            "grace",
            EXISTING_USER_ID,
            ANONYMOUS_IDS,
            Owner.NEW),
        new ContactIdentityCases(
            "case is part of an id", "ZO\u00cb", "ZOE-LAPTOP", null, Owner.NEW),
        new ContactIdentityCases(
            "surrounding whitespace is part of an id", " zo\u00eb", "zoe-laptop ", null, Owner.NEW),
        new ContactIdentityCases(
            "another Unicode normalisation form is another id",
            // The existing user id "zoë" is precomposed (NFC); this one decomposed (NFD).
            "zoe\u0308",
            "grace-phone",
            null,
            Owner.NEW));
  }
}
