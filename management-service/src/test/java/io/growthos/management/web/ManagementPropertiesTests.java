package io.growthos.management.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Management API's settings refuse what would break it, naming the variable to fix. */
class ManagementPropertiesTests {

  private static ManagementProperties withSecret(String secret) {
    return new ManagementProperties(secret, Duration.ofHours(24), Duration.ofSeconds(60));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "x", "fifteen-chars!!"})
  void aBlankOrShortCursorSecretStopsTheStartNamingTheVariable(String secret) {
    assertThatThrownBy(() -> withSecret(secret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GROWTHOS_MANAGEMENT_CURSOR_SECRET")
        .hasMessageContaining("at least 16 characters");
  }

  @Test
  void aSecretOfSixteenCharactersAndTheDevelopmentValueAreTaken() {
    assertThat(withSecret("sixteen-chars!!!").cursorSecret()).hasSize(16);
    assertThat(withSecret(ManagementProperties.DEV_CURSOR_SECRET).usesDevCursorSecret()).isTrue();
  }
}
