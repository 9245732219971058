package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DisplayNamesTests {

  @Test
  void showsTheFirstNameAndTheInitialOfTheLastNameAtMost() {
    assertThat(DisplayNames.masked("Ada", "Lovelace", null, "Someone")).isEqualTo("Ada L.");
    assertThat(DisplayNames.masked("Ada", null, null, "Someone")).isEqualTo("Ada");
    assertThat(DisplayNames.masked(null, null, "Ada King Lovelace", "Someone")).isEqualTo("Ada L.");
    assertThat(DisplayNames.masked(null, null, "Ada", "Someone")).isEqualTo("Ada");
    assertThat(DisplayNames.masked("Ada Lovelace", "lovelace", null, "Someone"))
        .as("a full name stored as first name is cut to its first word")
        .isEqualTo("Ada L.");
    assertThat(DisplayNames.masked("Émile", "ørsted", null, "x")).isEqualTo("Émile Ø.");
  }

  /**
   * A one-word Chinese, Japanese or Korean name is family and given name written together: the
   * leaderboard showed "李小龙" and "김민준" whole. A first-name trait is shown as given.
   */
  @Test
  void aOneWordCjkNameIsAFullNameAndNotShown() {
    assertThat(DisplayNames.masked(null, null, "李小龙", "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked(null, null, "김민준", "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked(null, null, "やまだたろう", "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked("小龙", "李", "李小龙", "Someone")).isEqualTo("小龙 李.");
    assertThat(DisplayNames.masked(null, null, "Madonna", "Someone")).isEqualTo("Madonna");
  }

  @Test
  void neverShowsAnEmailOrNothingButTheFallback() {
    assertThat(DisplayNames.masked("ada@example.com", "Lovelace", null, "Someone"))
        .isEqualTo("Someone");
    assertThat(DisplayNames.masked(null, "Lovelace", null, "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked(null, null, "ada@example.com", "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked("  ", null, null, "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked("12345", null, null, "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked("Ada", "ada@example.com", null, "Someone")).isEqualTo("Ada");
    assertThat(DisplayNames.masked("A".repeat(100), null, null, "x"))
        .hasSize(DisplayNames.MAX_FIRST_NAME);
  }
}
