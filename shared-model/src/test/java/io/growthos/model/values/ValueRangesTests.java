package io.growthos.model.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorDetail;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

class ValueRangesTests {

  @Test
  void timestampsFromYear1ToYear9999AreInRangeAndOthersAre400OutOfRange() {
    assertThat(TimestampRange.contains(Instant.parse("0001-01-01T00:00:00Z"))).isTrue();
    assertThat(TimestampRange.contains(Instant.parse("9999-12-31T23:59:59.999999Z"))).isTrue();
    assertThat(TimestampRange.contains(Instant.parse("9999-12-31T23:59:59.9999995Z"))).isFalse();
    assertThat(TimestampRange.contains(Instant.parse("0000-12-31T23:59:59.999Z"))).isFalse();
    assertThat(TimestampRange.contains(Instant.MAX)).isFalse();
    assertThatThrownBy(() -> TimestampRange.check(Instant.MIN, "created_after"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.details().get(0).field()).isEqualTo("created_after");
              assertThat(e.details().get(0).reason()).isEqualTo("out_of_range");
            });
    Clock now = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    assertThat(TimestampRange.fromNow(now, Duration.ofDays(-7 * 999_999L)))
        .isEqualTo(TimestampRange.MIN);
    assertThat(TimestampRange.fromNow(now, Duration.ofDays(7 * 999_999L)))
        .isEqualTo(TimestampRange.MAX);
  }

  @Test
  void numbersUpToAThousandCharactersWrittenOutFitWithoutBeingSpelledOut() {
    // Written out as jsonb writes them back: 1e999 is a 1 and 999 zeros.
    assertThat(NumberRange.fits(new BigDecimal("1e999"))).isTrue();
    assertThat(NumberRange.fits(new BigDecimal("-1e999"))).isFalse();
    assertThat(NumberRange.fits(new BigDecimal("1e1000"))).isFalse();
    // "0." and 998 digits; one more is 1,001 characters.
    assertThat(NumberRange.fits(new BigDecimal("1e-998"))).isTrue();
    assertThat(NumberRange.fits(new BigDecimal("1e-999"))).isFalse();
    // Each half within the old bound (1,000 digits before and after), 1,999 characters together.
    assertThat(NumberRange.fits(new BigDecimal("9".repeat(999) + "." + "9".repeat(999)))).isFalse();
    assertThat(NumberRange.fits(new BigDecimal("-" + "9".repeat(499) + "." + "9".repeat(499))))
        .isTrue();
    // Exponents near the int range: precision minus scale must not overflow.
    assertThat(NumberRange.fits(new BigDecimal("1e2147483647"))).isFalse();
    assertThat(NumberRange.fits(new BigDecimal("1e-2147483647"))).isFalse();
    JsonMapper decimals =
        JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    JsonMapper doubles = JsonMapper.builder().build();
    assertThat(NumberRange.fits(decimals.readTree("1e999999999"))).isFalse();
    assertThat(NumberRange.fits(doubles.readTree("1e999999"))).isFalse();
    assertThat(NumberRange.fits(doubles.readTree("1.5e300"))).isTrue();
    List<ErrorDetail> problems = new ArrayList<>();
    Object traits =
        decimals.readValue(
            "{\"ok\": 1.5, \"big\": 1e999999, \"deep\": {\"l\": [1, -1e-999999]}}", Object.class);
    NumberRange.check(traits, "traits", problems);
    assertThat(problems)
        .extracting(ErrorDetail::field)
        .containsExactly("traits.big", "traits.deep.l[1]");
    assertThat(problems).extracting(ErrorDetail::reason).containsOnly("out_of_range");
  }
}
