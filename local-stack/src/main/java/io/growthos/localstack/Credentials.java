package io.growthos.localstack;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local stack's workspace and keys, as kept in {@code credentials.json} (owner-only, mode 600)
 * and handed to both services as their {@code GROWTHOS_BOOTSTRAP_*} settings. Generated on first
 * start, or taken from those same variables if they are set then; reused on every later start.
 */
record Credentials(
    @JsonProperty("workspace_id") String workspaceId,
    @JsonProperty("write_key") String writeKey,
    @JsonProperty("secret_key") String secretKey,
    @JsonProperty("admin_key") String adminKey,
    @JsonProperty("ingest_url") String ingestUrl,
    @JsonProperty("management_url") String managementUrl) {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /**
   * The credentials of the stack in {@code file}: those saved there, or new ones (saved) on first
   * start. The URLs always reflect the current ports.
   */
  static Credentials loadOrCreate(
      Path file, String ingestUrl, String managementUrl, Map<String, String> env) {
    Credentials credentials =
        Files.exists(file)
            ? read(file)
            : new Credentials(
                env.getOrDefault("GROWTHOS_BOOTSTRAP_WORKSPACE_ID", Ids.next(IdPrefix.WORKSPACE)),
                keyFrom(env, "GROWTHOS_BOOTSTRAP_WRITE_KEY", KeyType.WRITE),
                keyFrom(env, "GROWTHOS_BOOTSTRAP_SECRET_KEY", KeyType.SECRET),
                keyFrom(env, "GROWTHOS_BOOTSTRAP_ADMIN_KEY", KeyType.ADMIN),
                ingestUrl,
                managementUrl);
    Credentials current = credentials.withUrls(ingestUrl, managementUrl);
    if (!current.equals(credentials) || !Files.exists(file)) {
      current.save(file);
    }
    return current;
  }

  /** The bootstrap settings both services start with, so they create these keys if absent. */
  Map<String, String> bootstrapEnvironment() {
    return Map.of(
        "GROWTHOS_BOOTSTRAP_WORKSPACE_ID", workspaceId,
        "GROWTHOS_BOOTSTRAP_WORKSPACE_NAME", "Local workspace",
        "GROWTHOS_BOOTSTRAP_PLAN", "scale",
        "GROWTHOS_BOOTSTRAP_WRITE_KEY", writeKey,
        "GROWTHOS_BOOTSTRAP_SECRET_KEY", secretKey,
        "GROWTHOS_BOOTSTRAP_ADMIN_KEY", adminKey);
  }

  static Credentials read(Path file) {
    Credentials read;
    try {
      read = JSON.readValue(file.toFile(), Credentials.class);
    } catch (JacksonException e) {
      throw new StackException(
          file + " is not valid (" + e.getOriginalMessage() + "); fix or delete it", e);
    }
    if (read.workspaceId() == null
        || !ApiKeys.isWellFormed(KeyType.WRITE, read.writeKey())
        || !ApiKeys.isWellFormed(KeyType.SECRET, read.secretKey())
        || !ApiKeys.isWellFormed(KeyType.ADMIN, read.adminKey())) {
      throw new StackException(
          file
              + " lacks a workspace_id or a well-formed write, secret or admin key; fix or delete"
              + " it");
    }
    return read;
  }

  private Credentials withUrls(String ingest, String management) {
    return new Credentials(workspaceId, writeKey, secretKey, adminKey, ingest, management);
  }

  /** Writes the file owner-only from its first byte, and atomically, so no reader sees half. */
  private void save(Path file) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, JSON.writeValueAsString(this) + "\n");
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String keyFrom(Map<String, String> env, String variable, KeyType type) {
    String given = env.get(variable);
    if (given == null || given.isBlank()) {
      return ApiKeys.generate(type);
    }
    if (!ApiKeys.isWellFormed(type, given)) {
      throw new StackException(
          variable + " must be '" + type.prefix() + "' followed by 32 letters or digits");
    }
    return given;
  }
}
