package io.growthos.model.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ApiErrorTests {

  static List<ErrorDetail> details(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> ErrorDetail.of("filter.all[" + i + "]", "invalid_type", "Not a filter."))
        .toList();
  }

  @Test
  void anErrorListsTheFirstHundredDetailsAndSaysHowManyMoreWereLeftOut() {
    ApiError error = ApiException.invalid(details(200_000)).toApiError();
    assertThat(error.details()).hasSize(ApiError.MAX_DETAILS + 1);
    assertThat(error.details().get(99).field()).isEqualTo("filter.all[99]");
    ErrorDetail last = error.details().get(100);
    assertThat(last.field()).isEqualTo("details");
    assertThat(last.reason()).isEqualTo("truncated");
    assertThat(last.message()).startsWith("199900 more problems were left out");
  }

  @Test
  void upToAHundredDetailsAndAListAlreadyCutAreKeptAsTheyAre() {
    assertThat(new ApiError("validation_error", "m", details(100)).details())
        .isEqualTo(details(100));
    List<ErrorDetail> cut = new java.util.ArrayList<>(details(100));
    cut.add(ApiError.omitted(7));
    assertThat(new ApiError("validation_error", "m", cut).details()).isEqualTo(cut);
  }
}
