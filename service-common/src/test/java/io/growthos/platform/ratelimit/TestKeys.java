package io.growthos.platform.ratelimit;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.model.plans.Plan;
import io.growthos.platform.auth.KeyRows;
import org.springframework.jdbc.core.JdbcTemplate;

/** Real workspaces and keys in the test database, each test with its own (so a full bucket). */
final class TestKeys {

  private final JdbcTemplate jdbc;

  TestKeys(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  record Key(String workspaceId, String secret) {}

  /** A new workspace on {@code plan} with one key of {@code type}. */
  Key create(Plan plan, KeyType type) {
    String workspaceId = Ids.next(IdPrefix.WORKSPACE);
    jdbc.update(
        "insert into workspaces (id, name, plan) values (?,?,?)",
        workspaceId,
        "rate limit test",
        plan.wireName());
    String secret = ApiKeys.generate(type);
    KeyRows.insertApiKey(jdbc, workspaceId, type, "rate limit test", secret, "*");
    return new Key(workspaceId, secret);
  }

  String createAdmin() {
    String secret = ApiKeys.generate(KeyType.ADMIN);
    KeyRows.insertAdminKey(jdbc, "rate limit test", secret);
    return secret;
  }

  void changePlan(String workspaceId, Plan plan) {
    jdbc.update("update workspaces set plan = ? where id = ?", plan.wireName(), workspaceId);
  }
}
