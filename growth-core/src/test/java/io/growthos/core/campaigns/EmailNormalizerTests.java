package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmailNormalizerTests {

  @Test
  void foldsCasePlusTagsAndGmailDots() {
    assertThat(EmailNormalizer.normalize("Jane.Doe+promo@GMail.com")).contains("janedoe@gmail.com");
    assertThat(EmailNormalizer.normalize("j.a.n.e.doe@googlemail.com"))
        .contains("janedoe@gmail.com");
    assertThat(EmailNormalizer.normalize("Jane.Doe+x@Example.com"))
        .contains("jane.doe@example.com");
  }

  /** The absolute form of a domain (a trailing dot) is the same domain, so the same person. */
  @Test
  void aTrailingDotOnTheDomainIsTheSameAddress() {
    assertThat(EmailNormalizer.normalize("W1@A.test."))
        .isEqualTo(EmailNormalizer.normalize("w1@a.test"));
    assertThat(EmailNormalizer.normalize("j.a.n.e+x@gmail.com.")).contains("jane@gmail.com");
    assertThat(EmailNormalizer.normalize("jane@.")).isEmpty();
  }

  /**
   * The address first goes through the contact field's rule (ContactEmail.normalize): composed and
   * decomposed spellings, and no-break spaces around, are one key.
   */
  @Test
  void composedAndDecomposedSpellingsAndNoBreakSpacesAreOneKey() {
    assertThat(EmailNormalizer.normalize("Zoe\u0308+x@example.com"))
        .contains("zo\u00eb@example.com");
    assertThat(EmailNormalizer.normalize("\u00a0zo\u00eb@example.com\u202f"))
        .contains("zo\u00eb@example.com");
  }

  @Test
  void keepsDotsOutsideGmailAndRefusesNonAddresses() {
    assertThat(EmailNormalizer.normalize("a.b@example.com"))
        .isNotEqualTo(EmailNormalizer.normalize("ab@example.com"));
    assertThat(EmailNormalizer.normalize("nobody")).isEmpty();
    assertThat(EmailNormalizer.normalize("+tag@example.com")).isEmpty();
    assertThat(EmailNormalizer.normalize(null)).isEmpty();
  }
}
