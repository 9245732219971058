package io.growthos.platform.web;

import org.springframework.core.Ordered;

/**
 * The order of the servlet filters every service runs, in one place:
 *
 * <ol>
 *   <li>{@link #REQUEST_ID}: every answer carries {@code X-Request-Id}, a preflight's too;
 *   <li>{@link #CORS}: a service's CORS filters (the Ingest API's), before anything that can refuse
 *       a request, so that every refusal a browser can get carries {@code
 *       Access-Control-Allow-Origin} wherever the success would (a refusal without it reaches the
 *       page as an opaque network error, and an SDK cannot tell "too large, drop it" from "offline,
 *       retry"). CORS filters only add headers and answer preflights, which grant nothing by
 *       themselves; the actual request still passes every check below. Services use {@code CORS},
 *       {@code CORS + 1}, … up to {@link #CANONICAL_PATH} (exclusive);
 *   <li>{@link #CANONICAL_PATH}: 400 for a path or query not in canonical form;
 *   <li>{@link #BODY_SIZE}: 413 for a body over {@code growthos.http.max-body-size};
 *   <li>{@link #SERVICE}: a service's own filters that need the checks above (the Ingest API's
 *       admission control).
 * </ol>
 */
public final class FilterOrder {

  public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE;
  public static final int CORS = Ordered.HIGHEST_PRECEDENCE + 10;
  public static final int CANONICAL_PATH = Ordered.HIGHEST_PRECEDENCE + 20;
  public static final int BODY_SIZE = Ordered.HIGHEST_PRECEDENCE + 30;
  public static final int SERVICE = Ordered.HIGHEST_PRECEDENCE + 40;

  private FilterOrder() {}
}
