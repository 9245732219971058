package io.growthos.model.errors;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code error} member of the envelope. {@code details} is always present, maybe empty, and
 * holds at most {@value #MAX_DETAILS} problems: beyond them, one last detail ({@code field} {@code
 * details}, reason {@code truncated}) says how many more were left out. Every error response of
 * both services is built from this record, so the cap holds for all of them (a 400 KB filter once
 * answered 20 MB of details).
 */
public record ApiError(String code, String message, List<ErrorDetail> details) {

  /** The most problems one response lists. */
  public static final int MAX_DETAILS = 100;

  /** The reason of the last detail of a list that was cut. */
  public static final String TRUNCATED = "truncated";

  public ApiError {
    details = details == null ? List.of() : capped(details);
  }

  /** The detail that stands for {@code count} problems left out. */
  public static ErrorDetail omitted(long count) {
    return ErrorDetail.of(
        "details",
        TRUNCATED,
        count
            + " more problem"
            + (count == 1 ? " was" : "s were")
            + " left out; only the first "
            + MAX_DETAILS
            + " are listed.");
  }

  private static List<ErrorDetail> capped(List<ErrorDetail> details) {
    int n = details.size();
    boolean alreadyCut = n == MAX_DETAILS + 1 && TRUNCATED.equals(details.get(n - 1).reason());
    if (n <= MAX_DETAILS || alreadyCut) {
      return List.copyOf(details);
    }
    List<ErrorDetail> kept = new ArrayList<>(details.subList(0, MAX_DETAILS));
    kept.add(omitted(n - MAX_DETAILS));
    return List.copyOf(kept);
  }
}
