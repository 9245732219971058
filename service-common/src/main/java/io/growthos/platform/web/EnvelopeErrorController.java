package io.growthos.platform.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.errors.ErrorEnvelope;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Replaces Boot's whitelabel/JSON error page: whatever reaches the container's error dispatch (an
 * exception thrown in a filter, a container-level 400 or 413) still leaves as the envelope. A body
 * the container could not read (the client's connection dropped mid-upload, or its chunked framing
 * is broken) is the client's 400 naming {@code body}, logged at debug without a stack trace: anyone
 * can send one, so it must not fill the log. The error path itself is no route: asked for directly
 * it is a 404 like any unknown path.
 */
@Hidden
@RestController
public class EnvelopeErrorController implements ErrorController {

  private static final Logger log = LoggerFactory.getLogger(EnvelopeErrorController.class);

  private final ErrorResponses responses;
  private final RouteMethods routes;

  public EnvelopeErrorController(
      ErrorResponses responses,
      @Qualifier("requestMappingHandlerMapping")
          ObjectProvider<RequestMappingHandlerMapping> routes) {
    this.responses = responses;
    this.routes = new RouteMethods(routes);
  }

  /**
   * {@code OPTIONS} of the error path, mapped so that Spring does not answer it itself (200 with
   * every method in {@code Allow}, on a path where each is 404; until 2026-12-07): asked for
   * directly it is the 404 of an unknown path, and the error dispatch of a failed {@code OPTIONS}
   * request is that error's.
   */
  @RequestMapping(path = "${server.error.path:/error}", method = RequestMethod.OPTIONS)
  ResponseEntity<ErrorEnvelope> options(HttpServletRequest request, HttpServletResponse response) {
    return error(request, response);
  }

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ErrorEnvelope> error(HttpServletRequest request, HttpServletResponse response) {
    if (request.getDispatcherType() != DispatcherType.ERROR) {
      return responses.entity(Errors.unknownRoute(request), request);
    }
    Object thrown = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    if (thrown instanceof ApiException api) {
      return responses.entity(api, request);
    }
    if (thrown instanceof IOException unreadable) {
      // Tomcat's own reading failed (EOFException, BadRequestException "Invalid chunk header"):
      // it replaced whatever the application answered with this error dispatch.
      log.debug(
          "Unreadable body on {}: {}",
          request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
          unreadable.toString());
      return responses.entity(Errors.unreadableBody(), request);
    }
    Object statusAttr = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = statusAttr instanceof Integer i ? i : 500;
    if (status == 405 && thrown == null) {
      // The container's own 405 (TRACE, which it refuses before any servlet runs): its Allow header
      // lists the servlet's methods, not the route's, and an error dispatch reads as a GET.
      String method = originalMethod(request);
      String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
      Set<String> allowed = routes.of(path);
      if (allowed != null && allowed.isEmpty()) {
        // Nothing is at the path: no Allow. The container set its own list before any servlet
        // ran (so there is no header of ours to keep); until 2026-12-07 the 404 carried it.
        if (!response.isCommitted()) {
          response.reset();
        }
        return responses.entity(Errors.unknownRoute(method, path), request);
      }
      if (allowed != null) {
        response.setHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
      }
      return responses.entity(methodNotAllowed(method), request);
    }
    if (thrown instanceof Throwable t) {
      log.error(
          "Error before the handler on {}",
          request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
          t);
      status = 500;
    }
    return responses.entity(forStatus(status, request), request);
  }

  private static ApiException methodNotAllowed(String method) {
    return new ApiException(
        ErrorCode.METHOD_NOT_ALLOWED,
        "Method " + method + " is not allowed.",
        List.of(ErrorDetail.of("method", "not_allowed", "Use a method the route documents.")));
  }

  /** The method of the request that failed: an error dispatch itself reads as a GET. */
  private static String originalMethod(HttpServletRequest request) {
    Object method = request.getAttribute(RequestDispatcher.ERROR_METHOD);
    return method instanceof String m ? m : request.getMethod();
  }

  private static ApiException forStatus(int status, HttpServletRequest request) {
    return switch (status) {
      case 400 -> Errors.malformedJson(null);
      case 404 ->
          new ApiException(
              ErrorCode.NOT_FOUND,
              "Unknown route: " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + ".");
      // 501 is the servlet container's answer to a method it does not implement (CONNECT).
      case 405, 501 -> methodNotAllowed(originalMethod(request));
      case 413 -> Errors.bodyTooLarge(-1);
      case 415 -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type.");
      default ->
          status >= 400 && status < 500
              ? new ApiException(ErrorCode.VALIDATION_ERROR, "The request could not be processed.")
              : Errors.internal();
    };
  }
}
