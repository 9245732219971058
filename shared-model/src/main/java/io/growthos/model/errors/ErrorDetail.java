package io.growthos.model.errors;

/**
 * One problem with a request: which field (a path such as {@code batch[3].event} or a header or
 * parameter name), a machine reason ({@code required}, {@code invalid_type}, ...) and a sentence.
 */
public record ErrorDetail(String field, String reason, String message) {

  public static ErrorDetail of(String field, String reason, String message) {
    return new ErrorDetail(field, reason, message);
  }
}
