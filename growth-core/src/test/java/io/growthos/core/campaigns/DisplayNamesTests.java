package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class DisplayNamesTests {

  @Test
  void showsTheFirstNameAndTheInitialOfTheLastNameAtMost() {
    assertThat(DisplayNames.masked("Ada", "Lovelace", null, null, "Someone")).isEqualTo("Ada L.");
    assertThat(DisplayNames.masked("Ada", null, null, null, "Someone")).isEqualTo("Ada");
    assertThat(DisplayNames.masked(null, null, "Ada King Lovelace", null, "Someone"))
        .isEqualTo("Ada L.");
    assertThat(DisplayNames.masked(null, null, "Ada", null, "Someone")).isEqualTo("Ada");
    assertThat(DisplayNames.masked("Ada Lovelace", "lovelace", null, null, "Someone"))
        .as("a full name stored as first name is cut to its first word")
        .isEqualTo("Ada L.");
    assertThat(DisplayNames.masked("Émile", "ørsted", null, null, "x")).isEqualTo("Émile Ø.");
  }

  /**
   * A one-word Chinese, Japanese or Korean name is family and given name written together: the
   * leaderboard showed "李小龙" and "김민준" whole. A first-name trait is shown as given.
   */
  @Test
  void aOneWordCjkNameIsAFullNameAndNotShown() {
    assertThat(DisplayNames.masked(null, null, "李小龙", null, "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked(null, null, "김민준", null, "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked(null, null, "やまだたろう", null, "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked("小龙", "李", "李小龙", null, "Someone")).isEqualTo("小龙");
    assertThat(DisplayNames.masked(null, null, "Madonna", null, "Someone")).isEqualTo("Madonna");
  }

  @Test
  void neverShowsAnEmailOrNothingButTheFallback() {
    assertThat(DisplayNames.masked("ada@example.com", "Lovelace", null, null, "Someone"))
        .isEqualTo("Someone");
    assertThat(DisplayNames.masked(null, "Lovelace", null, null, "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked(null, null, "ada@example.com", null, "Someone"))
        .isEqualTo("Someone");
    assertThat(DisplayNames.masked("  ", null, null, null, "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked("12345", null, null, null, "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked("Ada", "ada@example.com", null, null, "Someone"))
        .isEqualTo("Ada");
    assertThat(DisplayNames.masked("A".repeat(100), null, null, null, "x"))
        .as("a hundred letters are no first name")
        .isEqualTo("x");
  }

  /**
   * Widget leaderboards and social-proof feeds show a person by one rule (SPEC §8): a URL, a handle
   * with digits or a word of symbols typed into a name trait is no first name in either, and both
   * give the same name for the same traits.
   */
  @Test
  void leaderboardsAndSocialProofFeedsShowThePersonByTheSameRule() {
    assertThat(DisplayNames.masked("https://spam.example/win", null, null, null, "Someone"))
        .isEqualTo("Someone");
    assertThat(DisplayNames.masked("R2D2", "Lovelace", null, null, "Someone")).isEqualTo("Someone");
    assertThat(DisplayNames.masked(null, null, "<b>Ada</b> Lovelace", null, "Someone"))
        .isEqualTo("Someone");
    assertThat(DisplayNames.masked("Ada\u200b", "Lovelace", null, null, "Someone"))
        .isEqualTo("Ada L.");
    List<String[]> cases =
        List.of(
            new String[] {"Ada", "Lovelace", null},
            new String[] {null, null, "Ada King Lovelace"},
            new String[] {"Jean-Luc", "Picard", null},
            new String[] {"O’Brien", null, null},
            new String[] {"ada@example.com", "Lovelace", null},
            new String[] {"Ada", "ada@example.com", null},
            new String[] {"12345", null, null},
            new String[] {"R2D2", null, "Ada Lovelace"},
            new String[] {null, null, "李小龙"},
            new String[] {"小龙", "李", "李小龙"},
            new String[] {"Émile", "ørsted", null},
            new String[] {"  Ada  ", " lovelace", null},
            new String[] {"www.win.example", null, null});
    for (String[] c : cases) {
      ObjectNode traits = JsonNodeFactory.instance.objectNode();
      if (c[0] != null) {
        traits.put("first_name", c[0]);
      }
      if (c[1] != null) {
        traits.put("last_name", c[1]);
      }
      if (c[2] != null) {
        traits.put("name", c[2]);
      }
      assertThat(DisplayNames.masked(c[0], c[1], c[2], null, "Someone"))
          .as("traits %s", Arrays.toString(c))
          .isEqualTo(SocialProofMasking.shortName(traits).orElse("Someone"));
    }
  }
}
