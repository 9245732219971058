package io.growthos.ingest.widgets;

import io.growthos.ingest.web.WidgetRoutes;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.platform.auth.AuthenticatedKey;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The second half of widget CORS, right after the request pipeline has authenticated the write key:
 * a request from a browser ({@code Origin} header) to a widget route of a workspace that lists its
 * allowed origins must come from one of them, else 403 {@code forbidden} with reason {@code
 * origin_not_allowed} and no {@code Access-Control-Allow-Origin} (so the page cannot read even the
 * error). Requests without {@code Origin} (servers, curl) are not browsers' and pass.
 */
class WidgetOriginCheck implements HandlerInterceptor {

  /** Request attribute set when the origin was refused: the CORS headers are then left out. */
  static final String REFUSED = WidgetOriginCheck.class.getName() + ".refused";

  private final WidgetOrigins origins;

  WidgetOriginCheck(WidgetOrigins origins) {
    this.origins = origins;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (request.getDispatcherType() != DispatcherType.REQUEST
        || !(handler instanceof HandlerMethod method)
        || !WidgetRoutes.isWidgetHandler(method)) {
      return true;
    }
    String origin = request.getHeader("Origin");
    AuthenticatedKey key = AuthenticatedKey.of(request);
    if (origin == null || key == null || origins.allows(key.workspaceId(), origin)) {
      return true;
    }
    request.setAttribute(REFUSED, Boolean.TRUE);
    String message =
        "This workspace allows its widgets only on the origins listed in its settings"
            + " (allowed_widget_origins); '"
            + (origin.length() > 100 ? origin.substring(0, 100) + "…" : origin)
            + "' is not one of them.";
    throw new ApiException(
        ErrorCode.FORBIDDEN,
        message,
        List.of(ErrorDetail.of("Origin", "origin_not_allowed", message)));
  }
}
