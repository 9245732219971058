package io.growthos.ingest.web;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.errors.ErrorEnvelope;
import io.growthos.platform.web.ErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

/**
 * The one ingest-specific error mapping, before the shared handler: a request whose events were not
 * committed within the async timeout is a 503 (retry is safe: dedupe by messageId), not 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class IngestExceptionHandler {

  private final ErrorResponses responses;

  IngestExceptionHandler(ErrorResponses responses) {
    this.responses = responses;
  }

  @ExceptionHandler(AsyncRequestTimeoutException.class)
  ResponseEntity<ErrorEnvelope> timeout(HttpServletRequest request) {
    return responses.entity(
        new ApiException(
            ErrorCode.SERVICE_UNAVAILABLE,
            "The events were not stored in time; retry (duplicates are stored once).",
            List.of(ErrorDetail.of("service", "timeout", "Retry after 1 s.")),
            Map.of("Retry-After", "1")),
        request);
  }
}
