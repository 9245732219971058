package io.growthos.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.values.TimestampRange;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The hand-written reader of the common timestamp shape agrees with the ISO formatter on every text
 * it accepts, and {@link Timestamps#parse} means what the formatter alone meant.
 */
class TimestampsTests {

  @Property(tries = 5000, seed = "20261205")
  void theCommonShapeReaderAgreesWithTheFormatter(@ForAll("timestamps") String text) {
    Instant fast = Timestamps.common(text);
    Instant formatter = Timestamps.withFormatter(text);
    if (fast != null) {
      assertThat(fast).as(text).isEqualTo(formatter);
    }
    Instant cut = formatter == null ? null : formatter.truncatedTo(ChronoUnit.MICROS);
    Instant expected = cut != null && Timestamps.inRange(cut) ? cut : null;
    assertThat(Timestamps.parse(text)).as(text).isEqualTo(expected);
  }

  /** PostgreSQL rounds digits past the sixth: the parser cuts them first, as the docs say. */
  @Test
  void digitsPastTheMicrosecondAreCutNotRoundedIntoTheNextSecond() {
    assertThat(Timestamps.parse("2026-12-31T23:59:59.9999996Z"))
        .isEqualTo(Instant.parse("2026-12-31T23:59:59.999999Z"));
    assertThat(Timestamps.parse("2026-05-31T23:59:59.99999951+02:00"))
        .isEqualTo(Instant.parse("2026-05-31T21:59:59.999999Z"));
    assertThat(Timestamps.parse("9999-12-31T23:59:59.9999999Z")).isEqualTo(TimestampRange.MAX);
  }

  @Test
  void readsWhatSdksSendWithoutTheFormatter() {
    assertThat(Timestamps.common("2024-05-01T12:00:00.123Z"))
        .isEqualTo(Instant.parse("2024-05-01T12:00:00.123Z"));
    assertThat(Timestamps.common("2024-05-01T12:00:00+02:00"))
        .isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
    assertThat(Timestamps.common("2024-05-01T12:00:00.123456-05:30"))
        .isEqualTo(Instant.parse("2024-05-01T17:30:00.123456Z"));
    assertThat(Timestamps.common("2024-02-29T00:00:00"))
        .isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
  }

  @Test
  void leavesOtherShapesAndImpossibleDatesToTheFormatter() {
    assertThat(Timestamps.common("2023-02-29T00:00:00Z")).isNull();
    assertThat(Timestamps.common("2024-05-01t12:00:00z")).isNull();
    assertThat(Timestamps.common("2024-05-01T12:00Z")).isNull();
    assertThat(Timestamps.common("2024-05-01T12:00:00.Z")).isNull();
    assertThat(Timestamps.common("2024-05-01T12:00:00.1234567890Z")).isNull();
    assertThat(Timestamps.common("2024-05-01T12:00:00+0200")).isNull();
    assertThat(Timestamps.common("2024-05-01T12:00:00Z[Europe/Paris]")).isNull();
    assertThat(Timestamps.parse("2023-02-29T00:00:00Z")).isNull();
    assertThat(Timestamps.parse("2024-05-01t12:00:00z"))
        .isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
    assertThat(Timestamps.parse("2024-05-01")).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
    assertThat(Timestamps.parse("0000-12-31T23:59:59Z")).isNull();
  }

  @Provide
  Arbitrary<String> timestamps() {
    // Mostly well-formed text (so the hand-written reader answers), with every field sometimes out
    // of range or in another shape (so it must decline and the formatter decides).
    Arbitrary<String> year =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.integers().between(1, 9999).map(y -> String.format("%04d", y))),
            Tuple.of(1, Arbitraries.of("0000", "10000", "+2024", "24", "-001", "2O24")));
    Arbitrary<String> month = field(1, 12);
    Arbitrary<String> day = field(1, 31);
    Arbitrary<String> hour = field(0, 23);
    Arbitrary<String> minute = field(0, 59);
    Arbitrary<String> second = field(0, 59);
    Arbitrary<String> fraction =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just("")),
            Tuple.of(
                6, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(9).map(f -> "." + f)),
            Tuple.of(1, Arbitraries.of(".", ".1234567890", ",5", ".5x", ". 5")));
    Arbitrary<String> offset =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.of("", "Z")),
            Tuple.of(
                6,
                Combinators.combine(
                        Arbitraries.of('+', '-'),
                        Arbitraries.integers().between(0, 19),
                        Arbitraries.integers().between(0, 60))
                    .as((sign, h, m) -> String.format("%c%02d:%02d", sign, h, m))),
            Tuple.of(
                1,
                Arbitraries.of(
                    "z", "+0200", "+02", "+02:00:30", "[UTC]", "Z[Europe/Paris]", " ", "+2:00")));
    Arbitrary<String> separator =
        Arbitraries.frequencyOf(
            Tuple.of(9, Arbitraries.just("T")), Tuple.of(1, Arbitraries.of("t", " ")));
    Arbitrary<String> date =
        Combinators.combine(year, month, day).as((y, mo, d) -> y + "-" + mo + "-" + d);
    return Combinators.combine(date, separator, hour, minute, second, fraction, offset)
        .as((d, t, h, mi, s, f, o) -> d + t + h + ":" + mi + ":" + s + f + o);
  }

  /** Two digits in [min, max] mostly, else out of range or not two digits. */
  private static Arbitrary<String> field(int min, int max) {
    return Arbitraries.frequencyOf(
        Tuple.of(9, Arbitraries.integers().between(min, max).map(v -> String.format("%02d", v))),
        Tuple.of(
            1,
            Arbitraries.oneOf(
                Arbitraries.integers().between(0, 99).map(v -> String.format("%02d", v)),
                Arbitraries.of("1", "001", "a1", "-1", "  "))));
  }
}
