package io.growthos.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Cursor pagination of SPEC §4: keyset walks, limits, and cursors the server signed itself. */
class PaginationTest extends ApiTestSupport {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  /**
   * Every list route of the route table without path parameters (the others take the same {@code
   * PageRequest.checkLimit} and {@code Cursors}) refuses the same bad {@code limit} and {@code
   * cursor} values the same way: 400 naming the parameter; and a cursor of another list is 400
   * {@code invalid_cursor}, as is one of another workspace's same list.
   */
  @Test
  void everyListRouteRefusesBadLimitsAndCursorsAlike() {
    Tenant t = newTenant();
    Tenant other = newTenant();
    String admin = newAdminKey();
    String contactsCursor = firstCursor(t);
    String foreignCursor = firstCursor(other);
    List<String> checked = new ArrayList<>();
    for (Routes.Route route : Routes.of(mapping)) {
      Set<String> params =
          io.growthos.platform.web.StrictQueryParameters.declaredParameters(route.handler());
      if (!route.method().equals("GET")
          || !params.contains("limit")
          || !params.contains("cursor")
          || route.path().contains("{")) {
        continue;
      }
      String key = route.adminOnly() ? admin : t.key();
      String path = route.path();
      checked.add(path);
      assertThat(get(path + "?limit=1", key).status()).as(path).isEqualTo(200);
      for (String bad :
          List.of("0", "101", "-1", "ten", "1.5", "1e1", "99999999999", "5&limit=6")) {
        Response r = get(path + "?limit=" + bad, key);
        assertThat(r.status()).as("%s limit=%s: %s", path, bad, r.raw()).isEqualTo(400);
        assertThat(r.firstDetail().path("field").asString()).as(path + bad).isEqualTo("limit");
      }
      for (String bad : List.of("garbage", "a.b", ".", "%00x")) {
        Response r = get(path + "?cursor=" + bad, key);
        assertThat(r.status()).as("%s cursor=%s: %s", path, bad, r.raw()).isEqualTo(400);
        assertThat(r.firstDetail().path("field").asString()).as(path + bad).isEqualTo("cursor");
      }
      Response foreign = get(path + "?cursor=" + enc(foreignCursor), key);
      assertThat(foreign.errorCode()).as(path).isEqualTo("invalid_cursor");
      if (!path.equals("/v1/contacts")) {
        Response otherList = get(path + "?cursor=" + enc(contactsCursor), key);
        assertThat(otherList.errorCode()).as(path).isEqualTo("invalid_cursor");
      }
    }
    assertThat(checked)
        .contains("/v1/contacts", "/v1/events", "/v1/api-keys", "/v1/workspaces", "/v1/segments");
  }

  @Test
  void concurrentWalkNeverRepeatsOrSkipsRowsThatExistedThroughout() throws Exception {
    Tenant t = newTenant();
    List<String> stable = new ArrayList<>();
    List<String> doomed = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      String id = insertContact(t.workspaceId(), "walk-" + i, "{}");
      (i % 3 == 0 ? doomed : stable).add(id);
    }
    AtomicBoolean walking = new AtomicBoolean(true);
    AtomicInteger writes = new AtomicInteger();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              int next = 0;
              while (walking.get()) {
                insertContact(t.workspaceId(), "new-" + next++, "{}");
                if (next <= doomed.size()) {
                  jdbc.update(
                      "delete from contacts where workspace_id = ? and id = ?",
                      t.workspaceId(),
                      doomed.get(next - 1));
                }
                writes.incrementAndGet();
              }
            });
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    try {
      do {
        Response page =
            get(
                "/v1/contacts?limit=7"
                    + (cursor == null
                        ? ""
                        : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                t.key());
        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        seen.addAll(ids(page));
        cursor =
            page.body().path("next_cursor").isNull()
                ? null
                : page.body().path("next_cursor").asString();
        assertThat(page.body().path("has_more").asBoolean()).isEqualTo(cursor != null);
        pages++;
      } while (cursor != null);
    } finally {
      walking.set(false);
      writer.get();
    }
    assertThat(pages).isGreaterThan(20);
    assertThat(writes.get()).as("writes raced the walk").isPositive();
    assertThat(new HashSet<>(seen)).as("no row twice").hasSameSizeAs(seen);
    assertThat(seen).as("every row that existed throughout").containsAll(stable);
    List<String> sorted = new ArrayList<>(seen);
    sorted.sort(java.util.Comparator.reverseOrder());
    assertThat(seen).as("newest first").isEqualTo(sorted);
  }

  @Test
  void limitDefaultsTo25AndMustBeBetween1And100() {
    Tenant t = newTenant();
    for (int i = 0; i < 30; i++) {
      insertContact(t.workspaceId(), null, "{}");
    }
    assertThat(ids(get("/v1/contacts", t.key()))).hasSize(25);
    assertThat(ids(get("/v1/contacts?limit=100", t.key()))).hasSize(30);
    for (String bad : List.of("0", "101", "-1")) {
      Response r = get("/v1/contacts?limit=" + bad, t.key());
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.firstDetail().path("field").asString()).isEqualTo("limit");
    }
    Response notANumber = get("/v1/events?limit=ten", t.key());
    assertThat(notANumber.status()).isEqualTo(400);
    assertThat(notANumber.firstDetail().path("field").asString()).isEqualTo("limit");
  }

  @Test
  void rejectsTamperedCursor() {
    Tenant t = newTenant();
    String cursor = firstCursor(t);
    char[] chars = cursor.toCharArray();
    chars[3] = chars[3] == 'A' ? 'B' : 'A';
    for (String bad : List.of(new String(chars), "garbage", cursor + "x", "." + cursor)) {
      Response r = get("/v1/contacts?limit=1&cursor=" + enc(bad), t.key());
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("invalid_cursor");
      assertThat(r.firstDetail().path("field").asString()).isEqualTo("cursor");
    }
  }

  @Test
  void rejectsForeignCursor() {
    Tenant mine = newTenant();
    Tenant theirs = newTenant();
    String theirCursor = firstCursor(theirs);
    Response r = get("/v1/contacts?limit=1&cursor=" + enc(theirCursor), mine.key());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("invalid_cursor");
  }

  @Test
  void rejectsCursorOfAnotherListOrOtherFilters() {
    Tenant t = newTenant();
    String cursor = firstCursor(t);
    assertThat(get("/v1/api-keys?cursor=" + enc(cursor), t.key()).errorCode())
        .isEqualTo("invalid_cursor");
    assertThat(get("/v1/events?cursor=" + enc(cursor), t.key()).errorCode())
        .isEqualTo("invalid_cursor");
    assertThat(get("/v1/contacts?user_id=x&cursor=" + enc(cursor), t.key()).errorCode())
        .isEqualTo("invalid_cursor");
  }

  @Test
  void filtersNarrowTheWalkAndForeignIdsInFiltersMatchNothing() {
    Tenant mine = newTenant();
    Tenant theirs = newTenant();
    String contact = insertContact(mine.workspaceId(), "u-1", "{}");
    String other = insertContact(mine.workspaceId(), "u-2", "{}");
    for (int i = 0; i < 5; i++) {
      insertEvent(mine.workspaceId(), contact, "u-1", "Clicked");
      insertEvent(mine.workspaceId(), other, "u-2", "Viewed");
    }
    String foreignContact = insertContact(theirs.workspaceId(), "u-1", "{}");
    insertEvent(theirs.workspaceId(), foreignContact, "u-1", "Clicked");

    Set<String> walked = new HashSet<>();
    String cursor = null;
    do {
      Response page =
          get(
              "/v1/events?contact_id="
                  + contact
                  + "&limit=2"
                  + (cursor == null ? "" : "&cursor=" + enc(cursor)),
              mine.key());
      page.body()
          .path("data")
          .forEach(
              e -> {
                assertThat(e.path("contact_id").asString()).isEqualTo(contact);
                walked.add(e.path("id").asString());
              });
      cursor =
          page.body().path("next_cursor").isNull()
              ? null
              : page.body().path("next_cursor").asString();
    } while (cursor != null);
    assertThat(walked).hasSize(5);
    assertThat(ids(get("/v1/events?event=Viewed&type=track", mine.key()))).hasSize(5);
    assertThat(ids(get("/v1/events?user_id=u-1", mine.key()))).hasSize(5);
    assertThat(ids(get("/v1/events?contact_id=" + foreignContact, mine.key()))).isEmpty();
    assertThat(ids(get("/v1/contacts?user_id=u-2", mine.key()))).containsExactly(other);
  }

  /**
   * {@code ?user_id=} finds the contact an id finds for ingest: its user id, or an id aliased or
   * identified to it (after {@code alias(newId)} the new id is the one the customer uses), never
   * another workspace's. Until 2026-12-07 only the user id column was compared (a black-box
   * review).
   */
  @Test
  void theUserIdFilterFindsTheContactAnAliasedIdBelongsTo() {
    Tenant mine = newTenant();
    Tenant theirs = newTenant();
    String contact = insertContact(mine.workspaceId(), "old", "{}");
    insertContact(mine.workspaceId(), "someone-else", "{}");
    jdbc.update(
        "insert into contact_identities (workspace_id, kind, value, contact_id)"
            + " values (?, 'anonymous_id', 'new', ?)",
        mine.workspaceId(),
        contact);
    String foreign = insertContact(theirs.workspaceId(), "old", "{}");
    assertThat(ids(get("/v1/contacts?user_id=new", mine.key()))).containsExactly(contact);
    assertThat(ids(get("/v1/contacts?user_id=old", mine.key()))).containsExactly(contact);
    assertThat(ids(get("/v1/contacts?user_id=nobody", mine.key()))).isEmpty();
    assertThat(ids(get("/v1/contacts?user_id=old", theirs.key()))).containsExactly(foreign);
    assertThat(ids(get("/v1/contacts?user_id=new", theirs.key()))).isEmpty();
  }

  /** Heap pages of contacts read so far (PostgreSQL's cumulative statistics, all backends). */
  private long contactPagesRead() {
    // A backend reports its counters when it goes idle, at most a second late.
    java.util.concurrent.locks.LockSupport.parkNanos(1_500_000_000L);
    jdbc.execute("select pg_stat_clear_snapshot()");
    return jdbc.queryForObject(
        "select heap_blks_hit + heap_blks_read from pg_statio_user_tables"
            + " where relname = 'contacts'",
        Long.class);
  }

  /**
   * The user id filter reads the contacts it finds, not the workspace's: until 2026-12-07 its
   * correlated sub-query walked every contact (2 s at 100,000 contacts, a black-box review).
   */
  @Test
  void theUserIdFilterReadsTheContactsItFindsNotTheWorkspaces() {
    Tenant t = newTenant();
    jdbc.update(
        "insert into contacts (workspace_id, id, user_id, traits)"
            + " select ?, 'cntct_L' || lpad(i::text, 22, '0'), 'many-' || i,"
            + " jsonb_build_object('padding', repeat('x', 200)) from generate_series(1, 20000) i",
        t.workspaceId());
    jdbc.execute("analyze contacts");
    assertThat(ids(get("/v1/contacts?user_id=many-1", t.key())))
        .containsExactly("cntct_L" + "0".repeat(21) + "1");
    long before = contactPagesRead();
    for (int i = 0; i < 3; i++) {
      assertThat(ids(get("/v1/contacts?user_id=many-" + (10 + i), t.key()))).hasSize(1);
    }
    long read = contactPagesRead() - before;
    // The workspace's contacts fill about 1,000 pages; three lookups need a few each.
    assertThat(read).as("pages of contacts read by three lookups").isLessThan(150);
  }

  private String firstCursor(Tenant t) {
    insertContact(t.workspaceId(), null, "{}");
    insertContact(t.workspaceId(), null, "{}");
    Response first = get("/v1/contacts?limit=1", t.key());
    assertThat(first.body().path("has_more").asBoolean()).isTrue();
    return first.body().path("next_cursor").asString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String unusedId() {
    return Ids.next(IdPrefix.CONTACT);
  }
}
