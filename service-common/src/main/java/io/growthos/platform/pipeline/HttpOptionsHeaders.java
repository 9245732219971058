package io.growthos.platform.pipeline;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.method.HandlerMethod;

/**
 * Corrects the headers of Spring's answer to a plain {@code OPTIONS} ({@link
 * AccessDeclarations#HTTP_OPTIONS_HANDLER}). Spring always sets {@code Accept-Patch} there, to the
 * media types the route's PATCH mappings declare in {@code consumes}; ours declare none (a body is
 * JSON by the message converters, {@code JsonOnlyConverters}), so every route answered an empty
 * {@code Accept-Patch:}, with or without PATCH in {@code Allow}. Now: {@code Accept-Patch:
 * application/json} when {@code Allow} has PATCH, and no {@code Accept-Patch} otherwise.
 *
 * <p>Why {@code application/json} only: it is the one patch document format of these APIs (an
 * object of the resource's own fields, as the OpenAPI document says). The JSON converter also reads
 * {@code application/*+json} bodies as that same JSON, but naming {@code
 * application/merge-patch+json} or {@code application/json-patch+json} here would promise RFC 7396
 * or RFC 6902 semantics they do not get.
 *
 * <p>The handler is created per request and answers the {@link HttpHeaders} it holds, so they are
 * corrected in place before it runs (its response is flushed by the time an interceptor's {@code
 * postHandle} could act).
 */
final class HttpOptionsHeaders {

  private static final Logger log = LoggerFactory.getLogger(HttpOptionsHeaders.class);

  /** What a PATCH of these APIs reads. */
  static final List<MediaType> ACCEPT_PATCH = List.of(MediaType.APPLICATION_JSON);

  private HttpOptionsHeaders() {}

  /** Corrects {@code handler}'s answer when it is Spring's OPTIONS handler; else nothing. */
  static void correct(HandlerMethod handler) {
    if (!handler.getBeanType().getName().equals(AccessDeclarations.HTTP_OPTIONS_HANDLER)) {
      return;
    }
    Object answer;
    try {
      ReflectionUtils.makeAccessible(handler.getMethod());
      answer = ReflectionUtils.invokeMethod(handler.getMethod(), handler.getBean());
    } catch (RuntimeException e) {
      // A Spring upgrade changed the handler: keep its answer (HttpEdgeCaseTests notice).
      log.warn("Could not read the OPTIONS answer of {}: {}", handler, e.toString());
      return;
    }
    if (answer instanceof HttpHeaders headers) {
      if (headers.getAllow().contains(HttpMethod.PATCH)) {
        headers.setAcceptPatch(ACCEPT_PATCH);
      } else {
        headers.remove(HttpHeaders.ACCEPT_PATCH);
      }
    }
  }
}
