package io.growthos.platform.web;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/** Where the current request's id lives, and which incoming ids are kept. */
public final class RequestIds {

  /** Response and request header. */
  public static final String HEADER = "X-Request-Id";

  /** Request attribute holding the id, readable by filters, handlers and the error path. */
  public static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

  /** MDC key: the log pattern prints it on every line of the request. */
  public static final String MDC_KEY = "request_id";

  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  private RequestIds() {}

  /** The incoming id if it is of sane form, else a new {@code req_} id. */
  static String chooseFor(String incoming) {
    if (incoming != null && SANE.matcher(incoming).matches()) {
      return incoming;
    }
    return Ids.next(IdPrefix.REQUEST);
  }

  /** The id of {@code request}; assigns one if no filter has yet (never null). */
  public static String of(HttpServletRequest request) {
    Object id = request.getAttribute(ATTRIBUTE);
    if (id instanceof String s) {
      return s;
    }
    String chosen = chooseFor(request.getHeader(HEADER));
    request.setAttribute(ATTRIBUTE, chosen);
    return chosen;
  }
}
