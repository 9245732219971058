package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferralCodesTests {

  @Test
  void generatesCodesFromTheUnambiguousAlphabet() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String code = ReferralCodes.generate();
      assertThat(code).hasSize(8).doesNotContain("I", "L", "O", "U");
      assertThat(code.chars()).allMatch(c -> ReferralCodes.ALPHABET.indexOf(c) >= 0);
      assertThat(ReferralCodes.canonical(code)).contains(code);
      seen.add(code);
    }
    assertThat(seen).hasSizeGreaterThan(9_990);
  }

  @Test
  void readsCodesCaseInsensitivelyAndMapsLookAlikes() {
    assertThat(ReferralCodes.canonical("ab12cd34")).contains("AB12CD34");
    assertThat(ReferralCodes.canonical(" ab1ocdl4 ")).contains("AB10CD14");
    assertThat(ReferralCodes.canonical("oliv1234")).contains("011V1234");
    assertThat(ReferralCodes.canonical("SUMMER-2026")).contains("SUMMER-2026");
    assertThat(ReferralCodes.canonical("x")).isEmpty();
    assertThat(ReferralCodes.canonical("ab'; drop")).isEmpty();
  }

  @Test
  void validatesVanityCodes() {
    assertThat(ReferralCodes.vanityProblem("jane-doe")).isEmpty();
    assertThat(ReferralCodes.vanityProblem("ab")).isPresent();
    assertThat(ReferralCodes.vanityProblem("héllo")).isPresent();
    assertThat(ReferralCodes.vanityProblem("ABCD1234")).as("generated shape").isPresent();
  }

  /** A vanity code is measured as it is stored: every code it accepts has a canonical form. */
  @Test
  void aVanityCodeIsMeasuredUpperCasedSoEveryAcceptedOneHasACanonicalForm() {
    assertThat(ReferralCodes.vanityProblem("\u00df".repeat(17)))
        .as("34 once upper-cased")
        .isPresent();
    assertThat(ReferralCodes.vanityProblem("\u00df".repeat(16))).isEmpty();
    for (String vanity :
        new String[] {"\u00df".repeat(16), "stra\u00dfe", "\ufb00-x", "jane-doe"}) {
      assertThat(ReferralCodes.vanityProblem(vanity)).as(vanity).isEmpty();
      assertThat(ReferralCodes.canonical(vanity)).as(vanity).isPresent();
    }
  }
}
