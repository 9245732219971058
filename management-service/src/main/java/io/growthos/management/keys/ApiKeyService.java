package io.growthos.management.keys;

import io.growthos.core.outbox.EventType;
import io.growthos.core.outbox.Outbox;
import io.growthos.management.auth.Caller;
import io.growthos.management.auth.Scopes;
import io.growthos.management.paging.KeysetQuery;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.Paginator;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.keys.ApiKey;
import io.growthos.model.keys.ApiKeyRepository;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.model.values.TimestampRange;
import io.growthos.platform.auth.ApiKeyCredentials;
import io.growthos.platform.auth.KeyAuthenticator;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Write and secret keys of the caller's workspace. A full key exists only in the response that
 * created it; the database keeps its hash. Revocations and rolls clear the authentication cache of
 * every copy of both services when they commit, so they apply everywhere at once.
 */
@Service
public class ApiKeyService {

  static final String LIST = "api_keys";
  static final int MAX_GRACE_SECONDS = 7 * 24 * 3600;

  private final ApiKeyRepository keys;
  private final EntityManager em;
  private final Paginator paginator;
  private final KeyAuthenticator authenticator;
  private final Outbox outbox;
  private final JsonMapper json;

  ApiKeyService(
      ApiKeyRepository keys,
      EntityManager em,
      Paginator paginator,
      KeyAuthenticator authenticator,
      Outbox outbox,
      JsonMapper json) {
    this.keys = keys;
    this.em = em;
    this.paginator = paginator;
    this.authenticator = authenticator;
    this.outbox = outbox;
    this.json = json;
  }

  /**
   * Creates a key; the caller may grant only scopes it holds itself ({@code *} only with {@code
   * *}), so a key can never mint a stronger one.
   */
  @Transactional
  public ApiKeyResponse create(Caller caller, CreateApiKeyRequest request) {
    return create(caller.workspaceId(), request, caller);
  }

  /**
   * Creates a key in {@code workspaceId} for an operator (admin key), who belongs to no workspace
   * and may grant any scope: how a workspace whose keys are all lost gets one back. The caller
   * checked that the workspace exists.
   */
  @Transactional
  public ApiKeyResponse createForOperator(String workspaceId, CreateApiKeyRequest request) {
    return create(workspaceId, request, null);
  }

  /** {@code granting} null: an operator, who may grant any scope. */
  private ApiKeyResponse create(String workspaceId, CreateApiKeyRequest request, Caller granting) {
    KeyType type =
        KeyType.ofWireName(request.type())
            .filter(t -> t != KeyType.ADMIN)
            .orElseThrow(
                () ->
                    ApiException.invalid(
                        "type", "invalid_value", "Field 'type' must be one of: write, secret."));
    List<String> scopes = checkScopes(type, request.scopes());
    if (granting != null) {
      requireCovers(granting, scopes, "scopes", "grant");
    }
    String plaintext = ApiKeys.generate(type);
    ApiKey key = new ApiKey(workspaceId, type, request.name(), scopes, plaintext);
    em.persist(key);
    em.flush();
    return view(key, plaintext);
  }

  @Transactional(readOnly = true)
  public Page<ApiKeyResponse> list(String workspaceId, int limit, String cursor) {
    return paginator.page(
        LIST,
        workspaceId,
        KeysetQuery.of(em, ApiKey.class, workspaceId),
        limit,
        cursor,
        ApiKey::getId,
        rows -> rows.stream().map(k -> view(k, null)).toList());
  }

  @Transactional(readOnly = true)
  public ApiKeyResponse get(String workspaceId, String id) {
    return view(find(workspaceId, id), null);
  }

  /**
   * Revokes the key at once. Revoking a revoked key changes nothing. The caller may revoke only a
   * key whose scopes it holds itself, and never its own key (422 {@code revoking_own_key}). The row
   * is locked, so a concurrent roll or revoke of the same key waits and then sees this one's
   * outcome; so is the caller's own key, which must still be active once locked (see {@link
   * #lockWithCaller}).
   */
  @Transactional
  public ApiKeyResponse revoke(Caller caller, String id) {
    ApiKey key = lockWithCaller(caller, id);
    requireCovers(caller, key.getScopes(), "id", "revoke");
    if (key.getId().equals(caller.keyId())) {
      // A workspace's only key revoking itself left the workspace with no key at all, until an
      // operator gives it one. The rule of admin keys: revoke it with another key, or roll it.
      String message =
          "A key cannot revoke itself: create another key and revoke this one with it, or roll it.";
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          message,
          List.of(ErrorDetail.of("id", "revoking_own_key", message)));
    }
    if (key.getStatus() == ApiKey.Status.ACTIVE) {
      key.revoke();
      em.flush();
      authenticator.changeCommitsWithThisTransaction();
      emit(caller.workspaceId(), EventType.API_KEY_REVOKED, view(key, null));
    }
    return view(key, null);
  }

  /**
   * Replaces the key with a new one of the same type, name and scopes; the old one keeps working
   * for {@code graceSeconds} (0: it stops now).
   */
  @Transactional
  public ApiKeyResponse roll(Caller caller, String id, int graceSeconds) {
    String workspaceId = caller.workspaceId();
    ApiKey old = lockWithCaller(caller, id);
    requireCovers(caller, old.getScopes(), "id", "roll");
    Instant now = TimestampRange.now();
    if (!old.isUsableAt(now)) {
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          "Only an active key can be rolled; this one is revoked or expired.",
          List.of(ErrorDetail.of("id", "not_active", "Create a new key instead.")));
    }
    if (old.getRolledToId() != null) {
      // Rolling it again would extend its grace period without end.
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          "This key was already rolled to "
              + old.getRolledToId()
              + "; roll that key instead, or revoke this one.",
          List.of(
              ErrorDetail.of(
                  "id", "already_rolled", "Roll its successor " + old.getRolledToId() + ".")));
    }
    String plaintext = ApiKeys.generate(old.getType());
    ApiKey successor =
        new ApiKey(workspaceId, old.getType(), old.getName(), old.getScopes(), plaintext);
    em.persist(successor);
    old.rollTo(successor.getId(), now.plusSeconds(graceSeconds));
    em.flush();
    authenticator.changeCommitsWithThisTransaction();
    emit(workspaceId, EventType.API_KEY_ROLLED, view(old, null));
    return view(successor, plaintext);
  }

  /**
   * Locks the key {@code id} and the caller's own key, both rows in id order (so that two keys
   * revoking each other cannot deadlock), and returns the key {@code id}. The caller's key must
   * still be usable once locked: two keys revoking each other at once were each authenticated
   * before the other's revoke committed, and both went through, leaving a workspace that held only
   * these two with no key. Now the later one finds its own key revoked: 401, as the pipeline
   * answers a revoked key.
   */
  private ApiKey lockWithCaller(Caller caller, String id) {
    List<ApiKey> locked =
        em.createQuery(
                "select k from ApiKey k where k.workspaceId = :ws and k.id in :ids order by k.id",
                ApiKey.class)
            .setParameter("ws", caller.workspaceId())
            .setParameter("ids", List.of(id, caller.keyId()))
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultList();
    Instant now = TimestampRange.now();
    if (locked.stream().noneMatch(k -> k.getId().equals(caller.keyId()) && k.isUsableAt(now))) {
      String message = "The API key was revoked or expired while this request ran.";
      throw new ApiException(
          ErrorCode.UNAUTHORIZED,
          message,
          List.of(ErrorDetail.of(ApiKeyCredentials.HEADER, "invalid_key", message)));
    }
    return locked.stream()
        .filter(k -> k.getId().equals(id))
        .findFirst()
        .orElseThrow(() -> ApiException.notFound("api key", id, "id"));
  }

  private static void requireCovers(
      Caller caller, List<String> scopes, String field, String action) {
    if (!Scopes.covers(caller.scopes(), scopes)) {
      String message =
          "This key may not "
              + action
              + " a key with scopes "
              + scopes
              + ": a key grants, rolls and revokes only keys whose scopes it holds itself ('*'"
              + " only with '*').";
      throw new ApiException(
          ErrorCode.FORBIDDEN,
          message,
          List.of(ErrorDetail.of(field, "exceeds_caller_scopes", message)));
    }
  }

  /**
   * Records the webhook event of this change in the same transaction (SPEC §9). The payload is the
   * key as {@code GET /v1/api-keys/{id}} shows it: never the full key.
   */
  private void emit(String workspaceId, EventType type, ApiKeyResponse key) {
    outbox.emit(workspaceId, type, json.writeValueAsString(key));
  }

  private ApiKey find(String workspaceId, String id) {
    return keys.findByWorkspaceIdAndId(workspaceId, id)
        .orElseThrow(() -> ApiException.notFound("api key", id, "id"));
  }

  /** The distinct scopes asked for; a bad one is a 400 naming its index in the request. */
  private static List<String> checkScopes(KeyType type, List<String> requested) {
    List<String> scopes = requested == null ? List.of() : requested;
    if (type == KeyType.WRITE) {
      if (!scopes.isEmpty()) {
        throw ApiException.invalid(
            "scopes", "not_allowed", "Write keys carry no scopes: they reach only the Ingest API.");
      }
      return scopes;
    }
    if (scopes.isEmpty()) {
      throw ApiException.invalid(
          "scopes", "required", "Secret keys need at least one scope, such as 'contacts:read'.");
    }
    List<ErrorDetail> bad = new ArrayList<>();
    for (int i = 0; i < scopes.size(); i++) {
      if (!Scopes.isValid(scopes.get(i))) {
        bad.add(
            ErrorDetail.of(
                "scopes[" + i + "]",
                "invalid_value",
                "Unknown scope '"
                    + scopes.get(i)
                    + "'; allowed: "
                    + String.join(", ", Scopes.all())
                    + "."));
      }
    }
    if (!bad.isEmpty()) {
      throw ApiException.invalid(bad);
    }
    return List.copyOf(new LinkedHashSet<>(scopes));
  }

  private static ApiKeyResponse view(ApiKey k, String plaintext) {
    return new ApiKeyResponse(
        k.getId(),
        "api_key",
        k.getType().wireName(),
        k.getName(),
        k.getPrefix(),
        k.getLastFour(),
        k.getScopes(),
        k.getStatus() != ApiKey.Status.ACTIVE
            ? "revoked"
            : k.isUsableAt(Instant.now()) ? "active" : "expired",
        k.getExpiresAt(),
        k.getRolledToId(),
        k.getCreatedAt(),
        k.getUpdatedAt(),
        k.getVersion(),
        plaintext);
  }
}
