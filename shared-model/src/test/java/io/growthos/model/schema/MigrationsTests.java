package io.growthos.model.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** The schema as Flyway builds it, on a real PostgreSQL. */
class MigrationsTests {

  /** Tables that belong to no single workspace (reference tables on a distributed PostgreSQL). */
  private static final Set<String> GLOBAL_TABLES =
      Set.of("workspaces", "admin_keys", "flyway_schema_history");

  private static Flyway flyway(String url) {
    TestPostgres pg = TestPostgres.get();
    return Flyway.configure()
        .dataSource(url, pg.username(), pg.password())
        .locations("classpath:db/migration")
        .load();
  }

  @Test
  void migrationsApplyOnAnEmptyDatabaseAndASecondRunChangesNothing() {
    String url = TestPostgres.get().newDatabase("migrations");
    MigrateResult first = flyway(url).migrate();
    assertThat(first.success).isTrue();
    assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(4);

    MigrateResult second = flyway(url).migrate();
    assertThat(second.success).isTrue();
    assertThat(second.migrationsExecuted).isZero();
    flyway(url).validate();
  }

  /**
   * V58: addresses stored before ContactEmail.normalize brought them to NFC are brought to NFC, so
   * that lookups in NFC find them; where two contacts hold the same address in both forms, both
   * stay as they are (normalizing one would break the unique index).
   */
  @Test
  void addressesStoredDecomposedBeforeV58AreStoredInNfcUnlessAnotherContactHoldsTheSame()
      throws SQLException {
    Map<String, String> emails =
        nfcFormsAfterMigrating(
            "emails_nfc",
            "57",
            "insert into workspaces (id, name, plan) values ('ws_1', 'w', 'free');"
                + "insert into contacts (workspace_id, id, email) values"
                + " ('ws_1', 'c_nfd', U&'zoe\\0308@example.com'),"
                + " ('ws_1', 'c_plain', 'ada@example.com'),"
                + " ('ws_1', 'c_both_nfd', U&'Rene\\0301@example.com'),"
                + " ('ws_1', 'c_both_nfc', U&'ren\\00E9@example.com')",
            "select id, email, email is nfc normalized from contacts order by id");
    assertThat(emails)
        .containsEntry("c_nfd", "zo\u00eb@example.com nfc")
        .containsEntry("c_plain", "ada@example.com nfc")
        .containsEntry("c_both_nfd", "Rene\u0301@example.com other")
        .containsEntry("c_both_nfc", "ren\u00e9@example.com nfc");
  }

  /**
   * V60: the self-referral keys (email_normalized) of participants that joined before the key was
   * taken from the address in NFC are composed, so that a later referral's key (composed) meets
   * them; two participants of one campaign that end up with one key both keep it (the column has no
   * unique index: a shared key is what the self-referral check looks for).
   */
  @Test
  void participantEmailKeysStoredDecomposedBeforeV60AreComposed() throws SQLException {
    Map<String, String> keys =
        nfcFormsAfterMigrating(
            "participant_keys_nfc",
            "58",
            "insert into workspaces (id, name, plan) values ('ws_1', 'w', 'free');"
                + "insert into campaigns (workspace_id, id, type, name) values"
                + " ('ws_1', 'cmp_1', 'referral', 'r');"
                + "insert into contacts (workspace_id, id, email) values"
                + " ('ws_1', 'c_nfd', U&'zo\\00EB@example.com'),"
                + " ('ws_1', 'c_nfc', U&'zo\\00EB+2@example.com'),"
                + " ('ws_1', 'c_plain', 'ada@example.com'),"
                + " ('ws_1', 'c_none', null);"
                + "insert into campaign_participants (workspace_id, campaign_id, id, contact_id,"
                + " email_normalized, referral_code, join_seq, score) values"
                + " ('ws_1', 'cmp_1', 'p_nfd', 'c_nfd', U&'zoe\\0308@example.com', 'A', 1, 1),"
                + " ('ws_1', 'cmp_1', 'p_nfc', 'c_nfc', U&'zo\\00EB@example.com', 'B', 2, 2),"
                + " ('ws_1', 'cmp_1', 'p_plain', 'c_plain', 'ada@example.com', 'C', 3, 3),"
                + " ('ws_1', 'cmp_1', 'p_none', 'c_none', null, 'D', 4, 4)",
            "select id, email_normalized, email_normalized is nfc normalized"
                + " from campaign_participants order by id");
    assertThat(keys)
        .containsEntry("p_nfd", "zo\u00eb@example.com nfc")
        .containsEntry("p_nfc", "zo\u00eb@example.com nfc")
        .containsEntry("p_plain", "ada@example.com nfc")
        .containsEntry("p_none", "null other");
  }

  /**
   * V70: audiences stored on social proof campaigns before a social proof campaign refused one are
   * cleared, and the campaign's version moves on; other campaigns keep theirs untouched.
   */
  @Test
  void audiencesStoredOnSocialProofCampaignsBeforeV70AreClearedAndOthersKept() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    String url =
        seededAt(
            "social_proof_audience",
            "69",
            "insert into workspaces (id, name, plan) values ('ws_1', 'w', 'free');"
                + "insert into campaigns (workspace_id, id, type, name, audience) values"
                + " ('ws_1', 'cmp_sp', 'social_proof', 's', '\"seg_1\"'),"
                + " ('ws_1', 'cmp_sp_none', 'social_proof', 'n', null),"
                + " ('ws_1', 'cmp_ref', 'referral', 'r', '\"seg_1\"'),"
                + " ('ws_1', 'cmp_srv', 'survey', 'v',"
                + " '{\"field\": \"traits.plan\", \"op\": \"eq\", \"value\": \"pro\"}')");
    Map<String, String> rows = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select id, coalesce(audience::text, 'null') || ' v' || version"
                        + " from campaigns order by id")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getString(2));
      }
    }
    assertThat(rows)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "cmp_sp", "null v2",
                "cmp_sp_none", "null v1",
                "cmp_ref", "\"seg_1\" v1",
                "cmp_srv", "{\"op\": \"eq\", \"field\": \"traits.plan\", \"value\": \"pro\"} v1"));
  }

  /**
   * V71: every campaign has had its status since before anyone can tell (the behaviour before the
   * history, for events received before it); from then on, creating a campaign and changing its
   * status each add a change, and a write that keeps the status adds none.
   */
  @Test
  void campaignStatusHistoryStartsWithTheStatusBeforeV71AndRecordsEachChangeAfterIt()
      throws SQLException {
    TestPostgres pg = TestPostgres.get();
    String url =
        seededAt(
            "campaign_status_history",
            "70",
            "insert into workspaces (id, name, plan) values ('ws_1', 'w', 'free');"
                + "insert into campaigns (workspace_id, id, type, name, status) values"
                + " ('ws_1', 'cmp_old', 'referral', 'r', 'paused')");
    try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password())) {
      c.createStatement()
          .execute(
              "insert into campaigns (workspace_id, id, type, name, status) values"
                  + " ('ws_1', 'cmp_new', 'waitlist', 'w', 'active');"
                  + "update campaigns set status = 'active' where id = 'cmp_old';"
                  + "update campaigns set name = 'renamed', status = status;"
                  + "update campaigns set status = 'ended' where id = 'cmp_new'");
      List<String> history = new ArrayList<>();
      try (ResultSet rs =
          c.createStatement()
              .executeQuery(
                  "select campaign_id, status, changed_at = '-infinity' from"
                      + " campaign_status_changes order by campaign_id, changed_at")) {
        while (rs.next()) {
          history.add(
              rs.getString(1) + " " + rs.getString(2) + (rs.getBoolean(3) ? " (before)" : ""));
        }
      }
      assertThat(history)
          .containsExactly(
              "cmp_new active", "cmp_new ended", "cmp_old paused (before)", "cmp_old active");
    }
  }

  /**
   * V72: a key rolled before keys had a lineage belongs to the first key of its chain of rolls, as
   * a key rolled after it does (V73's trigger, whichever copy rolls it); a key that replaced none
   * has its own.
   */
  @Test
  void keysRolledBeforeV72BelongToTheFirstKeyOfTheirChain() throws SQLException {
    TestPostgres pg = TestPostgres.get();
    String url =
        seededAt(
            "api_key_lineage",
            "71",
            "insert into workspaces (id, name, plan) values ('ws_1', 'w', 'free');"
                + "insert into api_keys (workspace_id, id, type, key_hash, prefix, last_four,"
                + " rolled_to_id) values"
                + " ('ws_1', 'key_c', 'secret', '\\x03', 'gos_sk_', 'cccc', null),"
                + " ('ws_1', 'key_a', 'secret', '\\x01', 'gos_sk_', 'aaaa', 'key_b'),"
                + " ('ws_1', 'key_b', 'secret', '\\x02', 'gos_sk_', 'bbbb', 'key_c'),"
                + " ('ws_1', 'key_d', 'write', '\\x04', 'gos_wk_', 'dddd', null)");
    Map<String, String> lineage = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password())) {
      // Rolled after the migration, as any copy rolls a key: the successor first, then the link.
      c.createStatement()
          .execute(
              "insert into api_keys (workspace_id, id, type, key_hash, prefix, last_four) values"
                  + " ('ws_1', 'key_e', 'secret', '\\x05', 'gos_sk_', 'eeee'),"
                  + " ('ws_1', 'key_f', 'write', '\\x06', 'gos_wk_', 'ffff');"
                  + "update api_keys set rolled_to_id = 'key_e' where id = 'key_c';"
                  + "update api_keys set rolled_to_id = 'key_f' where id = 'key_d'");
      try (ResultSet rs =
          c.createStatement()
              .executeQuery("select id, coalesce(lineage_id, 'own') from api_keys order by id")) {
        while (rs.next()) {
          lineage.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    assertThat(lineage)
        .containsExactly(
            Map.entry("key_a", "own"),
            Map.entry("key_b", "key_a"),
            Map.entry("key_c", "key_a"),
            Map.entry("key_d", "own"),
            Map.entry("key_e", "key_a"),
            Map.entry("key_f", "key_d"));
  }

  /**
   * A database migrated to {@code target}, seeded with {@code seed}, then migrated to the latest
   * version: its URL.
   */
  private static String seededAt(String database, String target, String seed) throws SQLException {
    TestPostgres pg = TestPostgres.get();
    String url = pg.newDatabase(database);
    Flyway.configure()
        .dataSource(url, pg.username(), pg.password())
        .locations("classpath:db/migration")
        .target(target)
        .load()
        .migrate();
    try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password())) {
      c.createStatement().execute(seed);
    }
    assertThat(flyway(url).migrate().success).isTrue();
    return url;
  }

  /**
   * A database migrated to {@code target}, seeded with {@code seed}, then migrated to the latest
   * version: what {@code query} (id, value, whether the value is in NFC) reads then, as {@code id
   * -> "value nfc|other"}.
   */
  private static Map<String, String> nfcFormsAfterMigrating(
      String database, String target, String seed, String query) throws SQLException {
    TestPostgres pg = TestPostgres.get();
    String url = seededAt(database, target, seed);
    Map<String, String> forms = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
        ResultSet rs = c.createStatement().executeQuery(query)) {
      while (rs.next()) {
        forms.put(rs.getString(1), rs.getString(2) + (rs.getBoolean(3) ? " nfc" : " other"));
      }
    }
    return forms;
  }

  @Test
  void concurrentMigrationsOnAnEmptyDatabaseApplyEachMigrationOnce() throws Exception {
    String url = TestPostgres.get().newDatabase("concurrent_migrations");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Callable<MigrateResult>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(() -> flyway(url).migrate());
      }
      int executed = 0;
      for (Future<MigrateResult> f : pool.invokeAll(runs)) {
        assertThat(f.get().success).isTrue();
        executed += f.get().migrationsExecuted;
      }
      assertThat(executed).isEqualTo(flyway(url).info().applied().length);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyWorkspaceOwnedTableLeadsItsPrimaryKeyAndIndexesWithWorkspaceId() throws SQLException {
    String url = TestPostgres.get().newDatabase("schema_shape");
    flyway(url).migrate();
    Map<String, String> offenders = new LinkedHashMap<>();
    try (Connection c =
            DriverManager.getConnection(
                url, TestPostgres.get().username(), TestPostgres.get().password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    """
                    select t.relname as table_name, i.relname as index_name,
                           a.attname as first_column
                      from pg_index x
                      join pg_class t on t.oid = x.indrelid
                      join pg_class i on i.oid = x.indexrelid
                      join pg_namespace n on n.oid = t.relnamespace
                      left join pg_attribute a
                             on a.attrelid = t.oid and a.attnum = x.indkey[0]
                     where n.nspname = 'public'
                    """)) {
      while (rs.next()) {
        String table = rs.getString("table_name");
        if (GLOBAL_TABLES.contains(table)) {
          continue;
        }
        String first = rs.getString("first_column");
        String index = rs.getString("index_name");
        boolean allowed =
            "workspace_id".equals(first)
                // the key-hash lookup happens before the workspace is known
                || index.equals("api_keys_key_hash_uq")
                // purge jobs sweep by age across workspaces
                || index.endsWith("_received_idx")
                || index.endsWith("_expires_idx")
                || index.endsWith("_retention_idx")
                // background workers claim due rows across workspaces (partial, not unique)
                || index.endsWith("_queue_idx")
                // a GIN index over an array has no B-tree column to lead with (that would need
                // the btree_gin extension); its one query also filters by workspace_id (V48), and
                // it is not unique, so a table distributed by workspace_id can keep it per shard
                || index.equals("idempotency_records_contact_idx");
        if (!allowed) {
          offenders.put(table + "." + index, String.valueOf(first));
        }
      }
    }
    assertThat(offenders).as("indexes not led by workspace_id").isEmpty();
  }

  @Test
  void noWebhookSecretIsKeptInAColumnThatNothingReads() throws SQLException {
    String url = TestPostgres.get().newDatabase("former_secret_columns");
    flyway(url).migrate();
    TestPostgres pg = TestPostgres.get();
    List<String> columns = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, pg.username(), pg.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select column_name from information_schema.columns"
                        + " where table_name = 'webhook_endpoints' and column_name like '%secret%'"
                        + " order by column_name")) {
      while (rs.next()) {
        columns.add(rs.getString(1));
      }
    }
    // The current secret only; replaced ones live in webhook_endpoint_previous_secrets (V46),
    // each with its own expiry.
    assertThat(columns).containsExactly("secret");
  }
}
