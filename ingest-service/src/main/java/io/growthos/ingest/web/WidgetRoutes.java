package io.growthos.ingest.web;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * What makes a route a widget route: its path starts with {@link #PREFIX}. Every rule for widget
 * routes (header-only write key, CORS restricted to the workspace's origins) is keyed on this one
 * definition, so a widget route added later (surveys, social proof) gets them by its path alone.
 */
public final class WidgetRoutes {

  /** Every widget route lives under this path. */
  public static final String PREFIX = "/v1/widgets/";

  /** The header a participant reads its own state with (SPEC §8). */
  public static final String PARTICIPANT_TOKEN_HEADER = "GrowthOS-Participant-Token";

  /** Methods a browser may use on widget routes. */
  public static final List<String> METHODS = List.of("GET", "POST", "OPTIONS");

  /**
   * Request headers a browser may send to widget routes. Not {@code Idempotency-Key}: no widget
   * route reads it (a join's retry key is its {@code client_id}); until 2026-12-07 the preflight
   * advertised it, and a join sent with one ignored it (a black-box review).
   */
  public static final List<String> HEADERS =
      List.of("Authorization", "Content-Type", PARTICIPANT_TOKEN_HEADER);

  private WidgetRoutes() {}

  /**
   * Whether the request is for a widget route, by the raw path's prefix. Asked by the CORS filters,
   * before paths are checked for canonical form: a non-canonical spelling is refused with 400
   * either way, under the widget routes' CORS when it starts with the prefix.
   */
  public static boolean isWidgetPath(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    String path = context == null || context.isEmpty() ? uri : uri.substring(context.length());
    return path.startsWith(PREFIX);
  }

  /**
   * Whether {@code handler} is mapped under {@link #PREFIX}, from its mapping annotations. Asked on
   * every request, so the answer is kept per handler method (a fixed, small set).
   */
  public static boolean isWidgetHandler(HandlerMethod handler) {
    return WIDGET_HANDLERS.computeIfAbsent(
        handler.getMethod(), m -> paths(handler).stream().anyMatch(p -> p.startsWith(PREFIX)));
  }

  private static final Map<Method, Boolean> WIDGET_HANDLERS = new ConcurrentHashMap<>();

  static List<String> paths(HandlerMethod handler) {
    List<String> prefixes = mapped(handler.getBeanType());
    if (prefixes.isEmpty()) {
      prefixes = List.of("");
    }
    List<String> own = mapped(handler.getMethod());
    if (own.isEmpty()) {
      own = List.of("");
    }
    List<String> out = new ArrayList<>();
    for (String prefix : prefixes) {
      for (String path : own) {
        out.add(prefix + path);
      }
    }
    return out;
  }

  private static List<String> mapped(AnnotatedElement element) {
    RequestMapping mapping =
        AnnotatedElementUtils.findMergedAnnotation(element, RequestMapping.class);
    if (mapping == null) {
      return List.of();
    }
    return mapping.path().length > 0 ? List.of(mapping.path()) : List.of(mapping.value());
  }
}
