package io.growthos.management.idempotency;

import io.growthos.core.contacts.ContactDeletion;
import io.growthos.management.web.ManagementProperties;
import io.growthos.model.values.SqlInstants;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code idempotency_records} table (V4, V6), in plain SQL: a claim must be one atomic {@code
 * INSERT ... ON CONFLICT DO NOTHING} committed on its own before the handler runs, so that of two
 * concurrent requests with one key exactly one executes, whichever service copy they reach.
 *
 * <p>Every claim carries a random owner token. {@link #complete} and {@link #release} act only with
 * the token of the current claim, and taking over a stale claim issues a new one, so a request
 * whose claim was taken over can neither complete nor release it. {@link #complete} is meant to run
 * in the transaction of the change (see {@link IdempotencyInterceptor}): the stored response then
 * commits with the change, or neither does.
 */
@Component
class IdempotencyStore {

  /** The outcome of trying to claim a key. */
  sealed interface Claim {}

  /**
   * This request owns the key and must run the handler, then {@link #complete} or {@link #release}
   * with {@code token}.
   */
  record Claimed(UUID token) implements Claim {}

  /** Another request owns the key. */
  record Existing(byte[] requestHash, boolean completed, int status, String body, String headers)
      implements Claim {
    boolean sameRequest(byte[] hash) {
      return Arrays.equals(requestHash, hash);
    }
  }

  /**
   * Who owns a key: its namespace is the calling key's lineage ({@code apiKeyId}: the first key of
   * its chain of rolls, so a rolled key and its successors are one owner; column {@code
   * api_key_id}).
   */
  record Scope(String workspaceId, String apiKeyId, String key) {}

  private final JdbcTemplate jdbc;
  private final ManagementProperties props;

  IdempotencyStore(JdbcTemplate jdbc, ManagementProperties props) {
    this.jdbc = jdbc;
    this.props = props;
  }

  Claim claim(Scope scope, byte[] hash, String method, String path) {
    OffsetDateTime expires = SqlInstants.param(Instant.now().plus(props.idempotencyTtl()));
    UUID token = UUID.randomUUID();
    int inserted =
        jdbc.update(
            """
            insert into idempotency_records
              (workspace_id, api_key_id, idempotency_key, request_hash, method, path, state,
               expires_at, owner_token)
            values (?, ?, ?, ?, ?, ?, 'in_flight', ?, ?)
            on conflict do nothing
            """,
            scope.workspaceId(),
            scope.apiKeyId(),
            scope.key(),
            hash,
            method,
            path,
            expires,
            token);
    if (inserted == 1) {
      return new Claimed(token);
    }
    // An expired record, or a claim whose request died without finishing, may be taken over. The
    // new token fences the old owner out if it is in fact still running: its complete fails and
    // its transaction rolls back.
    int taken =
        jdbc.update(
            """
            update idempotency_records
               set request_hash = ?, method = ?, path = ?, state = 'in_flight',
                   response_status = null, response_body = null, response_headers = null,
                   contact_ids = null,
                   created_at = now(), completed_at = null, expires_at = ?, owner_token = ?
             where workspace_id = ? and api_key_id = ? and idempotency_key = ?
               and (expires_at < now()
                    or (state = 'in_flight' and created_at < now() - make_interval(secs => ?)))
            """,
            hash,
            method,
            path,
            expires,
            token,
            scope.workspaceId(),
            scope.apiKeyId(),
            scope.key(),
            (double) props.idempotencyStaleAfter().toMillis() / 1000.0);
    if (taken == 1) {
      return new Claimed(token);
    }
    List<Existing> rows =
        jdbc.query(
            """
            select request_hash, state, response_status, response_body, response_headers::text
              from idempotency_records
             where workspace_id = ? and api_key_id = ? and idempotency_key = ?
            """,
            (rs, n) ->
                new Existing(
                    rs.getBytes(1),
                    "completed".equals(rs.getString(2)),
                    rs.getInt(3),
                    rs.getString(4),
                    rs.getString(5)),
            scope.workspaceId(),
            scope.apiKeyId(),
            scope.key());
    // Purged between the two statements: claim again.
    return rows.isEmpty() ? claim(scope, hash, method, path) : rows.get(0);
  }

  /**
   * Stores the response of the claim {@code token} owns; in the caller's transaction when there is
   * one.
   *
   * @return false when the claim is no longer this owner's (taken over after going stale): the
   *     caller must then not commit its change
   */
  boolean complete(Scope scope, UUID token, int status, String body, String headersJson) {
    return jdbc.update(
            """
            update idempotency_records
               set state = 'completed', response_status = ?, response_body = ?,
                   response_headers = ?::jsonb, completed_at = now(), contact_ids = ?::text[]
             where workspace_id = ? and api_key_id = ? and idempotency_key = ?
               and state = 'in_flight' and owner_token = ?
            """,
            status,
            body,
            headersJson,
            // The contacts it names, so that deleting one finds this record by index (V48).
            ContactDeletion.contactsNamedIn(body),
            scope.workspaceId(),
            scope.apiKeyId(),
            scope.key(),
            token)
        == 1;
  }

  /**
   * Gives the key back after a failure that changed nothing, so a retry executes again; a no-op
   * when the claim was completed or is another owner's.
   */
  void release(Scope scope, UUID token) {
    jdbc.update(
        "delete from idempotency_records where workspace_id = ? and api_key_id = ?"
            + " and idempotency_key = ? and state = 'in_flight' and owner_token = ?",
        scope.workspaceId(),
        scope.apiKeyId(),
        scope.key(),
        token);
  }

  int purgeExpired() {
    return jdbc.update("delete from idempotency_records where expires_at < now()");
  }
}
