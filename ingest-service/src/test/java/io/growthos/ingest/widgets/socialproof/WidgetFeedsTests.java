package io.growthos.ingest.widgets.socialproof;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.campaigns.SocialProofFeed;
import io.growthos.core.campaigns.SocialProofFeeds;
import io.growthos.ingest.IngestTestBase;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The per-campaign cache: the same feed within the TTL, a fresh one after it. */
class WidgetFeedsTests extends IngestTestBase {

  private static final Duration TTL = Duration.ofSeconds(5);

  private final AtomicLong nanos = new AtomicLong();

  /** Refreshes run on the reading thread, so the test sees them complete. */
  private WidgetFeeds cache() {
    return cache(Runnable::run);
  }

  private WidgetFeeds cache(java.util.concurrent.Executor refreshes) {
    return new WidgetFeeds(
        new SocialProofFeeds(jdbc),
        JsonMapper.builder().build(),
        Clock.systemUTC(),
        TTL,
        100,
        nanos::get,
        refreshes);
  }

  private String campaign(String workspaceId) {
    String id = Ids.next(IdPrefix.CAMPAIGN);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status, settings) values (?, ?,"
            + " 'social_proof', 'p', 'active', ?::jsonb)",
        workspaceId,
        id,
        """
        {"source": {"event": "Signed Up", "where": []}, "template": "{first_name} signed up",
         "counter": null, "opt_out_trait": "social_proof_opt_out", "limit": 10, "max_age": "7d"}
        """);
    return id;
  }

  private void signUp(String workspaceId, String firstName) {
    String contact = Ids.next(IdPrefix.CONTACT);
    jdbc.update(
        "insert into contacts (workspace_id, id, traits) values (?, ?, ?::jsonb)",
        workspaceId,
        contact,
        "{\"first_name\": \"" + firstName + "\"}");
    String event = Ids.next(IdPrefix.EVENT);
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, contact_id, timestamp,"
            + " received_at) values (?, ?, ?, 'track', 'Signed Up', ?, ?, ?)",
        workspaceId,
        event,
        event,
        contact,
        Timestamp.from(Instant.now()),
        Timestamp.from(Instant.now()));
  }

  private static java.util.List<String> messages(WidgetFeeds cache, String ws, String id) {
    return cache.live(ws, id).map(live -> live.feed().items()).orElseThrow().stream()
        .map(SocialProofFeed.Item::message)
        .toList();
  }

  @Test
  void servesTheCachedFeedWithinTheTtlAndAFreshOneAfter() {
    Workspace ws = newWorkspace();
    String id = campaign(ws.id());
    signUp(ws.id(), "Anna");
    WidgetFeeds cache = cache();

    assertThat(messages(cache, ws.id(), id)).containsExactly("Anna signed up");
    signUp(ws.id(), "Ben");
    nanos.addAndGet(TTL.toNanos() - 1);
    assertThat(messages(cache, ws.id(), id)).containsExactly("Anna signed up");

    nanos.addAndGet(2);
    cache.live(ws.id(), id); // past the TTL: this read starts the refresh
    assertThat(messages(cache, ws.id(), id)).containsExactly("Ben signed up", "Anna signed up");
  }

  @Test
  void aPausedCampaignStopsAnsweringAfterTheTtl() {
    Workspace ws = newWorkspace();
    String id = campaign(ws.id());
    WidgetFeeds cache = cache();
    assertThat(cache.live(ws.id(), id)).isPresent();

    jdbc.update("update campaigns set status = 'paused' where id = ?", id);
    assertThat(cache.live(ws.id(), id)).isPresent();
    nanos.addAndGet(TTL.toNanos() + 1);
    cache.live(ws.id(), id);
    assertThat(cache.live(ws.id(), id)).isEmpty();
  }

  @Test
  void aCampaignActivatedAfterAReadAnswersFromTheFirstReadAfterTheTtl() {
    Workspace ws = newWorkspace();
    String id = campaign(ws.id());
    jdbc.update("update campaigns set status = 'draft' where id = ?", id);
    String unknown = Ids.next(IdPrefix.CAMPAIGN);
    // Refreshes in the background, as in the service: a read that starts one gets what is cached.
    java.util.List<Runnable> background = new java.util.ArrayList<>();
    WidgetFeeds cache = cache(background::add);
    assertThat(cache.live(ws.id(), id)).isEmpty();
    assertThat(cache.live(ws.id(), unknown)).isEmpty();

    jdbc.update("update campaigns set status = 'active' where id = ?", id);
    nanos.addAndGet(TTL.toNanos() - 1);
    assertThat(cache.live(ws.id(), id)).as("within the TTL").isEmpty();
    nanos.addAndGet(2);
    assertThat(cache.live(ws.id(), id)).as("the first read after the TTL").isPresent();
  }

  @Test
  void anEntryUnreadForLongIsRecomputedBeforeItIsServed() {
    Workspace ws = newWorkspace();
    String id = campaign(ws.id());
    WidgetFeeds cache = cache();
    assertThat(messages(cache, ws.id(), id)).isEmpty();

    signUp(ws.id(), "Cleo");
    nanos.addAndGet(TTL.multipliedBy(WidgetFeeds.EXPIRY_FACTOR).toNanos() + 1);
    assertThat(messages(cache, ws.id(), id)).containsExactly("Cleo signed up");
  }

  /**
   * Refreshes run in the background as in the service (here: queued and never run), so a read past
   * the TTL gets what is cached. What is cached must still not be served long after it was
   * computed: a campaign paused, a person deleted (their toast) or a campaign deleted must be gone
   * from the widget a bounded time later, whatever the traffic. Before, a feed read less often than
   * every TTL was served up to 12 TTLs (a minute at the default 5 s) after it was computed.
   */
  @Test
  void aFeedIsNeverServedMoreThanTwoTtlsAfterItWasComputed() {
    Workspace ws = newWorkspace();
    String id = campaign(ws.id());
    signUp(ws.id(), "Dora");
    java.util.List<Runnable> background = new java.util.ArrayList<>();
    WidgetFeeds cache = cache(background::add);
    assertThat(messages(cache, ws.id(), id)).containsExactly("Dora signed up");

    jdbc.update("delete from events where workspace_id = ?", ws.id());
    jdbc.update("delete from contacts where workspace_id = ?", ws.id());
    nanos.addAndGet(TTL.toNanos() + 1);
    assertThat(messages(cache, ws.id(), id))
        .as("between one and two TTLs: the cached feed, while it is recomputed")
        .containsExactly("Dora signed up");
    nanos.addAndGet(TTL.toNanos());
    assertThat(messages(cache, ws.id(), id)).as("past two TTLs").isEmpty();

    jdbc.update("update campaigns set status = 'paused' where id = ?", id);
    nanos.addAndGet(2 * TTL.toNanos() + 1);
    assertThat(cache.live(ws.id(), id)).as("paused two TTLs ago").isEmpty();
  }

  @Test
  void aWorkspacesEntryNeverAnswersAnotherWorkspace() {
    Workspace a = newWorkspace();
    Workspace b = newWorkspace();
    String id = campaign(a.id());
    WidgetFeeds cache = cache();
    assertThat(cache.live(a.id(), id)).isPresent();
    assertThat(cache.live(b.id(), id)).isEmpty();
  }
}
