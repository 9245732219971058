package io.growthos.ingest.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.ingest.IngestTestBase;
import io.growthos.model.contacts.Traits;
import io.growthos.testsupport.AtOnce;
import io.growthos.testsupport.contacts.ContactIdentityCases;
import io.growthos.testsupport.contacts.ContactRuleCases;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Contacts as identify, alias and group calls shape them (SPEC §3). */
class IdentityTests extends IngestTestBase {

  private void send(Workspace ws, String path, String body) {
    var response = post(path, body, "Authorization", ws.basic());
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
  }

  private String contactOf(Workspace ws, String userId) {
    List<String> ids =
        jdbc.queryForList(
            "select id from contacts where workspace_id = ? and user_id = ?",
            String.class,
            ws.id(),
            userId);
    return ids.isEmpty() ? null : ids.get(0);
  }

  private long contacts(Workspace ws) {
    return jdbc.queryForObject(
        "select count(*) from contacts where workspace_id = ?", Long.class, ws.id());
  }

  @Test
  void anonymousEventsCreateNoContact() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/track", "{\"anonymousId\":\"anon\",\"event\":\"Viewed\"}");
    send(ws, "/v1/identify", "{\"anonymousId\":\"anon\",\"traits\":{\"x\":1}}");
    assertThat(contacts(ws)).isZero();
  }

  @Test
  void identifyCreatesContactMergesTraitsAndKeepsEmail() {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"u1\",\"traits\":{\"email\":\"Ada@Example.com\",\"plan\":\"free\",\"age\":30},"
            + "\"timestamp\":\"2024-01-01T00:00:00Z\"}");
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"u1\",\"traits\":{\"plan\":\"pro\"},\"timestamp\":\"2024-02-01T00:00:00Z\"}");
    Map<String, Object> c =
        jdbc.queryForMap(
            "select email, traits->>'plan' as plan, traits->>'age' as age, first_seen_at,"
                + " last_seen_at from contacts where workspace_id = ? and user_id = 'u1'",
            ws.id());
    assertThat(c.get("email")).isEqualTo("Ada@Example.com");
    assertThat(c.get("plan")).isEqualTo("pro");
    assertThat(c.get("age")).isEqualTo("30");
    assertThat(c.get("first_seen_at").toString()).startsWith("2024-01-01");
    assertThat(c.get("last_seen_at").toString()).startsWith("2024-02-01");
    assertThat(contacts(ws)).isEqualTo(1);
  }

  /**
   * An identify before the Gregorian cutover (1582-10-15) creates the contact first and last seen
   * at the event's instant: both bound as the instant itself, not through java.sql.Timestamp, whose
   * Julian calendar made last_seen_at 1500-03-11.
   */
  @Test
  void aContactFirstIdentifiedIn1500IsFirstAndLastSeenAtTheEventsInstant() {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"u1500\",\"traits\":{},\"timestamp\":\"1500-03-01T00:00:00Z\"}");
    Map<String, Object> c =
        jdbc.queryForMap(
            "select first_seen_at = '1500-03-01T00:00:00Z'::timestamptz as first_ok,"
                + " last_seen_at = '1500-03-01T00:00:00Z'::timestamptz as last_ok,"
                + " to_char(first_seen_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as first,"
                + " to_char(last_seen_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as last"
                + " from contacts where workspace_id = ? and user_id = 'u1500'",
            ws.id());
    assertThat(c.get("first")).as("%s", c).isEqualTo("1500-03-01 00:00:00");
    assertThat(c.get("last")).as("%s", c).isEqualTo("1500-03-01 00:00:00");
    assertThat(c.get("first_ok")).as("%s", c).isEqualTo(true);
    assertThat(c.get("last_ok")).as("%s", c).isEqualTo(true);
  }

  /**
   * RudderStack's JavaScript SDK (3.x) sends an identify's traits only in {@code context.traits}
   * (third-party-sdks.test.mjs runs it in Chromium): RudderStack reads them there when the call has
   * no {@code traits}, and so do we; a call with its own {@code traits} keeps Segment's rule.
   */
  @Test
  void anIdentifyWithoutTraitsTakesThemFromContextTraitsAsRudderStacksBrowserSdkSendsThem() {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"rs\",\"anonymousId\":\"rs-anon\","
            + "\"context\":{\"traits\":{\"email\":\"rs@example.com\",\"plan\":\"pro\"}}}");
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"seg\",\"traits\":{\"plan\":\"free\"},"
            + "\"context\":{\"traits\":{\"email\":\"ctx@example.com\",\"plan\":\"ctx\"}}}");
    send(
        ws,
        "/v1/batch",
        "{\"context\":{\"traits\":{\"email\":\"batch@example.com\"}},"
            + "\"batch\":[{\"type\":\"identify\",\"userId\":\"b\"},"
            + "{\"type\":\"track\",\"userId\":\"t\",\"event\":\"E\"}]}");
    Map<String, Object> rs =
        jdbc.queryForMap(
            "select email, traits->>'plan' as plan from contacts"
                + " where workspace_id = ? and user_id = 'rs'",
            ws.id());
    assertThat(rs.get("email")).isEqualTo("rs@example.com");
    assertThat(rs.get("plan")).isEqualTo("pro");
    assertThat(
            jdbc.queryForObject(
                "select traits->>'email' from events where workspace_id = ? and user_id = 'rs'",
                String.class,
                ws.id()))
        .as("the stored identify's traits")
        .isEqualTo("rs@example.com");
    Map<String, Object> seg =
        jdbc.queryForMap(
            "select email, traits::text as traits from contacts"
                + " where workspace_id = ? and user_id = 'seg'",
            ws.id());
    assertThat(seg.get("email")).isNull();
    assertThat(seg.get("traits")).isEqualTo("{\"plan\": \"free\"}");
    assertThat(
            jdbc.queryForObject(
                "select email from contacts where workspace_id = ? and user_id = 'b'",
                String.class,
                ws.id()))
        .isEqualTo("batch@example.com");
    assertThat(
            jdbc.queryForObject(
                "select coalesce(traits::text, 'none') from events"
                    + " where workspace_id = ? and user_id = 't'",
                String.class,
                ws.id()))
        .as("a track call's context.traits stay its context only")
        .isEqualTo("none");
  }

  @Test
  void emailTakenByAnotherContactStaysInTraitsOnly() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/identify", "{\"userId\":\"first\",\"traits\":{\"email\":\"same@example.com\"}}");
    send(ws, "/v1/identify", "{\"userId\":\"second\",\"traits\":{\"email\":\"SAME@example.com\"}}");
    Map<String, Object> second =
        jdbc.queryForMap(
            "select email, traits->>'email' as trait from contacts"
                + " where workspace_id = ? and user_id = 'second'",
            ws.id());
    assertThat(second.get("email")).isNull();
    assertThat(second.get("trait")).isEqualTo("SAME@example.com");
  }

  @Test
  void anonymousHistoryJoinsTheContactOnIdentify() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/page", "{\"anonymousId\":\"a-1\",\"name\":\"Home\"}");
    send(ws, "/v1/track", "{\"anonymousId\":\"a-1\",\"event\":\"Clicked\"}");
    send(ws, "/v1/identify", "{\"userId\":\"u-1\",\"anonymousId\":\"a-1\"}");
    send(ws, "/v1/track", "{\"anonymousId\":\"a-1\",\"event\":\"After\"}");
    send(ws, "/v1/track", "{\"userId\":\"u-1\",\"event\":\"ByUser\"}");
    awaitBackfilled(ws);
    String contact = contactOf(ws, "u-1");
    assertThat(
            jdbc.queryForList(
                "select distinct contact_id from events where workspace_id = ?",
                String.class,
                ws.id()))
        .containsExactly(contact);
  }

  @Test
  void trackedUserIdEventsJoinTheContactCreatedLater() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/track", "{\"userId\":\"late\",\"event\":\"Before\"}");
    assertThat(contacts(ws)).isZero();
    send(ws, "/v1/identify", "{\"userId\":\"late\"}");
    awaitBackfilled(ws);
    assertThat(
            jdbc.queryForObject(
                "select contact_id from events where workspace_id = ? and event = 'Before'",
                String.class,
                ws.id()))
        .isEqualTo(contactOf(ws, "late"));
  }

  @Test
  void anonymousIdOfOneUserIdentifiedAsAnotherIsNotMoved() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/identify", "{\"userId\":\"A\",\"anonymousId\":\"shared-device\"}");
    send(ws, "/v1/identify", "{\"userId\":\"B\",\"anonymousId\":\"shared-device\"}");
    String a = contactOf(ws, "A");
    String b = contactOf(ws, "B");
    assertThat(a).isNotNull().isNotEqualTo(b);
    assertThat(b).isNotNull();
    assertThat(
            jdbc.queryForObject(
                "select contact_id from contact_identities where workspace_id = ?"
                    + " and kind = 'anonymous_id' and value = 'shared-device'",
                String.class,
                ws.id()))
        .isEqualTo(a);
    assertThat(contacts(ws)).isEqualTo(2);
  }

  private String contactOfEvent(Workspace ws, String event) {
    return jdbc.queryForObject(
        "select coalesce(contact_id, '<none>') from events where workspace_id = ? and event = ?",
        String.class,
        ws.id(),
        event);
  }

  /**
   * A shared browser: Q signed in on it before; R's first track (with R's user id and the browser's
   * anonymous id) arrives before R's identify. It is R's event: it waits for R's contact rather
   * than going to Q's. Until 2026-12-07 it went to Q for good, survived R's erasure and went with
   * Q's (a black-box review).
   */
  @Test
  void anEventNamingAUserIdNobodyHasYetIsNotGivenToItsBrowsersEarlierPerson() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/identify", "{\"userId\":\"Q\",\"anonymousId\":\"S\"}");
    send(ws, "/v1/track", "{\"userId\":\"R\",\"anonymousId\":\"S\",\"event\":\"R order\"}");
    assertThat(contactOfEvent(ws, "R order")).isEqualTo("<none>");
    send(ws, "/v1/identify", "{\"userId\":\"R\",\"anonymousId\":\"S\"}");
    awaitBackfilled(ws);
    String r = contactOf(ws, "R");
    assertThat(r).isNotNull().isNotEqualTo(contactOf(ws, "Q"));
    assertThat(contactOfEvent(ws, "R order")).isEqualTo(r);
  }

  /**
   * The same through the back-fill: T's event (T's user id, browser S2) is stored before anyone has
   * a contact; V then identifies from S2, and the back-fill of S2 leaves T's event for T.
   */
  @Test
  void theBackfillOfABrowserLeavesItsEventsThatNameAnotherUserIdForThatPerson() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/track", "{\"userId\":\"T\",\"anonymousId\":\"S2\",\"event\":\"T order\"}");
    send(ws, "/v1/track", "{\"anonymousId\":\"S2\",\"event\":\"Browsing\"}");
    send(ws, "/v1/identify", "{\"userId\":\"V\",\"anonymousId\":\"S2\"}");
    awaitBackfilled(ws);
    assertThat(contactOfEvent(ws, "Browsing")).isEqualTo(contactOf(ws, "V"));
    assertThat(contactOfEvent(ws, "T order")).isEqualTo("<none>");
    send(ws, "/v1/identify", "{\"userId\":\"T\"}");
    awaitBackfilled(ws);
    assertThat(contactOfEvent(ws, "T order")).isEqualTo(contactOf(ws, "T"));
  }

  /**
   * An event naming a user id still goes to its browser's contact when that contact has no user id
   * (a waitlist join from that browser): that person's identify claims the contact.
   */
  @Test
  void anEventNamingANewUserIdGoesToItsBrowsersAnonymousContact() {
    Workspace ws = newWorkspace();
    String anonymous = anonymousContact(ws, "joined-browser", null);
    send(
        ws,
        "/v1/track",
        "{\"userId\":\"W\",\"anonymousId\":\"joined-browser\",\"event\":\"W order\"}");
    assertThat(contactOfEvent(ws, "W order")).isEqualTo(anonymous);
  }

  /**
   * An anonymous contact: no user id, known by {@code anonymousId} (as a campaign join makes), seen
   * from 2000 to 2100, so that today's events do not move its first or last seen (and version).
   */
  private String anonymousContact(Workspace ws, String anonymousId, String email) {
    String id = "cntct_anon" + Long.toHexString(System.nanoTime());
    jdbc.update(
        "insert into contacts (workspace_id, id, email, first_seen_at, last_seen_at)"
            + " values (?, ?, ?, '2000-01-01Z', '2100-01-01Z')",
        ws.id(),
        id,
        email);
    jdbc.update(
        "insert into contact_identities (workspace_id, kind, value, contact_id)"
            + " values (?, 'anonymous_id', ?, ?)",
        ws.id(),
        anonymousId,
        id);
    return id;
  }

  @Test
  void identifyOfANewUserIdWithTheAnonymousIdOfAnAnonymousContactGivesThatContactTheUserId() {
    Workspace ws = newWorkspace();
    String joined = anonymousContact(ws, "visitor-1", "eve@example.com");
    send(ws, "/v1/track", "{\"userId\":\"eve\",\"event\":\"Before\"}");
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"eve\",\"anonymousId\":\"visitor-1\","
            + "\"traits\":{\"email\":\"eve@example.com\",\"plan\":\"pro\"}}");
    send(ws, "/v1/track", "{\"userId\":\"eve\",\"event\":\"After\"}");
    awaitBackfilled(ws);
    assertThat(contacts(ws)).isEqualTo(1);
    assertThat(contactOf(ws, "eve")).isEqualTo(joined);
    Map<String, Object> row =
        jdbc.queryForMap(
            "select email, traits->>'plan' as plan, version from contacts where id = ?", joined);
    assertThat(row.get("email")).isEqualTo("eve@example.com");
    assertThat(row.get("plan")).isEqualTo("pro");
    assertThat(row.get("version")).as("one change, one version").isEqualTo(2);
    assertThat(ownersOf(ws, "eve")).containsExactly(joined);
    assertThat(
            jdbc.queryForList(
                "select distinct contact_id from events where workspace_id = ?",
                String.class,
                ws.id()))
        .as("the user id's events before and after")
        .containsExactly(joined);
  }

  @Test
  void aClaimWithoutTraitsStillBumpsTheVersionOnce() {
    Workspace ws = newWorkspace();
    String joined = anonymousContact(ws, "visitor-2", null);
    send(ws, "/v1/identify", "{\"userId\":\"finn\",\"anonymousId\":\"visitor-2\"}");
    assertThat(contactOf(ws, "finn")).isEqualTo(joined);
    assertThat(contactVersion(ws, "finn")).isEqualTo(2);
  }

  @Test
  void aSecondUserIdOnTheSameAnonymousIdMakesItsOwnContact() {
    Workspace ws = newWorkspace();
    String joined = anonymousContact(ws, "shared-laptop", null);
    send(ws, "/v1/identify", "{\"userId\":\"gil\",\"anonymousId\":\"shared-laptop\"}");
    send(ws, "/v1/identify", "{\"userId\":\"hana\",\"anonymousId\":\"shared-laptop\"}");
    assertThat(contactOf(ws, "gil")).isEqualTo(joined);
    assertThat(contactOf(ws, "hana")).isNotNull().isNotEqualTo(joined);
    assertThat(ownersOf(ws, "shared-laptop")).containsExactly(joined);
  }

  @Test
  void concurrentIdentifiesClaimingOneAnonymousContactEndWithOneUserIdOnIt() throws Exception {
    Workspace ws = newWorkspace();
    String joined = anonymousContact(ws, "race-visitor", null);
    int n = 8;
    List<Integer> statuses =
        AtOnce.times(
            n,
            i ->
                () ->
                    post(
                            "/v1/identify",
                            "{\"userId\":\"racer-" + i + "\",\"anonymousId\":\"race-visitor\"}",
                            "Authorization",
                            ws.basic())
                        .statusCode());
    assertThat(statuses).containsOnly(200);
    assertThat(contacts(ws)).as("one claimed, the others new").isEqualTo(n);
    String claimer =
        jdbc.queryForObject("select user_id from contacts where id = ?", String.class, joined);
    assertThat(claimer).startsWith("racer-");
    assertThat(ownersOf(ws, claimer)).containsExactly(joined);
    assertThat(ownersOf(ws, "race-visitor")).containsExactly(joined);
  }

  @Test
  void aliasLinksPreviousIdAndItsHistory() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/track", "{\"anonymousId\":\"old-id\",\"event\":\"Before\"}");
    send(ws, "/v1/alias", "{\"previousId\":\"old-id\",\"userId\":\"new-user\"}");
    awaitBackfilled(ws);
    String contact = contactOf(ws, "new-user");
    assertThat(contact).isNotNull();
    assertThat(
            jdbc.queryForObject(
                "select contact_id from events where workspace_id = ? and event = 'Before'",
                String.class,
                ws.id()))
        .isEqualTo(contact);
    send(ws, "/v1/track", "{\"anonymousId\":\"old-id\",\"event\":\"After\"}");
    assertThat(
            jdbc.queryForObject(
                "select contact_id from events where workspace_id = ? and event = 'After'",
                String.class,
                ws.id()))
        .isEqualTo(contact);
  }

  /**
   * An alias from an anonymous contact's id to a new user id gives that contact the user id, as an
   * identify from that browser does. Until 2026-12-07 the new id was linked as an aliased id, the
   * contact kept no user id for good and no user_id filter found it (a black-box review).
   */
  @Test
  void anAliasFromAnAnonymousContactsIdToANewUserIdGivesThatContactTheUserId() {
    Workspace ws = newWorkspace();
    String anonymous = anonymousContact(ws, "AN9", null);
    send(ws, "/v1/alias", "{\"previousId\":\"AN9\",\"userId\":\"AL9\"}");
    send(ws, "/v1/identify", "{\"userId\":\"AL9\",\"traits\":{\"name\":\"al\"}}");
    assertThat(contactOf(ws, "AL9")).isEqualTo(anonymous);
    assertThat(contacts(ws)).isEqualTo(1);
    assertThat(
            jdbc.queryForList(
                "select kind || ':' || value from contact_identities where workspace_id = ?"
                    + " order by 1",
                String.class,
                ws.id()))
        .containsExactly("anonymous_id:AN9", "user_id:AL9");
  }

  @Test
  void aliasNeverMergesTwoIdentifiedContacts() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/identify", "{\"userId\":\"alice\",\"anonymousId\":\"alice-device\"}");
    send(ws, "/v1/identify", "{\"userId\":\"bob\"}");
    send(ws, "/v1/alias", "{\"previousId\":\"alice\",\"userId\":\"bob\"}");
    send(ws, "/v1/alias", "{\"previousId\":\"alice-device\",\"userId\":\"bob\"}");
    assertThat(contacts(ws)).isEqualTo(2);
    assertThat(
            jdbc.queryForObject(
                "select contact_id from contact_identities where workspace_id = ?"
                    + " and value = 'alice-device'",
                String.class,
                ws.id()))
        .isEqualTo(contactOf(ws, "alice"));
    assertThat(
            jdbc.queryForObject(
                "select count(*) from events where workspace_id = ? and type = 'alias'",
                Long.class,
                ws.id()))
        .as("the alias events themselves are stored")
        .isEqualTo(2);
  }

  @Test
  void groupUpsertsGroupTraitsAndMembership() {
    Workspace ws = newWorkspace();
    send(ws, "/v1/identify", "{\"userId\":\"member\"}");
    send(
        ws,
        "/v1/group",
        "{\"userId\":\"member\",\"groupId\":\"acme\",\"traits\":{\"name\":\"Acme\"}}");
    send(ws, "/v1/group", "{\"userId\":\"member\",\"groupId\":\"acme\",\"traits\":{\"seats\":5}}");
    send(ws, "/v1/group", "{\"anonymousId\":\"stranger\",\"groupId\":\"acme\"}");
    Map<String, Object> g =
        jdbc.queryForMap(
            "select id, traits->>'name' as name, traits->>'seats' as seats from groups"
                + " where workspace_id = ? and group_id = 'acme'",
            ws.id());
    assertThat(g.get("name")).isEqualTo("Acme");
    assertThat(g.get("seats")).isEqualTo("5");
    assertThat(
            jdbc.queryForList(
                "select contact_id from group_memberships where workspace_id = ? and group_id = ?",
                String.class,
                ws.id(),
                g.get("id")))
        .containsExactly(contactOf(ws, "member"));
  }

  private List<String> groupsOf(Workspace ws, String userId) {
    return jdbc.queryForList(
        "select g.group_id from group_memberships m join groups g on g.workspace_id ="
            + " m.workspace_id and g.id = m.group_id where m.workspace_id = ? and m.contact_id = ?"
            + " order by g.group_id",
        String.class,
        ws.id(),
        contactOf(ws, userId));
  }

  /**
   * A group call that comes before its caller's identify (an SDK retried the identify after a 503
   * and sent the group call meanwhile; or an anonymous visitor's group call, then the sign-up)
   * gives the contact its membership once the contact exists: in one batch at once, across requests
   * by the history back-fill. Until 2026-12-07 the event was linked to the contact and the
   * membership never made.
   */
  @Test
  void aGroupCallBeforeItsCallersIdentifyStillMakesTheMembership() {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/batch",
        """
        {"batch": [
          {"type": "group", "userId": "early", "groupId": "acme"},
          {"type": "identify", "userId": "early"}
        ]}
        """);
    assertThat(groupsOf(ws, "early")).containsExactly("acme");

    send(ws, "/v1/group", "{\"anonymousId\":\"visitor-9\",\"groupId\":\"initech\"}");
    send(ws, "/v1/group", "{\"userId\":\"later\",\"groupId\":\"globex\"}");
    send(ws, "/v1/identify", "{\"userId\":\"later\",\"anonymousId\":\"visitor-9\"}");
    awaitBackfilled(ws);
    assertThat(groupsOf(ws, "later")).containsExactly("globex", "initech");
  }

  @Test
  void concurrentIdentifiesOfOneNewUserCreateOneContact() throws Exception {
    Workspace ws = newWorkspace();
    int threads = 12;
    List<Integer> statuses =
        AtOnce.times(
            threads,
            n ->
                () ->
                    post(
                            "/v1/identify",
                            "{\"userId\":\"racer\",\"anonymousId\":\"dev-"
                                + n
                                + "\",\"traits\":{\"t"
                                + n
                                + "\":"
                                + n
                                + ",\"email\":\"racer@example.com\"}}",
                            "Authorization",
                            ws.basic())
                        .statusCode());
    assertThat(statuses).containsOnly(200);
    assertThat(contacts(ws)).isEqualTo(1);
    Map<String, Object> c =
        jdbc.queryForMap(
            "select email, (select count(*) from jsonb_object_keys(traits)) as keys from contacts"
                + " where workspace_id = ?",
            ws.id());
    assertThat(c.get("email")).isEqualTo("racer@example.com");
    assertThat(((Number) c.get("keys")).intValue()).isEqualTo(threads + 1);
  }

  @Test
  void aliasThenIdentifyOfTheOldIdKeepsOneContact() {
    Workspace ws2 = newWorkspace();
    // alias: someone known as old-id is now new-id...
    send(ws2, "/v1/alias", "{\"previousId\":\"old-id\",\"userId\":\"new-id\"}");
    // ...and an identify of the old id afterwards is still that person
    send(ws2, "/v1/identify", "{\"userId\":\"old-id\",\"traits\":{\"plan\":\"pro\"}}");
    send(ws2, "/v1/track", "{\"userId\":\"old-id\",\"event\":\"After\"}");
    assertThat(contacts(ws2)).isEqualTo(1);
    String contact = contactOf(ws2, "new-id");
    assertThat(
            jdbc.queryForObject(
                "select traits->>'plan' from contacts where workspace_id = ? and id = ?",
                String.class,
                ws2.id(),
                contact))
        .isEqualTo("pro");
    assertThat(
            jdbc.queryForList(
                "select distinct contact_id from events where workspace_id = ?",
                String.class,
                ws2.id()))
        .containsExactly(contact);
  }

  /**
   * The mirror of the test above, in the order RudderStack's and Segment's browser SDKs send it
   * (identify the old id, then {@code alias(newId)}): it made a second, empty contact for the new
   * id, while the other order kept one. The new id now joins the contact its previous id belongs
   * to, so either order ends with one contact holding every event and every trait.
   */
  @Test
  void identifyThenAliasToANewIdKeepsOneContactAsAliasThenIdentifyDoes() {
    Workspace ws2 = newWorkspace();
    send(ws2, "/v1/identify", "{\"userId\":\"old-id\",\"traits\":{\"plan\":\"pro\"}}");
    send(ws2, "/v1/alias", "{\"previousId\":\"old-id\",\"userId\":\"new-id\"}");
    send(ws2, "/v1/track", "{\"userId\":\"new-id\",\"event\":\"After\"}");
    send(ws2, "/v1/identify", "{\"userId\":\"new-id\",\"traits\":{\"seats\":3}}");
    assertThat(contacts(ws2)).isEqualTo(1);
    String contact = contactOf(ws2, "old-id");
    assertThat(
            jdbc.queryForObject(
                "select traits->>'plan' || '/' || (traits->>'seats') from contacts"
                    + " where workspace_id = ? and id = ?",
                String.class,
                ws2.id(),
                contact))
        .isEqualTo("pro/3");
    assertThat(
            jdbc.queryForList(
                "select distinct contact_id from events where workspace_id = ?",
                String.class,
                ws2.id()))
        .containsExactly(contact);
  }

  @Test
  void everyIngestChangeBumpsTheVersion() {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"v\",\"traits\":{\"a\":1},\"timestamp\":\"2024-01-01T00:00:00Z\"}");
    assertThat(contactVersion(ws, "v")).isEqualTo(1);
    send(
        ws,
        "/v1/track",
        "{\"userId\":\"v\",\"event\":\"Later\",\"timestamp\":\"2024-02-01T00:00:00Z\"}");
    assertThat(contactVersion(ws, "v")).as("last seen moved").isEqualTo(2);
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"v\",\"traits\":{\"a\":1},\"timestamp\":\"2024-01-15T00:00:00Z\"}");
    assertThat(contactVersion(ws, "v")).as("nothing changed").isEqualTo(2);
    send(
        ws,
        "/v1/identify",
        "{\"userId\":\"v\",\"traits\":{\"email\":\"v@example.com\"},"
            + "\"timestamp\":\"2024-01-15T00:00:00Z\"}");
    assertThat(contactVersion(ws, "v")).as("email and trait set").isEqualTo(3);
    send(
        ws,
        "/v1/track",
        "{\"userId\":\"v\",\"event\":\"Earlier\",\"timestamp\":\"2023-01-01T00:00:00Z\"}");
    assertThat(contactVersion(ws, "v")).as("first seen moved").isEqualTo(4);
  }

  /** The contacts an id points at, whatever its kind. */
  private List<String> ownersOf(Workspace ws, String id) {
    return jdbc.queryForList(
        "select contact_id from contact_identities where workspace_id = ? and value = ?",
        String.class,
        ws.id(),
        id);
  }

  /**
   * The shared table of identity cases (management's {@code contacts.ContactRulesTests} runs it
   * through {@code POST /v1/contacts}): identify never gives a second contact an id the first is
   * known by. Before, identify linked another contact's user id, offered as its anonymousId, to its
   * own contact: that id then pointed at two contacts.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.growthos.testsupport.contacts.ContactIdentityCases#all")
  void identifyFollowsTheSharedIdentityRules(ContactIdentityCases c) {
    Workspace ws = newWorkspace();
    send(
        ws,
        "/v1/identify",
        JSON.writeValueAsString(
            Map.of(
                "userId",
                ContactIdentityCases.EXISTING_USER_ID,
                "anonymousId",
                ContactIdentityCases.EXISTING_ANONYMOUS_ID)));
    send(
        ws,
        "/v1/alias",
        JSON.writeValueAsString(
            Map.of(
                "previousId",
                ContactIdentityCases.EXISTING_ALIASED_ID,
                "userId",
                ContactIdentityCases.EXISTING_USER_ID)));
    String existing = contactOf(ws, ContactIdentityCases.EXISTING_USER_ID);
    List<String> existingIds =
        List.of(
            ContactIdentityCases.EXISTING_USER_ID,
            ContactIdentityCases.EXISTING_ANONYMOUS_ID,
            ContactIdentityCases.EXISTING_ALIASED_ID);

    send(
        ws,
        "/v1/identify",
        JSON.writeValueAsString(
            Map.of(
                "userId",
                c.userId(),
                "anonymousId",
                c.anonymousId(),
                "traits",
                Map.of("probe", true))));
    String probed =
        jdbc.queryForObject(
            "select id from contacts where workspace_id = ? and traits->>'probe' is not null",
            String.class,
            ws.id());
    if (c.ingestContact() == ContactIdentityCases.Owner.EXISTING) {
      assertThat(probed).isEqualTo(existing);
      assertThat(contacts(ws)).isEqualTo(1);
    } else {
      assertThat(probed).isNotEqualTo(existing);
      assertThat(contacts(ws)).isEqualTo(2);
      assertThat(ownersOf(ws, c.userId())).containsExactly(probed);
    }
    if (!existingIds.contains(c.anonymousId())) {
      assertThat(ownersOf(ws, c.anonymousId())).containsExactly(probed);
    }
    for (String id : existingIds) {
      assertThat(ownersOf(ws, id)).as(id).containsExactly(existing);
    }
  }

  /**
   * An identify of a new userId that, while it runs, becomes another contact's id (an alias, an
   * identify or a Management API create links it as an anonymous or aliased id, uncommitted until
   * the identify has created its contact): the identify's own link of the userId then finds the id
   * taken, its transaction is retried, and the retry applies the traits to that other contact. One
   * contact, the id pointing at it only, the event acknowledged. Before, the identify kept the
   * contact it had created, so the userId pointed at two contacts.
   */
  @Test
  void anIdentifyOfAUserIdLinkedElsewhereWhileItRunsUpdatesThatContact() throws Exception {
    Workspace ws = newWorkspace();
    send(ws, "/v1/identify", "{\"userId\":\"first\"}");
    String first = contactOf(ws, "first");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (java.sql.Connection c = jdbc.getDataSource().getConnection()) {
      c.setAutoCommit(false);
      try (var link =
          c.prepareStatement(
              "insert into contact_identities (workspace_id, kind, value, contact_id)"
                  + " values (?, 'anonymous_id', 'late-link', ?)")) {
        link.setString(1, ws.id());
        link.setString(2, first);
        link.executeUpdate();
      }
      Future<Integer> identify =
          pool.submit(
              () ->
                  post(
                          "/v1/identify",
                          "{\"userId\":\"late-link\",\"traits\":{\"probe\":true}}",
                          "Authorization",
                          ws.basic())
                      .statusCode());
      // Until the identify waits on the uncommitted link (it has inserted its contact by then).
      io.growthos.testsupport.LockWaits.awaitLockWait(
          jdbc.getDataSource(), identify, "%contact_identities%");
      c.commit();
      assertThat(identify.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
    assertThat(contacts(ws)).isEqualTo(1);
    assertThat(ownersOf(ws, "late-link")).containsExactly(first);
    assertThat(
            jdbc.queryForObject(
                "select traits->>'probe' from contacts where workspace_id = ? and id = ?",
                String.class,
                ws.id(),
                first))
        .isEqualTo("true");
  }

  /** The table both services are tested against (ManagementContactRulesTests is the other). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.growthos.testsupport.contacts.ContactRuleCases#all")
  void identifyFollowsTheSharedContactRules(ContactRuleCases c) {
    Workspace ws = newWorkspace();
    String at = ",\"timestamp\":\"2024-01-01T00:00:00Z\"";
    if (c.otherContactEmail() != null) {
      send(
          ws,
          "/v1/identify",
          "{\"userId\":\"other\",\"traits\":{\"email\":\""
              + c.otherContactEmail()
              + "\"}"
              + at
              + "}");
    }
    for (String traits : c.steps()) {
      // A change the traits cap refuses is still stored and acknowledged.
      send(ws, "/v1/identify", "{\"userId\":\"subject\",\"traits\":" + traits + at + "}");
    }
    assertThat(
            jdbc.queryForObject(
                "select count(*) from events where workspace_id = ? and user_id = 'subject'",
                Long.class,
                ws.id()))
        .isEqualTo(c.steps().size());
    Map<String, Object> row =
        jdbc.queryForMap(
            "select traits::text as traits, email, version from contacts"
                + " where workspace_id = ? and user_id = 'subject'",
            ws.id());
    assertThat(JSON.readTree((String) row.get("traits"))).isEqualTo(JSON.readTree(c.traits()));
    assertThat(row.get("email")).isEqualTo(c.email());
    assertThat(row.get("version")).isEqualTo(c.version());
  }

  private static final String SKIPPED = "Identify traits not merged into contact ";

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void identifiesWithNewKeysCannotGrowAContactPastTheTraitsCapButAreStoredAndAcknowledged(
      CapturedOutput output) {
    Workspace ws = newWorkspace();
    for (int i = 1; i <= 5; i++) {
      String secret = i == 5 ? ",\"email\":\"hidden@example.com\"" : "";
      send(
          ws,
          "/v1/identify",
          "{\"userId\":\"grower\",\"traits\":{\"k"
              + i
              + "\":\""
              + "v".repeat(20_000)
              + "\""
              + secret
              + "},\"timestamp\":\"2024-01-01T00:00:00Z\"}");
    }

    // Three keys are 60,030 bytes; a fourth would be 80,040: the 4th and 5th merges are skipped.
    Map<String, Object> contact =
        jdbc.queryForMap(
            "select id, email, version, octet_length(traits::text) as size,"
                + " (select array_agg(k order by k) from jsonb_object_keys(traits) k)::text as keys"
                + " from contacts where workspace_id = ? and user_id = 'grower'",
            ws.id());
    assertThat(contact.get("keys")).isEqualTo("{k1,k2,k3}");
    assertThat((Integer) contact.get("size")).isLessThanOrEqualTo(Traits.MAX_BYTES);
    assertThat(contact.get("email")).isNull();
    assertThat(contact.get("version")).as("one per applied merge, first seen once").isEqualTo(3);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from events where workspace_id = ? and user_id = 'grower'"
                    + " and traits is not null",
                Long.class,
                ws.id()))
        .isEqualTo(5);
    String line = SKIPPED + contact.get("id") + " of workspace " + ws.id();
    assertThat(occurrences(output.getAll(), line)).isEqualTo(2);
    assertThat(output.getAll()).doesNotContain("hidden@example.com").doesNotContain("vvvvvvvvvv");
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void aNewContactWhoseTraitsWouldExceedTheCapIsCreatedWithoutThem(CapturedOutput output) {
    Workspace ws = newWorkspace();
    // 1e999 is 5 bytes of the event and 1,000 digits in jsonb: 70 of them are 70 KB of traits.
    StringBuilder traits = new StringBuilder("{\"email\":\"n@example.com\"");
    for (int i = 0; i < 70; i++) {
      traits.append(",\"n").append(i).append("\":1e999");
    }
    traits.append('}');

    send(ws, "/v1/identify", "{\"userId\":\"digits\",\"traits\":" + traits + "}");

    Map<String, Object> contact =
        jdbc.queryForMap(
            "select id, email, traits::text as traits, version from contacts"
                + " where workspace_id = ? and user_id = 'digits'",
            ws.id());
    assertThat(contact.get("traits")).isEqualTo("{}");
    assertThat(contact.get("email")).isNull();
    assertThat(contact.get("version")).isEqualTo(1);
    assertThat(
            jdbc.queryForObject(
                "select (select count(*) from jsonb_object_keys(traits)) from events"
                    + " where workspace_id = ? and user_id = 'digits'",
                Long.class,
                ws.id()))
        .isEqualTo(71);
    assertThat(
            occurrences(output.getAll(), SKIPPED + contact.get("id") + " of workspace " + ws.id()))
        .isEqualTo(1);
    // Later identifies of the contact are applied as usual.
    send(ws, "/v1/identify", "{\"userId\":\"digits\",\"traits\":{\"plan\":\"pro\"}}");
    assertThat(
            jdbc.queryForObject(
                "select traits::text from contacts where workspace_id = ? and user_id = 'digits'",
                String.class,
                ws.id()))
        .isEqualTo("{\"plan\": \"pro\"}");
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void groupCallsWithNewKeysCannotGrowAGroupPastTheTraitsCapButAreStored(CapturedOutput output) {
    Workspace ws = newWorkspace();
    for (int i = 1; i <= 5; i++) {
      send(
          ws,
          "/v1/group",
          "{\"userId\":\"member\",\"groupId\":\"big\",\"traits\":{\"k"
              + i
              + "\":\""
              + "v".repeat(20_000)
              + "\"}}");
    }
    // 70 numbers of 1,000 digits: a new group whose traits alone exceed the cap gets none.
    StringBuilder digits = new StringBuilder("{\"n0\":1e999");
    for (int i = 1; i < 70; i++) {
      digits.append(",\"n").append(i).append("\":1e999");
    }
    send(
        ws,
        "/v1/group",
        "{\"userId\":\"member\",\"groupId\":\"digits\",\"traits\":" + digits + "}}");

    Map<String, Object> big =
        jdbc.queryForMap(
            "select id, octet_length(traits::text) as size,"
                + " (select array_agg(k order by k) from jsonb_object_keys(traits) k)::text as keys"
                + " from groups where workspace_id = ? and group_id = 'big'",
            ws.id());
    assertThat(big.get("keys")).isEqualTo("{k1,k2,k3}");
    assertThat((Integer) big.get("size")).isLessThanOrEqualTo(Traits.MAX_BYTES);
    assertThat(
            jdbc.queryForObject(
                "select traits::text from groups where workspace_id = ? and group_id = 'digits'",
                String.class,
                ws.id()))
        .isEqualTo("{}");
    assertThat(
            jdbc.queryForObject(
                "select count(*) from events where workspace_id = ? and type = 'group'",
                Long.class,
                ws.id()))
        .isEqualTo(6);
    String skipped = "Group traits not merged into group ";
    assertThat(occurrences(output.getAll(), skipped + big.get("id") + " of workspace " + ws.id()))
        .isEqualTo(2);
    assertThat(occurrences(output.getAll(), skipped)).isEqualTo(3);
    // A later small change of the full group is still applied when it does not grow it past the
    // cap.
    send(
        ws,
        "/v1/group",
        "{\"userId\":\"member\",\"groupId\":\"big\",\"traits\":{\"k1\":\"short\"}}");
    assertThat(
            jdbc.queryForObject(
                "select traits->>'k1' from groups where workspace_id = ? and group_id = 'big'",
                String.class,
                ws.id()))
        .isEqualTo("short");
  }

  /** Waits until the workspace's queued back-fills are done, helping the background worker. */
}
