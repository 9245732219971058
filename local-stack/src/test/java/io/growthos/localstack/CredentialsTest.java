package io.growthos.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

  @TempDir Path dir;

  @Test
  void firstStartGeneratesWorkspaceAndKeysReadableOnlyByTheOwner() throws Exception {
    Path file = dir.resolve("credentials.json");

    Credentials created =
        Credentials.loadOrCreate(file, "http://localhost:8081", "http://localhost:8082", Map.of());

    assertThat(Ids.isWellFormed(IdPrefix.WORKSPACE, created.workspaceId())).isTrue();
    assertThat(ApiKeys.isWellFormed(KeyType.WRITE, created.writeKey())).isTrue();
    assertThat(ApiKeys.isWellFormed(KeyType.SECRET, created.secretKey())).isTrue();
    assertThat(ApiKeys.isWellFormed(KeyType.ADMIN, created.adminKey())).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file))
        .contains(
            "\"workspace_id\"",
            "\"write_key\"",
            "\"secret_key\"",
            "\"admin_key\"",
            "\"ingest_url\" : \"http://localhost:8081\"",
            "\"management_url\" : \"http://localhost:8082\"");
  }

  @Test
  void laterStartsReuseTheKeysAndFollowTheCurrentPorts() {
    Path file = dir.resolve("credentials.json");
    Credentials first =
        Credentials.loadOrCreate(file, "http://localhost:8081", "http://localhost:8082", Map.of());

    Credentials second =
        Credentials.loadOrCreate(file, "http://localhost:9081", "http://localhost:9082", Map.of());

    assertThat(second.workspaceId()).isEqualTo(first.workspaceId());
    assertThat(second.writeKey()).isEqualTo(first.writeKey());
    assertThat(second.secretKey()).isEqualTo(first.secretKey());
    assertThat(second.adminKey()).isEqualTo(first.adminKey());
    assertThat(Credentials.read(file).ingestUrl()).isEqualTo("http://localhost:9081");
    assertThat(Credentials.read(file).managementUrl()).isEqualTo("http://localhost:9082");
  }

  @Test
  void firstStartTakesKeysFixedInTheEnvironment() {
    String writeKey = ApiKeys.generate(KeyType.WRITE);
    String adminKey = ApiKeys.generate(KeyType.ADMIN);

    Credentials created =
        Credentials.loadOrCreate(
            dir.resolve("credentials.json"),
            "http://localhost:8081",
            "http://localhost:8082",
            Map.of(
                "GROWTHOS_BOOTSTRAP_WORKSPACE_ID", "ws_fixed",
                "GROWTHOS_BOOTSTRAP_WRITE_KEY", writeKey,
                "GROWTHOS_BOOTSTRAP_ADMIN_KEY", adminKey));

    assertThat(created.workspaceId()).isEqualTo("ws_fixed");
    assertThat(created.writeKey()).isEqualTo(writeKey);
    assertThat(created.adminKey()).isEqualTo(adminKey);
    assertThat(ApiKeys.isWellFormed(KeyType.SECRET, created.secretKey())).isTrue();
  }

  @Test
  void rejectsAMalformedKeyFromTheEnvironmentNamingTheVariable() {
    assertThatThrownBy(
            () ->
                Credentials.loadOrCreate(
                    dir.resolve("credentials.json"),
                    "http://localhost:8081",
                    "http://localhost:8082",
                    Map.of("GROWTHOS_BOOTSTRAP_SECRET_KEY", "gos_wk_notasecretkey")))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("GROWTHOS_BOOTSTRAP_SECRET_KEY")
        .hasMessageContaining("gos_sk_");
  }

  @Test
  void refusesADamagedFileInsteadOfSilentlyMintingNewKeys() throws Exception {
    Path file = dir.resolve("credentials.json");
    Files.writeString(file, "{\"workspace_id\": \"ws_1\", \"write_key\": \"oops\"");

    assertThatThrownBy(
            () ->
                Credentials.loadOrCreate(
                    file, "http://localhost:8081", "http://localhost:8082", Map.of()))
        .isInstanceOf(StackException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("fix or delete it");
  }

  @Test
  void bootstrapsTheServicesWithTheSameKeysOnPlanScale() {
    Credentials c =
        Credentials.loadOrCreate(
            dir.resolve("credentials.json"),
            "http://localhost:8081",
            "http://localhost:8082",
            Map.of());

    assertThat(c.bootstrapEnvironment())
        .containsEntry("GROWTHOS_BOOTSTRAP_WORKSPACE_ID", c.workspaceId())
        .containsEntry("GROWTHOS_BOOTSTRAP_PLAN", "scale")
        .containsEntry("GROWTHOS_BOOTSTRAP_WRITE_KEY", c.writeKey())
        .containsEntry("GROWTHOS_BOOTSTRAP_SECRET_KEY", c.secretKey())
        .containsEntry("GROWTHOS_BOOTSTRAP_ADMIN_KEY", c.adminKey());
  }
}
