package io.growthos.model.errors;

import java.util.List;

/** The {@code error} member of the envelope. {@code details} is always present, maybe empty. */
public record ApiError(String code, String message, List<ErrorDetail> details) {

  public ApiError {
    details = details == null ? List.of() : List.copyOf(details);
  }
}
