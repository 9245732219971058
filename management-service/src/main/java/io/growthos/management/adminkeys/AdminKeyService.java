package io.growthos.management.adminkeys;

import io.growthos.management.auth.Caller;
import io.growthos.management.paging.KeysetQuery;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.Paginator;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.keys.AdminKey;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.KeyAuthenticator;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Admin keys, for operators to rotate them: create a new one, switch to it, revoke the old one.
 *
 * <p>Two revocations are refused (422), so that an operator cannot lock everybody out: the last
 * active admin key ({@code last_admin_key}), and the key making the request ({@code
 * revoking_own_key}) — revoke the old key with the new one, which proves the new one works.
 */
@Service
public class AdminKeyService {

  static final String LIST = "admin_keys";
  private static final String OPERATOR_TENANT = "";

  private final EntityManager em;
  private final Paginator paginator;
  private final KeyAuthenticator authenticator;

  AdminKeyService(EntityManager em, Paginator paginator, KeyAuthenticator authenticator) {
    this.em = em;
    this.paginator = paginator;
    this.authenticator = authenticator;
  }

  @Transactional
  public AdminKeyResponse create(CreateAdminKeyRequest request) {
    String plaintext = ApiKeys.generate(KeyType.ADMIN);
    AdminKey key = new AdminKey(request == null ? null : request.name(), plaintext);
    em.persist(key);
    em.flush();
    return view(key, plaintext);
  }

  @Transactional(readOnly = true)
  public Page<AdminKeyResponse> list(int limit, String cursor) {
    return paginator.page(
        LIST,
        OPERATOR_TENANT,
        KeysetQuery.of(em, AdminKey.class, null),
        limit,
        cursor,
        AdminKey::getId,
        rows -> rows.stream().map(k -> view(k, null)).toList());
  }

  @Transactional
  public AdminKeyResponse revoke(Caller caller, String id) {
    // Every active key is locked, so two operators revoking the last two keys at once serialize.
    List<AdminKey> active =
        em.createQuery("select k from AdminKey k where k.status = 'active'", AdminKey.class)
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getResultList();
    AdminKey key = em.find(AdminKey.class, id);
    if (key == null) {
      throw ApiException.notFound("admin key", id, "id");
    }
    if (!key.isActive()) {
      return view(key, null);
    }
    if (key.getId().equals(caller.keyId())) {
      throw unprocessable(
          "revoking_own_key",
          "An admin key cannot revoke itself: create a new key, then revoke this one with it.");
    }
    if (active.size() <= 1) {
      throw unprocessable(
          "last_admin_key", "This is the last active admin key: create another one first.");
    }
    key.revoke();
    em.flush();
    authenticator.changeCommitsWithThisTransaction();
    return view(key, null);
  }

  private static ApiException unprocessable(String reason, String message) {
    return new ApiException(
        ErrorCode.UNPROCESSABLE, message, List.of(ErrorDetail.of("id", reason, message)));
  }

  private static AdminKeyResponse view(AdminKey k, String plaintext) {
    return new AdminKeyResponse(
        k.getId(),
        "admin_key",
        k.getName(),
        k.getPrefix(),
        k.getLastFour(),
        k.isActive() ? "active" : "revoked",
        k.getCreatedAt(),
        plaintext);
  }
}
