package io.growthos.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The text rule both services apply to request bodies. */
class RequestTextTests {

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void utf8IsValidatedExactlyAsTheJdksStrictDecoderDoes() {
    Random random = new Random(42);
    for (int n = 0; n < 200_000; n++) {
      byte[] bytes = new byte[1 + random.nextInt(6)];
      for (int i = 0; i < bytes.length; i++) {
        // Mostly the bytes around the edges of Table 3-7.
        bytes[i] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt());
      }
      assertThat(RequestText.firstInvalidUtf8(bytes, 0, bytes.length) < 0)
          .as("%s", java.util.HexFormat.of().formatHex(bytes))
          .isEqualTo(jdkAccepts(bytes));
    }
  }

  @Test
  void overlongFormsEncodedSurrogatesAndCutSequencesAreRefused() {
    int[][] refused = {
      {0xc0, 0xaf},
      {0xe0, 0x80, 0xaf},
      {0xf0, 0x80, 0x80, 0xaf},
      {0xed, 0xa0, 0x80},
      {0xf4, 0x90, 0x80, 0x80},
      {0xe2, 0x82}
    };
    for (int[] sequence : refused) {
      byte[] bytes = new byte[sequence.length];
      for (int i = 0; i < sequence.length; i++) {
        bytes[i] = (byte) sequence[i];
      }
      assertThatThrownBy(() -> RequestText.requireUtf8(bytes)).isInstanceOf(ApiException.class);
    }
    RequestText.requireUtf8("€ 😀 é".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aLoneSurrogateOrNulIsNamedByItsPath() {
    JsonMapper json = JsonMapper.builder().build();
    assertThatThrownBy(
            () ->
                RequestText.requireStorableText(
                    json.readTree("{\"a\":[\"ok\",{\"b\":\"x\\ud800\"}]}")))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.details().get(0).field()).isEqualTo("a[1].b"));
    assertThatThrownBy(
            () -> RequestText.requireStorableText(json.readTree("{\"k\":{\"x\\u0000\":1}}")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.details().get(0).reason()).isEqualTo("invalid_character"));
    RequestText.requireStorableText(json.readTree("{\"a\":\"\\ud83d\\ude00\"}"));
    assertThat(RequestText.mayHoldUnstorableText("{\"a\":\"\\\\ud800\"}".getBytes())).isFalse();
    assertThat(RequestText.mayHoldUnstorableText("{\"a\":\"\\uDBFF\"}".getBytes())).isTrue();
  }
}
