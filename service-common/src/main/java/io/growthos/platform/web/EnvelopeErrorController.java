package io.growthos.platform.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.errors.ErrorEnvelope;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

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

  public EnvelopeErrorController(ErrorResponses responses) {
    this.responses = responses;
  }

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ErrorEnvelope> error(HttpServletRequest request) {
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
    if (thrown instanceof Throwable t) {
      log.error(
          "Error before the handler on {}",
          request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
          t);
      status = 500;
    }
    return responses.entity(forStatus(status, request), request);
  }

  private static ApiException forStatus(int status, HttpServletRequest request) {
    return switch (status) {
      case 400 -> Errors.malformedJson(null);
      case 404 ->
          new ApiException(
              ErrorCode.NOT_FOUND,
              "Unknown route: " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + ".");
      // 501 is the servlet container's answer to a method it does not implement (CONNECT).
      case 405, 501 ->
          new ApiException(
              ErrorCode.METHOD_NOT_ALLOWED,
              "Method " + request.getMethod() + " is not allowed.",
              List.of(
                  ErrorDetail.of("method", "not_allowed", "Use a method the route documents.")));
      case 413 -> Errors.bodyTooLarge(-1);
      case 415 -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type.");
      default ->
          status >= 400 && status < 500
              ? new ApiException(ErrorCode.VALIDATION_ERROR, "The request could not be processed.")
              : Errors.internal();
    };
  }
}
