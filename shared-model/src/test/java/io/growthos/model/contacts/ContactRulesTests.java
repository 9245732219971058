package io.growthos.model.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import io.growthos.testsupport.contacts.ContactRuleCases;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** The contact rules as plain code: the shared table of cases, applied to the entity itself. */
class ContactRulesTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * What a service does per call, minus the database: merge the traits, then let the email trait
   * set the field unless another contact holds the address.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("io.growthos.testsupport.contacts.ContactRuleCases#all")
  void contactFollowsTheSharedRules(ContactRuleCases c) {
    Contact contact = new Contact("ws_test", "u1");
    int version = 1;
    for (int i = 0; i < c.steps().size(); i++) {
      TraitPatch patch = TraitPatch.fromJson(c.steps().get(i));
      if (c.refused().contains(i)) {
        assertThatThrownBy(() -> contact.mergeTraits(patch))
            .isInstanceOfSatisfying(
                ApiException.class,
                e -> {
                  assertThat(e.details().get(0).field()).isEqualTo("traits");
                  assertThat(e.details().get(0).reason()).isEqualTo("too_large");
                });
        continue;
      }
      boolean changed = contact.mergeTraits(patch);
      String candidate = patch.emailCandidate();
      if (candidate != null && !ContactEmail.sameAddress(candidate, c.otherContactEmail())) {
        changed |= contact.changeEmail(candidate);
      }
      if (i > 0 && changed) {
        version++;
      }
    }
    assertThat(JSON.readTree(contact.getTraits().toJson())).isEqualTo(JSON.readTree(c.traits()));
    assertThat(contact.getEmail()).isEqualTo(c.email());
    assertThat(version).isEqualTo(c.version());
  }

  @Test
  void nullRemovesOnlyAtTheTopLevel() {
    TraitPatch patch = TraitPatch.fromJson("{\"a\":null,\"b\":{\"c\":null},\"d\":[null]}");
    assertThat(patch.removed()).containsExactly("a");
    assertThat(patch.set()).containsOnlyKeys("b", "d");
    assertThat(patch.setJson()).isEqualTo("{\"b\":{\"c\":null},\"d\":[null]}");
    assertThat(patch.removedArray()).containsExactly("a");
  }

  @Test
  void traitsKeepNumbersDigitForDigit() {
    String json = "{\"big\":12345678901234567890,\"ratio\":0.1000000000000000055511151231257827}";
    Traits traits = Traits.fromJson(json);
    assertThat(traits.get("big")).isEqualTo(new BigInteger("12345678901234567890"));
    assertThat(traits.get("ratio"))
        .isEqualTo(new BigDecimal("0.1000000000000000055511151231257827"));
    assertThat(traits.toJson()).isEqualTo(json);
  }

  @Test
  void applyingNoChangeReturnsTheSameTraits() {
    Traits traits = Traits.of(Map.of("a", 1));
    assertThat(traits.apply(TraitPatch.EMPTY)).isSameAs(traits);
    assertThat(traits.apply(TraitPatch.of(Map.of("a", 1)))).isSameAs(traits);
  }

  @Test
  void unchangedContactIsNotTouched() {
    Contact contact = new Contact("ws_test", null);
    contact.mergeTraits(TraitPatch.of(Map.of("a", 1)));
    var updated = contact.getUpdatedAt();
    assertThat(contact.mergeTraits(TraitPatch.of(Map.of("a", 1)))).isFalse();
    assertThat(contact.changeEmail(null)).isFalse();
    assertThat(contact.getUpdatedAt()).isEqualTo(updated);
  }

  @Test
  void emailIsTrimmedAndComparedWithoutCase() {
    assertThat(ContactEmail.normalize("  Ada@Example.com ")).isEqualTo("Ada@Example.com");
    assertThat(ContactEmail.normalize("   ")).isNull();
    assertThat(ContactEmail.sameAddress("Ada@Example.com", "ada@example.COM")).isTrue();
    assertThat(ContactEmail.fromTrait("ada@example.com")).isEqualTo("ada@example.com");
    assertThat(ContactEmail.fromTrait(42)).isNull();
    assertThat(ContactEmail.fromTrait("@example.com")).isNull();
    assertThat(ContactEmail.fromTrait("ada@")).isNull();
    assertThat(ContactEmail.fromTrait("a b@example.com")).isNull();
    assertThat(ContactEmail.fromTrait("a".repeat(320) + "@x")).isNull();
  }

  @Test
  void patchRefusesNullValuesInItsSetPart() {
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("a", null);
    assertThatThrownBy(() -> new TraitPatch(withNull, java.util.Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
