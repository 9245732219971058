package io.growthos.ingest.auth;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.keys.KeyType;
import io.growthos.platform.auth.AuthenticatedKey;
import io.growthos.platform.auth.KeyAuthenticator;
import java.util.List;
import java.util.Optional;

/**
 * Turns a presented key into the calling workspace, or a 401 that tells the caller what to fix: no
 * key, a key for the other API (secret and admin keys belong on the Management API), or a key that
 * is malformed, unknown or revoked.
 */
public class WriteKeys {

  private final KeyAuthenticator authenticator;

  public WriteKeys(KeyAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * @param presented the key, from {@link WriteKeyExtractor}
   * @param field where it was found, named in the error's details
   */
  public AuthenticatedKey require(Optional<String> presented, String field) {
    if (presented.isEmpty()) {
      throw unauthorized(
          "Authorization",
          "missing",
          "No write key. Send it as the HTTP Basic username, as 'Authorization: Bearer', or as"
              + " 'writeKey' in the body.");
    }
    String key = presented.get();
    Optional<KeyType> type = KeyType.ofKey(key);
    if (type.isPresent() && type.get() != KeyType.WRITE) {
      String which = type.get() == KeyType.SECRET ? "Secret keys" : "Admin keys";
      throw unauthorized(
          field,
          "wrong_key_type",
          which
              + " ("
              + type.get().prefix()
              + "...) belong on the Management API; the Ingest API takes write keys ("
              + KeyType.WRITE.prefix()
              + "...).");
    }
    // An uncached key that cannot be checked (database down) is a 503 from the authenticator.
    return authenticator
        .authenticate(key)
        .filter(k -> k.type() == KeyType.WRITE)
        .orElseThrow(
            () ->
                unauthorized(
                    field, "invalid_key", "The write key is not valid: unknown or revoked."));
  }

  private static ApiException unauthorized(String field, String reason, String message) {
    return new ApiException(
        ErrorCode.UNAUTHORIZED, message, List.of(ErrorDetail.of(field, reason, message)));
  }
}
