package io.growthos.platform.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorEnvelope;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's whitelabel/JSON error page: whatever reaches the container's error dispatch (an
 * exception thrown in a filter, a container-level 400 or 413) still leaves as the envelope.
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
    Object thrown = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    if (thrown instanceof ApiException api) {
      return responses.entity(api, request);
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
      case 405 -> new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed.");
      case 413 -> Errors.bodyTooLarge(-1);
      case 415 -> new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type.");
      default ->
          status >= 400 && status < 500
              ? new ApiException(ErrorCode.VALIDATION_ERROR, "The request could not be processed.")
              : Errors.internal();
    };
  }
}
