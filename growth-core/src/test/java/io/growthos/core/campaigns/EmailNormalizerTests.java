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

  @Test
  void keepsDotsOutsideGmailAndRefusesNonAddresses() {
    assertThat(EmailNormalizer.normalize("a.b@example.com"))
        .isNotEqualTo(EmailNormalizer.normalize("ab@example.com"));
    assertThat(EmailNormalizer.normalize("nobody")).isEmpty();
    assertThat(EmailNormalizer.normalize("+tag@example.com")).isEmpty();
    assertThat(EmailNormalizer.normalize(null)).isEmpty();
  }
}
