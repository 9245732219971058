package io.growthos.management.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.core.contacts.ContactDeletion;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.management.ApiTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Deleting a contact of a big workspace reads the person's rows, not the workspace's: every
 * statement {@link ContactDeletion} sends, and every foreign-key cascade its final {@code DELETE}
 * fires, is run under {@code EXPLAIN (ANALYZE, BUFFERS)} (in a savepoint rolled back before the
 * real statement) against a workspace of 20,000 contacts, events, participants, referrals, webhook
 * events and stored Idempotency-Key responses, and no scan may touch more than a few pages. The
 * timings on a workspace of 500,000 contacts are in docs/contacts.md (Deletion, cost).
 */
class ContactDeletionPlanTests extends ApiTestSupport {

  private static final int ROWS = 20_000;

  /** Pages one scan may touch to find one person's rows (a whole-workspace scan takes hundreds). */
  private static final long MAX_PAGES_PER_SCAN = 40;

  @Autowired DataSource dataSource;

  /** A JdbcTemplate that explains (analyze, buffers) each statement before it runs it. */
  static final class Explaining extends JdbcTemplate {
    final List<Map.Entry<String, JsonNode>> plans = new ArrayList<>();
    private final JdbcTemplate plain;

    Explaining(DataSource dataSource) {
      super(dataSource);
      plain = new JdbcTemplate(dataSource);
    }

    private void explain(String sql, Object... args) {
      plain.execute("savepoint explained");
      String plan =
          plain.queryForObject(
              "explain (analyze, buffers, format json) " + sql, String.class, args);
      plain.execute("rollback to savepoint explained");
      plans.add(Map.entry(sql, JSON.readTree(plan).get(0).get("Plan")));
    }

    @Override
    public int update(String sql, Object... args) {
      explain(sql, args);
      return super.update(sql, args);
    }

    @Override
    public void query(String sql, RowCallbackHandler rch, Object... args) {
      explain(sql, args);
      super.query(sql, rch, args);
    }

    @Override
    public <T> List<T> query(String sql, RowMapper<T> rowMapper, Object... args) {
      explain(sql, args);
      return super.query(sql, rowMapper, args);
    }
  }

  private void seed(String ws, String key) {
    jdbc.update(
        "insert into contacts (workspace_id, id, user_id, email)"
            + " select ?, 'cntct_P' || lpad(i::text, 22, '0'), 'user-' || i,"
            + " 'user' || i || '@example.com' from generate_series(1, ?) i",
        ws,
        ROWS);
    jdbc.update(
        "insert into contact_identities (workspace_id, kind, value, contact_id)"
            + " select ?, 'anonymous_id', 'anon-' || i, 'cntct_P' || lpad(i::text, 22, '0')"
            + " from generate_series(1, ?) i",
        ws,
        ROWS);
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, event, user_id, anonymous_id,"
            + " contact_id, timestamp, received_at)"
            + " select ?, 'evt_P' || lpad(i::text, 22, '0'), 'm' || i, 'track', 'E', 'user-' || i,"
            + " 'anon-' || i, case when i % 10 = 0 then null"
            + " else 'cntct_P' || lpad(i::text, 22, '0') end, now(), now()"
            + " from generate_series(1, ?) i",
        ws, ROWS);
    // Everyone in a group of their own, with its group call.
    jdbc.update(
        "insert into groups (workspace_id, id, group_id, traits)"
            + " select ?, 'grp_P' || i, 'g-' || i, '{}'::jsonb from generate_series(1, ?) i",
        ws,
        ROWS);
    jdbc.update(
        "insert into group_memberships (workspace_id, group_id, contact_id)"
            + " select ?, 'grp_P' || i, 'cntct_P' || lpad(i::text, 22, '0')"
            + " from generate_series(1, ?) i",
        ws,
        ROWS);
    jdbc.update(
        "insert into events (workspace_id, id, message_id, type, group_id, user_id,"
            + " contact_id, timestamp, received_at)"
            + " select ?, 'evt_G' || lpad(i::text, 22, '0'), 'g' || i, 'group', 'g-' || i,"
            + " 'user-' || i, 'cntct_P' || lpad(i::text, 22, '0'), now(), now()"
            + " from generate_series(1, ?) i",
        ws,
        ROWS);
    jdbc.update(
        "insert into campaigns (workspace_id, id, type, name, status)"
            + " values (?, 'cmp_P', 'referral', 'R', 'active')",
        ws);
    jdbc.update(
        "insert into campaign_counters (workspace_id, campaign_id, last_join_seq)"
            + " values (?, 'cmp_P', ?)",
        ws,
        ROWS);
    jdbc.update(
        "insert into campaign_participants (workspace_id, campaign_id, id, contact_id,"
            + " referral_code, join_seq, score)"
            + " select ?, 'cmp_P', 'part_P' || i, 'cntct_P' || lpad(i::text, 22, '0'),"
            + " 'CODE' || i, i, i from generate_series(1, ?) i",
        ws,
        ROWS);
    jdbc.update(
        "insert into referrals (workspace_id, id, campaign_id, referrer_id, referee_contact_id,"
            + " state, source, ip, user_agent)"
            + " select ?, 'refl_P' || i, 'cmp_P', 'part_P1', 'cntct_P' || lpad(i::text, 22, '0'),"
            + " 'qualified', 'event', '10.0.0.1', 'UA' from generate_series(2, ?) i",
        ws,
        ROWS);
    // Pending rewards of other people: the deletion voids the person's own by index (V53).
    jdbc.update(
        "insert into rewards (workspace_id, id, campaign_id, referral_id, rule_index, side,"
            + " referrer_id, participant_id, contact_id, type, state)"
            + " select ?, 'rwd_P' || i, 'cmp_P', 'refl_P' || i, 0, 'referee', 'part_P1',"
            + " 'part_P' || i, 'cntct_P' || lpad(i::text, 22, '0'), 'credit', 'pending'"
            + " from generate_series(2, ?) i",
        ws,
        ROWS);
    jdbc.update(
        "insert into webhook_outbox (workspace_id, id, type, payload, dispatched_at)"
            + " select ?, 'evt_W' || i, 'contact.updated', jsonb_build_object('object',"
            + " 'contact', 'id', 'cntct_P' || lpad(i::text, 22, '0')), now()"
            + " from generate_series(1, ?) i",
        ws,
        ROWS);
    // Stored responses of the last 24 h that show other people (and the person's own, below).
    jdbc.update(
        "insert into idempotency_records (workspace_id, api_key_id, idempotency_key,"
            + " request_hash, method, path, state, response_status, response_body,"
            + " response_headers, expires_at)"
            + " select ?, ?, 'seeded-' || i, '\\x00'::bytea, 'POST', '/v1/contacts', 'completed',"
            + " 201, jsonb_build_object('object', 'contact', 'id', 'cntct_P' || lpad(i::text, 22,"
            + " '0'), 'email', 'user' || i || '@example.com')::text, '{}'::jsonb,"
            + " now() + interval '1 day' from generate_series(1, ?) i",
        ws,
        key,
        ROWS);
    for (String table :
        List.of(
            "contacts",
            "contact_identities",
            "events",
            "groups",
            "group_memberships",
            "campaign_participants",
            "referrals",
            "rewards",
            "webhook_outbox",
            "idempotency_records")) {
      jdbc.execute("analyze " + table);
    }
  }

  /** Pages a plan node and its children touched, per scan node, with the node's description. */
  private static void scans(JsonNode node, List<String> out) {
    String type = node.path("Node Type").asString();
    if (type.contains("Scan")) {
      long pages =
          node.path("Shared Hit Blocks").asLong()
              + node.path("Shared Read Blocks").asLong()
              + node.path("Local Hit Blocks").asLong()
              + node.path("Local Read Blocks").asLong();
      String description =
          type
              + " on "
              + node.path("Relation Name").asString(node.path("Index Name").asString())
              + (node.has("Index Name") ? " using " + node.path("Index Name").asString() : "")
              + ": "
              + pages
              + " pages, "
              + node.path("Rows Removed by Filter").asLong()
              + " rows removed by filter";
      if (pages > MAX_PAGES_PER_SCAN
          || node.path("Rows Removed by Filter").asLong() > MAX_PAGES_PER_SCAN) {
        out.add(description);
      }
    }
    for (JsonNode child : node.path("Plans")) {
      scans(child, out);
    }
  }

  @Test
  void deletingAContactOfABigWorkspaceReadsOnlyThatPersonsRows() {
    Tenant t = newTenant();
    String apiKeyId =
        jdbc.queryForObject(
            "select id from api_keys where workspace_id = ?", String.class, t.workspaceId());
    seed(t.workspaceId(), apiKeyId);
    Response created =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"erased@example.com\",\"user_id\":\"erased\"}",
            "Idempotency-Key",
            "create-erased");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String id = created.body().path("id").asString();
    jdbc.update(
        "insert into campaign_participants (workspace_id, campaign_id, id, contact_id,"
            + " referral_code, join_seq, score) values (?, 'cmp_P', 'part_erased', ?, 'ERASED',"
            + " ?, ?)",
        t.workspaceId(),
        id,
        ROWS + 1,
        ROWS + 1);
    // A group of its own (deleted with it) and one shared with someone (kept).
    jdbc.update(
        "insert into groups (workspace_id, id, group_id) values (?, 'grp_erased', 'g-erased')",
        t.workspaceId());
    for (String group : List.of("grp_erased", "grp_P1")) {
      jdbc.update(
          "insert into group_memberships (workspace_id, group_id, contact_id) values (?, ?, ?)",
          t.workspaceId(),
          group,
          id);
    }
    jdbc.update(
        "insert into referrals (workspace_id, id, campaign_id, referrer_id, referee_contact_id,"
            + " state, source, ip, user_agent) values (?, 'refl_erased', 'cmp_P', 'part_P1', ?,"
            + " 'qualified', 'event', '10.0.0.9', 'UA')",
        t.workspaceId(),
        id);
    // What the person still waited for: a referral it brought and the reward it earned.
    jdbc.update(
        "insert into referrals (workspace_id, id, campaign_id, referrer_id, referee_contact_id,"
            + " state, source) values (?, 'refl_by_erased', 'cmp_P', 'part_erased',"
            + " 'cntct_P0000000000000000000001', 'pending', 'api')",
        t.workspaceId());
    jdbc.update(
        "insert into rewards (workspace_id, id, campaign_id, referral_id, rule_index, side,"
            + " referrer_id, participant_id, contact_id, type, state) values (?, 'rwd_erased',"
            + " 'cmp_P', 'refl_erased', 0, 'referee', 'part_P1', null, ?, 'credit', 'pending')",
        t.workspaceId(),
        id);

    Explaining explaining = new Explaining(dataSource);
    ContactDeletion deletion = new ContactDeletion(explaining, new ContactSuppressions(explaining));
    List<String> wide = new ArrayList<>();
    new TransactionTemplate(new JdbcTransactionManager(dataSource))
        .executeWithoutResult(
            s -> {
              assertThat(deletion.delete(t.workspaceId(), id)).isNotNull();
              // The cascades the final DELETE fires, as PostgreSQL runs them: generic plans of
              // "delete from only <table> where workspace_id = $1 and contact_id = $2".
              JdbcTemplate plain = new JdbcTemplate(dataSource);
              plain.execute("set local plan_cache_mode = force_generic_plan");
              for (String table :
                  plain.queryForList(
                      "select conrelid::regclass::text from pg_constraint"
                          + " where confrelid = 'contacts'::regclass and contype = 'f'",
                      String.class)) {
                plain.execute(
                    "prepare cascade_of(text, text) as delete from only "
                        + table
                        + " where workspace_id = $1 and contact_id = $2");
                plain.execute("savepoint cascade");
                String plan =
                    plain.queryForObject(
                        "explain (analyze, buffers, format json) execute cascade_of('"
                            + t.workspaceId()
                            + "', '"
                            + id
                            + "')",
                        String.class);
                plain.execute("rollback to savepoint cascade");
                plain.execute("deallocate cascade_of");
                List<String> found = new ArrayList<>();
                scans(JSON.readTree(plan).get(0).get("Plan"), found);
                found.forEach(f -> wide.add("cascade to " + table + ": " + f));
              }
            });
    for (Map.Entry<String, JsonNode> plan : explaining.plans) {
      List<String> found = new ArrayList<>();
      scans(plan.getValue(), found);
      found.forEach(f -> wide.add(plan.getKey() + "\n    " + f));
    }
    assertThat(explaining.plans).hasSizeGreaterThan(5);
    assertThat(wide).as("scans wider than one person's rows").isEmpty();
    assertThat(explaining.plans).anyMatch(p -> p.getKey().contains("delete from groups"));
    assertThat(
            jdbc.queryForList(
                "select id from groups where workspace_id = ? and id in ('grp_erased', 'grp_P1')",
                String.class,
                t.workspaceId()))
        .as("its own group went, the shared one stayed")
        .containsExactly("grp_P1");

    // And it still did its work: the stored create replays the 404 a read answers.
    Response replay =
        post(
            "/v1/contacts",
            t.key(),
            "{\"email\":\"erased@example.com\",\"user_id\":\"erased\"}",
            "Idempotency-Key",
            "create-erased");
    assertThat(replay.status()).as(replay.raw()).isEqualTo(404);
    assertThat(
            jdbc.queryForObject(
                "select ip is null from referrals where workspace_id = ? and id = 'refl_erased'",
                Boolean.class,
                t.workspaceId()))
        .isTrue();
    assertThat(
            jdbc.queryForObject(
                "select reason from referrals where workspace_id = ? and id = 'refl_by_erased'",
                String.class,
                t.workspaceId()))
        .isEqualTo("referrer_deleted");
    assertThat(
            jdbc.queryForObject(
                "select state || ' ' || reason from rewards where workspace_id = ?"
                    + " and id = 'rwd_erased'",
                String.class,
                t.workspaceId()))
        .isEqualTo("rejected contact_deleted");
  }
}
