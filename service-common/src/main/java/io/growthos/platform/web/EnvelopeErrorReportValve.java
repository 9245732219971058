package io.growthos.platform.web;

import io.growthos.model.errors.ApiError;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.errors.ErrorEnvelope;
import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replaces Tomcat's HTML error page for what Tomcat refuses itself, before any filter or servlet
 * runs (a request line or header it cannot parse, an illegal character in the URI): such a response
 * is still the JSON envelope with a request id. Whatever the application answers already has a body
 * and passes through untouched; a status it left without a body (a framework endpoint's) gets the
 * envelope with the request's own id.
 */
public class EnvelopeErrorReportValve extends ErrorReportValve {

  private final JsonMapper json;

  public EnvelopeErrorReportValve(JsonMapper json) {
    this.json = json;
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    // A request the application saw has its request id already (RequestIds set the header): that
    // one, which its log line names, not a new one (until 2026-12-07 it was replaced).
    String seen = response.getHeader(RequestIds.HEADER);
    String requestId = seen != null ? seen : Ids.next(IdPrefix.REQUEST);
    ApiError error;
    if (seen != null) {
      // The application answered a status without a body (Spring Boot's health endpoint for a
      // group that does not exist): the request was HTTP; a 404 is the route's.
      error =
          status == 404
              ? Errors.unknownRoute(request.getMethod(), request.getRequestURI()).toApiError()
              : new ApiError(
                  codeFor(status).code(),
                  "The request failed (status " + status + ").",
                  List.of(
                      ErrorDetail.of("request", "failed", "Retry later or check the request.")));
    } else if (status == 501) {
      // Tomcat's answer to a method it does not implement (CONNECT): the client's choice of
      // method, not a fault of ours, so the 405 every other unknown method gets.
      response.setStatus(405);
      error =
          new ApiError(
              ErrorCode.METHOD_NOT_ALLOWED.code(),
              "Method " + request.getMethod() + " is not allowed.",
              List.of(
                  ErrorDetail.of("method", "not_allowed", "Use a method the route documents.")));
    } else if (status == 505) {
      // Tomcat's answer to a request line naming a version it does not speak ("HTTP/2.0" or
      // "HTTP/3.0" in text): the client's choice too, so a 400 naming the request.
      response.setStatus(400);
      error =
          new ApiError(
              ErrorCode.VALIDATION_ERROR.code(),
              "HTTP version " + request.getProtocol() + " is not supported; send HTTP/1.1.",
              List.of(
                  ErrorDetail.of(
                      "request",
                      "unsupported_http_version",
                      "Send HTTP/1.1 (or HTTP/1.0); HTTP/2 only over TLS or h2c upgrade.")));
    } else {
      error =
          new ApiError(
              codeFor(status).code(),
              "The server could not read this request as HTTP (status " + status + ").",
              List.of(
                  ErrorDetail.of(
                      "request",
                      "malformed_request",
                      "Check the request line, the header values and the characters of the URI.")));
    }
    try {
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      response.setHeader(RequestIds.HEADER, requestId);
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(json.writeValueAsString(new ErrorEnvelope(error, requestId)));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response was committed meanwhile: nothing more to send
    }
  }

  private static ErrorCode codeFor(int status) {
    for (ErrorCode code : ErrorCode.values()) {
      if (code.status() == status && code != ErrorCode.INVALID_JSON) {
        return code;
      }
    }
    return status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_ERROR;
  }
}
