package io.growthos.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CopyTextTest {

  @Test
  void separatesColumnsByTabsAndRowsByNewlines() {
    String text = new CopyText(64).column("a").column("b").endRow().column("c").endRow().toString();

    assertThat(text).isEqualTo("a\tb\nc\n");
  }

  @Test
  void escapesWhatCopyTextFormatWouldOtherwiseReadAsStructure() {
    String text =
        new CopyText(64).column("{\"k\":\"a\\\"b\"}").column("x\ty\nz\r").endRow().toString();

    assertThat(text).isEqualTo("{\"k\":\"a\\\\\"b\"}\tx\\ty\\nz\\r\n");
  }

  @Test
  void writesNullAsBackslashN() {
    assertThat(new CopyText(8).column(null).column("").endRow().toString()).isEqualTo("\\N\t\n");
  }
}
