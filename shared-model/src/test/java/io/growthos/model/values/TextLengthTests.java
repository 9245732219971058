package io.growthos.model.values;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextLengthTests {

  private static final String EMOJI = "\uD83D\uDE00";

  @Test
  void countsCodePointsNotUtf16Units() {
    assertThat(TextLength.of("")).isZero();
    assertThat(TextLength.of("café")).isEqualTo(4);
    assertThat(TextLength.of(EMOJI.repeat(200))).isEqualTo(200);
    assertThat(EMOJI.repeat(200).length()).isEqualTo(400);
  }

  @Test
  void atMostAcceptsAstralTextAtTheLimitAndRefusesOneMore() {
    assertThat(TextLength.atMost(EMOJI.repeat(255), 255)).isTrue();
    assertThat(TextLength.atMost(EMOJI.repeat(254) + "ab", 255)).isFalse();
    assertThat(TextLength.atMost("x".repeat(255), 255)).isTrue();
    assertThat(TextLength.atMost("x".repeat(256), 255)).isFalse();
  }
}
