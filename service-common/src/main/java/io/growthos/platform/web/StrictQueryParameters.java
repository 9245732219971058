package io.growthos.platform.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.springframework.core.MethodParameter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Rejects query parameters the route does not declare (SPEC §4: they are usually typos, and a
 * silently ignored filter returns the wrong data), a parameter given twice ({@code
 * ?limit=5&limit=6}: which one was meant?), and an integer parameter that is not plain decimal
 * digits (Spring would read {@code 0x10} as 16 and a full-width {@code ５} as 5), {@code
 * invalid_type}, or that its type cannot hold ({@code limit=2147483648}), {@code out_of_range} as a
 * value beyond the route's own bounds is. The allowed names are the handler's
 * {@code @RequestParam}s, so the route's signature is the single source of truth.
 *
 * <p>Each service says which of its handlers it applies to: every Management API route; the Ingest
 * API's widget routes, but not its Segment-compatible event routes, which ignore query parameters
 * as Segment's do. The framework's own routes (health, OpenAPI, errors) keep their own rules.
 */
public class StrictQueryParameters implements HandlerInterceptor {

  private final Predicate<HandlerMethod> applies;

  /** Checks the handlers {@code applies} accepts, on a request's first dispatch. */
  public StrictQueryParameters(Predicate<HandlerMethod> applies) {
    this.applies = applies;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (request.getDispatcherType() != DispatcherType.REQUEST
        || !(handler instanceof HandlerMethod method)
        || !applies.test(method)) {
      return true;
    }
    Set<String> allowed =
        DECLARED.computeIfAbsent(method.getMethod(), m -> declaredParameters(method));
    // The query string only: a form-encoded body is not parameters here but a body of the wrong
    // type (415 from the body reader), and asking the container for parameters would parse it.
    MultiValueMap<String, String> query = queryOf(request);
    List<ErrorDetail> unknown = new ArrayList<>();
    for (String name : new TreeSet<>(query.keySet())) {
      if (!allowed.contains(name)) {
        unknown.add(
            ErrorDetail.of(
                name,
                "unknown_parameter",
                "Unknown query parameter '"
                    + name
                    + "'"
                    + (allowed.isEmpty()
                        ? "; this route takes none."
                        : "; allowed: " + String.join(", ", new TreeSet<>(allowed)) + ".")));
      }
    }
    for (MethodParameter p : method.getMethodParameters()) {
      String name = requestParamName(p);
      List<String> values = name == null ? null : query.get(name);
      if (values == null) {
        continue;
      }
      if (values.size() > 1) {
        unknown.add(
            ErrorDetail.of(
                name, "repeated", "Query parameter '" + name + "' may be given only once."));
      } else if (INTEGRAL.contains(p.getParameterType()) && !values.get(0).isEmpty()) {
        String value = values.get(0);
        if (!DECIMAL.matcher(value).matches()) {
          unknown.add(
              ErrorDetail.of(
                  name,
                  "invalid_type",
                  "Parameter '" + name + "' must be an integer in decimal digits."));
        } else if (!fits(value, p.getParameterType())) {
          // An integer the parameter's type cannot hold is out of range, as one beyond the
          // route's own bounds is (limit=2147483648 like limit=101), not of the wrong type.
          unknown.add(
              ErrorDetail.of(
                  name,
                  "out_of_range",
                  "Parameter '" + name + "' is out of range; got " + value + "."));
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw ApiException.invalid(unknown);
    }
    return true;
  }

  /** Each handler's declared names, read once: its signature does not change. */
  private static final java.util.Map<java.lang.reflect.Method, Set<String>> DECLARED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final Set<Class<?>> INTEGRAL =
      Set.of(int.class, Integer.class, long.class, Long.class);
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("-?[0-9]+");

  /** Whether decimal {@code digits} fit the integer {@code type} (int or long, boxed or not). */
  private static boolean fits(String digits, Class<?> type) {
    try {
      if (type == int.class || type == Integer.class) {
        Integer.parseInt(digits);
      } else {
        Long.parseLong(digits);
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The decoded parameters of the request's query string. */
  private static MultiValueMap<String, String> queryOf(HttpServletRequest request) {
    MultiValueMap<String, String> out = new LinkedMultiValueMap<>();
    String query = request.getQueryString();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.add(decode(name), decode(value));
    }
    return out;
  }

  /** Form decoding ({@code +} is a space), as the container decodes parameters. */
  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static String requestParamName(MethodParameter p) {
    RequestParam rp = p.getParameterAnnotation(RequestParam.class);
    if (rp == null) {
      return null;
    }
    String name = !rp.name().isEmpty() ? rp.name() : rp.value();
    return name.isEmpty() ? p.getParameterName() : name;
  }

  /** The query parameter names a handler declares. */
  public static Set<String> declaredParameters(HandlerMethod method) {
    Set<String> names = new TreeSet<>();
    for (MethodParameter p : method.getMethodParameters()) {
      String name = requestParamName(p);
      if (name != null) {
        names.add(name);
      }
    }
    return java.util.Collections.unmodifiableSet(names);
  }
}
