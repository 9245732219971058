package io.growthos.platform.bootstrap;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.model.plans.Plan;
import io.growthos.platform.auth.KeyRows;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the bootstrap workspace and keys on start, idempotently. Both services run it; a
 * transaction-scoped advisory lock makes concurrent starts create everything exactly once.
 */
public class Bootstrapper implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(Bootstrapper.class);
  private static final long LOCK_ID = 0x67726f777468L; // "growth"

  private final BootstrapProperties props;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;

  public Bootstrapper(BootstrapProperties props, JdbcTemplate jdbc, TransactionTemplate tx) {
    this.props = props;
    this.jdbc = jdbc;
    this.tx = tx;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (props.isEmpty()) {
      return;
    }
    check(KeyType.WRITE, props.writeKey());
    check(KeyType.SECRET, props.secretKey());
    check(KeyType.ADMIN, props.adminKey());
    Plan plan =
        Plan.ofWireName(props.plan())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "growthos.bootstrap.plan must be one of " + Plan.allowedValues()));
    tx.executeWithoutResult(
        status -> {
          jdbc.queryForList("select pg_advisory_xact_lock(?)", LOCK_ID);
          if (props.adminKey() != null && !exists("admin_keys", props.adminKey())) {
            KeyRows.insertAdminKey(jdbc, "bootstrap admin key", props.adminKey());
            log.info("Bootstrap: created admin key …{}", ApiKeys.lastFour(props.adminKey()));
          }
          if (props.writeKey() == null && props.secretKey() == null) {
            return;
          }
          String workspaceId = workspaceFor(plan);
          insertKeyIfAbsent(workspaceId, KeyType.WRITE, props.writeKey(), List.of());
          insertKeyIfAbsent(workspaceId, KeyType.SECRET, props.secretKey(), List.of("*"));
        });
  }

  private String workspaceFor(Plan plan) {
    Optional<String> existing =
        workspaceOfKey(props.writeKey()).or(() -> workspaceOfKey(props.secretKey()));
    if (existing.isPresent()) {
      // The settings of the workspace apply to its creation only: say so, or an operator who
      // changed them waits for a change that never comes.
      log.info(
          "Bootstrap: the keys' workspace {} exists; growthos.bootstrap.workspace-id, -name and"
              + " -plan apply only when it is created (change a plan with PATCH"
              + " /v1/workspaces/<id>)",
          existing.get());
      return existing.get();
    }
    // A workspace to create gets an id the API would make ('ws_' and 23 letters or digits):
    // until 2026-12-07 any text was taken, and a workspace "not-an-id" was listed among the
    // others (a black-box review). Checked only for a workspace that does not exist: a deployment
    // whose workspace exists keeps starting with the setting it was created with, whatever its
    // keys.
    if (workspaceId() != null
        && !Ids.isWellFormed(IdPrefix.WORKSPACE, workspaceId())
        && jdbc.queryForList("select 1 from workspaces where id = ?", workspaceId()).isEmpty()) {
      throw new IllegalStateException(
          "GROWTHOS_BOOTSTRAP_WORKSPACE_ID (growthos.bootstrap.workspace-id) must be 'ws_'"
              + " followed by 23 letters or digits, as the API makes them, or unset");
    }
    String id = workspaceId() != null ? workspaceId() : Ids.next(IdPrefix.WORKSPACE);
    int created =
        jdbc.update(
            "insert into workspaces (id, name, plan) values (?,?,?) on conflict (id) do nothing",
            id,
            props.workspaceName(),
            plan.wireName());
    if (created == 1) {
      log.info("Bootstrap: created workspace {} on plan {}", id, plan.wireName());
    }
    return id;
  }

  private void insertKeyIfAbsent(
      String workspaceId, KeyType type, String key, List<String> scopes) {
    if (key == null || exists("api_keys", key)) {
      return;
    }
    KeyRows.insertApiKey(
        jdbc,
        workspaceId,
        type,
        "bootstrap " + type.wireName() + " key",
        key,
        scopes.toArray(String[]::new));
    log.info(
        "Bootstrap: created {} key …{} in {}", type.wireName(), ApiKeys.lastFour(key), workspaceId);
  }

  /** The configured workspace id; blank is none (compose passes an unset variable as empty). */
  private String workspaceId() {
    String id = props.workspaceId();
    return id == null || id.isBlank() ? null : id;
  }

  private Optional<String> workspaceOfKey(String key) {
    if (key == null) {
      return Optional.empty();
    }
    return jdbc
        .queryForList(
            "select workspace_id from api_keys where key_hash = ?",
            String.class,
            (Object) ApiKeys.hash(key))
        .stream()
        .findFirst();
  }

  private boolean exists(String table, String key) {
    Integer n =
        jdbc.queryForObject(
            "select count(*) from " + table + " where key_hash = ?",
            Integer.class,
            (Object) ApiKeys.hash(key));
    return n != null && n > 0;
  }

  private static void check(KeyType type, String key) {
    if (key != null && !ApiKeys.isWellFormed(type, key)) {
      throw new IllegalStateException(
          "Bootstrap "
              + type.wireName()
              + " key must be '"
              + type.prefix()
              + "' followed by 32 letters or digits");
    }
  }
}
