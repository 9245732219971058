package io.growthos.management.idempotency;

import io.growthos.management.auth.Caller;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.platform.web.ErrorResponses;
import io.growthos.platform.web.Errors;
import io.growthos.platform.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code Idempotency-Key} on every POST, PATCH and DELETE (SPEC §4), wrapped around the handler
 * method itself: it runs after authentication, rate limiting, JSON parsing and validation, so a
 * request rejected by any of those never claims the key (Stripe's rule), and before the handler's
 * transaction, so the claim is committed first.
 *
 * <ul>
 *   <li>first request: claims the key, runs, stores status, body and headers for 24 h;
 *   <li>same key, same request (method, path, query, {@code If-Match}, canonical body) after it
 *       completed: the stored response with {@code Idempotent-Replayed: true};
 *   <li>same key while the first still runs: 409 {@code idempotency_key_in_use} with {@code
 *       Retry-After: 1};
 *   <li>same key, different request: 422 {@code idempotency_key_reused}.
 * </ul>
 *
 * Client errors the handler raises are stored and replayed like successes, except a 400 (the
 * request is invalid: it never claims the key, wherever the check ran); an unexpected failure (a
 * bug or an outage: the transaction rolled back) releases the key so the retry runs again.
 *
 * <p>Exactly once: the handler runs inside a transaction opened here, which the services' own
 * {@code @Transactional} methods join, and the response (status, headers and the body, serialized
 * here rather than by the message converters) is stored in that same transaction before it commits.
 * The change and its stored response commit together or not at all, so there is no window in which
 * a crash leaves a committed change whose retry would run it again. The claim carries an owner
 * token: if it was taken over while the handler ran (it went stale), storing the response fails,
 * the change rolls back and the client gets 409 {@code idempotency_key_in_use}.
 */
class IdempotencyInterceptor implements MethodInterceptor {

  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED = "Idempotent-Replayed";
  static final String ORIGINAL_REQUEST = "Original-Request";
  static final int MAX_KEY_LENGTH = 255;

  /**
   * Response fields that carry a full API key, or a participant's token (stored only as SHA-256:
   * docs/campaigns.md); a replay has them null, so their response schemas type them nullable
   * (OpenApiNullabilityTest, ResponsesMatchTheirSchemasTest).
   */
  static final List<String> SHOWN_ONCE =
      List.of("key", "write_key", "secret_key", "participant_token", "verification_token");

  private final IdempotencyStore store;
  private final JsonMapper json;

  /**
   * Writes a request body in one canonical form, object keys sorted at every depth: the same body
   * sent with its keys in another order or other whitespace is the same request (a client that
   * rebuilds its JSON on retry, such as one that serializes a dictionary, may order nested keys
   * differently; it was 422 idempotency_key_reused).
   */
  private final JsonMapper canonical;

  private final ErrorResponses errors;
  private final TransactionTemplate tx;

  IdempotencyInterceptor(
      IdempotencyStore store,
      JsonMapper json,
      ErrorResponses errors,
      PlatformTransactionManager transactions) {
    this.store = store;
    this.json = json;
    this.canonical =
        json.rebuild()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();
    this.errors = errors;
    this.tx = new TransactionTemplate(transactions);
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    HttpServletRequest request = currentRequest();
    String header =
        request == null
            ? null
            : Errors.singleHeader(HEADER, java.util.Collections.list(request.getHeaders(HEADER)));
    Caller caller = request == null ? null : Caller.of(request);
    if (header == null || caller == null) {
      return invocation.proceed();
    }
    IdempotencyStore.Scope scope =
        new IdempotencyStore.Scope(caller.tenant(), caller.lineageId(), checkKey(header));
    byte[] hash = requestHash(request, invocation);
    IdempotencyStore.Claim claim =
        store.claim(scope, hash, request.getMethod(), request.getRequestURI());
    if (claim instanceof IdempotencyStore.Existing existing) {
      return replay(existing, hash, request);
    }
    UUID token = ((IdempotencyStore.Claimed) claim).token();
    try {
      return tx.execute(status -> runAndRecord(invocation, scope, token));
    } catch (HandlerFailed failed) {
      Throwable cause = failed.getCause();
      // A 400 says the request itself is invalid, wherever that was found (most checks run before
      // the handler; a few need its data: a trait number past jsonb's bounds, traits over 64 KB):
      // like the checks before it, it never claims the key, so the corrected request may use it.
      // It claimed it when raised by the handler, and the fixed retry was 422 reused.
      if (cause instanceof ApiException e && e.status() < 500 && e.status() != 400) {
        // The change (if any) rolled back with the exception; the answer is stored on its own.
        store.complete(
            scope,
            token,
            e.status(),
            json.writeValueAsString(errors.envelope(e, request)),
            json.writeValueAsString(e.headers()));
      } else {
        store.release(scope, token);
      }
      throw cause;
    } catch (Throwable t) {
      // Lost claim, a failed commit, or anything after the handler: the key is given back unless
      // the response was committed (then a retry gets it replayed).
      store.release(scope, token);
      throw t;
    }
  }

  /**
   * Inside the transaction: runs the handler, then stores its response with the owner's token
   * before the commit. Throwing rolls everything back.
   */
  private Object runAndRecord(
      MethodInvocation invocation, IdempotencyStore.Scope scope, UUID token) {
    Object result;
    try {
      result = invocation.proceed();
    } catch (Throwable t) {
      throw new HandlerFailed(t);
    }
    if (!(result instanceof ResponseEntity<?> entity)) {
      throw new IllegalStateException(
          "Idempotent handlers return ResponseEntity: " + invocation.getMethod());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    entity
        .getHeaders()
        .forEach(
            (name, values) -> {
              if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !values.isEmpty()) {
                headers.put(name, values.get(0));
              }
            });
    boolean stored =
        store.complete(
            scope,
            token,
            entity.getStatusCode().value(),
            entity.getBody() == null ? null : withoutSecrets(entity.getBody()),
            json.writeValueAsString(headers));
    if (!stored) {
      throw new ApiException(
          ErrorCode.IDEMPOTENCY_KEY_IN_USE,
          "This request took so long that another request with the same Idempotency-Key took"
              + " it over; nothing was changed by this one. Retry to get that request's response.",
          List.of(
              ErrorDetail.of(
                  HEADER, "idempotency_key_in_use", "The claim on this key was taken over.")),
          Map.of(HttpHeaders.RETRY_AFTER, "1"));
    }
    return result;
  }

  /** The handler threw: carries it out of the transaction, which rolls back. */
  private static final class HandlerFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HandlerFailed(Throwable cause) {
      super(cause);
    }
  }

  /**
   * The body to store, with full API keys and participant tokens removed: they exist in plaintext
   * only in the response that created them, never at rest, so a replay of a create or roll returns
   * the key resource with {@code key} (or {@code write_key}/{@code secret_key}) null, and a
   * replayed join the participant with {@code participant_token} and {@code verification_token}
   * null. A client that lost a key rolls it.
   */
  private String withoutSecrets(Object body) {
    JsonNode tree = json.valueToTree(body);
    if (tree instanceof ObjectNode object) {
      for (String field : SHOWN_ONCE) {
        if (object.has(field)) {
          object.putNull(field);
        }
      }
    }
    return json.writeValueAsString(tree);
  }

  private ResponseEntity<String> replay(
      IdempotencyStore.Existing existing, byte[] hash, HttpServletRequest request) {
    if (!existing.sameRequest(hash)) {
      throw new ApiException(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          "This Idempotency-Key was already used with a different request; use a new key for a"
              + " new request.",
          List.of(
              ErrorDetail.of(
                  HEADER,
                  "idempotency_key_reused",
                  "The first request had another body or path.")));
    }
    if (!existing.completed()) {
      throw new ApiException(
          ErrorCode.IDEMPOTENCY_KEY_IN_USE,
          "A request with this Idempotency-Key is still in progress; retry shortly.",
          List.of(ErrorDetail.of(HEADER, "idempotency_key_in_use", "Retry after 1 second.")),
          Map.of(HttpHeaders.RETRY_AFTER, "1"));
    }
    ResponseEntity.BodyBuilder response = ResponseEntity.status(existing.status());
    if (existing.headers() != null) {
      json.readValue(existing.headers(), new TypeReference<Map<String, String>>() {})
          .forEach(response::header);
    }
    response.header(REPLAYED, "true");
    if (existing.body() == null) {
      return response.build();
    }
    String body = existing.body();
    if (existing.status() >= 400) {
      // An error body names the request it answers (SPEC §2: the id of X-Request-Id); the first
      // request's id goes in Original-Request, as Stripe's replays carry it.
      JsonNode tree = json.readTree(body);
      if (tree instanceof ObjectNode envelope && envelope.has("request_id")) {
        // Null when the answer was replaced after the request (a contact deletion: its 404).
        JsonNode original = envelope.path("request_id");
        if (original.isString()) {
          response.header(ORIGINAL_REQUEST, original.asString());
        }
        envelope.put("request_id", RequestIds.of(request));
        body = json.writeValueAsString(envelope);
      }
    }
    return response.contentType(MediaType.APPLICATION_JSON).body(body);
  }

  /** Accepts Stripe's bare form and the IETF draft's quoted form of the key. */
  private static String checkKey(String header) {
    String key = header.strip();
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
      key = key.substring(1, key.length() - 1);
    }
    boolean printable = key.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !printable) {
      throw ApiException.invalid(
          HEADER,
          "invalid_idempotency_key",
          "Header 'Idempotency-Key' must be 1 to "
              + MAX_KEY_LENGTH
              + " printable ASCII characters; a V4 UUID is a good choice.");
    }
    return key;
  }

  /**
   * SHA-256 of what makes two requests the same: method, path, query, If-Match and body (as bound,
   * written in {@link #canonical} form: key order and whitespace do not count).
   */
  private byte[] requestHash(HttpServletRequest request, MethodInvocation invocation) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        request.getMethod()
            + ' '
            + request.getRequestURI()
            + '?'
            + (request.getQueryString() == null ? "" : request.getQueryString())
            + '\n'
            + (request.getHeader(HttpHeaders.IF_MATCH) == null
                ? ""
                : request.getHeader(HttpHeaders.IF_MATCH))
            + '\n';
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    Method method = invocation.getMethod();
    Annotation[][] annotations = method.getParameterAnnotations();
    Object[] args = invocation.getArguments();
    for (int i = 0; i < args.length; i++) {
      for (Annotation a : annotations[i]) {
        if (a instanceof RequestBody) {
          out.writeBytes(canonical.writeValueAsBytes(args[i]));
        }
      }
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpServletRequest currentRequest() {
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs
        ? attrs.getRequest()
        : null;
  }
}
