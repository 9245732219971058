package io.growthos.management.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.management.ApiTestSupport;
import io.growthos.model.plans.Plan;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.KeyAuthenticator;
import io.growthos.platform.auth.KeyChangeListener;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Another copy of a service (here: a second {@link KeyAuthenticator} with its own {@link
 * KeyChangeListener}, caching for 5 minutes) learns of every key change the Management API commits
 * within a moment, not when its cache expires: a revoke, a roll with no grace period, an admin
 * key's revoke and a plan change (docs/security.md "Revocation applies everywhere at once").
 */
class KeyChangesReachOtherCopiesTests extends ApiTestSupport {

  @Autowired JdbcConnectionDetails database;

  private KeyAuthenticator otherCopy;
  private KeyChangeListener listener;

  @BeforeEach
  void anotherCopy() throws Exception {
    otherCopy = new KeyAuthenticator(jdbc, Duration.ofMinutes(5));
    listener = new KeyChangeListener(database, otherCopy);
    listener.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!listener.isListening() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(listener.isListening()).isTrue();
  }

  @AfterEach
  void stop() {
    listener.stop();
  }

  /** Waits up to a second for the other copy to answer as {@code expected}; true if it did. */
  private boolean otherCopySeesWithinASecond(
      String key, Predicate<Optional<AuthenticatedKey>> expected) throws InterruptedException {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (expected.test(otherCopy.authenticate(key))) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  @Test
  void aRevokeOrARollReachesAnotherCopyAtOnce() throws Exception {
    Tenant t = newTenant();
    for (String action : new String[] {"revoke", "roll"}) {
      Response created = post("/v1/api-keys", t.key(), "{\"type\":\"write\",\"name\":\"w\"}");
      String key = created.body().path("key").asString();
      assertThat(otherCopy.authenticate(key)).isPresent(); // cached there
      Response done =
          post(
              "/v1/api-keys/" + created.body().path("id").asString() + "/" + action, t.key(), null);
      assertThat(done.status()).as(done.raw()).isEqualTo(200);
      assertThat(otherCopySeesWithinASecond(key, Optional::isEmpty))
          .as("the other copy refuses the key after its %s", action)
          .isTrue();
    }
  }

  @Test
  void anAdminKeysRevokeAndAPlanChangeReachAnotherCopyAtOnce() throws Exception {
    String admin = newAdminKey();
    String old = newAdminKey();
    assertThat(otherCopy.authenticate(old)).isPresent();
    String oldId =
        jdbc.queryForObject(
            "select id from admin_keys where key_hash = ?",
            String.class,
            (Object) io.growthos.model.keys.ApiKeys.hash(old));
    assertThat(post("/v1/admin-keys/" + oldId + "/revoke", admin, null).status()).isEqualTo(200);
    assertThat(otherCopySeesWithinASecond(old, Optional::isEmpty)).isTrue();

    Tenant t = newTenant(); // plan scale
    assertThat(otherCopy.authenticate(t.key()).orElseThrow().plan()).isEqualTo(Plan.SCALE);
    assertThat(patch("/v1/workspaces/" + t.workspaceId(), admin, "{\"plan\":\"free\"}").status())
        .isEqualTo(200);
    assertThat(
            otherCopySeesWithinASecond(t.key(), k -> k.isPresent() && k.get().plan() == Plan.FREE))
        .isTrue();
  }
}
