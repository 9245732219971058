package io.growthos.model.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTests {

  @Test
  void idsCarryTheirTypePrefixAndAFixedLength() {
    String id = Ids.next(IdPrefix.CONTACT);
    assertThat(id).startsWith("cntct_").hasSize("cntct_".length() + 23);
    assertThat(Ids.isWellFormed(IdPrefix.CONTACT, id)).isTrue();
    assertThat(Ids.isWellFormed(IdPrefix.EVENT, id)).isFalse();
  }

  @Test
  void idsCreatedLaterSortAfterEarlierOnesAsPlainBytes() {
    List<String> ids = new ArrayList<>();
    long t = 1_700_000_000_000L;
    for (int i = 0; i < 1_000; i++) {
      ids.add(Ids.next(IdPrefix.EVENT, t + i * 7L));
    }
    List<String> sorted = new ArrayList<>(ids);
    sorted.sort(String::compareTo);
    assertThat(sorted).containsExactlyElementsOf(ids);
  }

  @Test
  void idsOfTheSameMillisecondDoNotCollide() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(Ids.next(IdPrefix.EVENT, 1_700_000_000_000L));
    }
    assertThat(seen).hasSize(100_000);
  }

  @Test
  void rejectsIdsOfAnotherShape() {
    assertThat(Ids.isWellFormed(IdPrefix.CONTACT, null)).isFalse();
    assertThat(Ids.isWellFormed(IdPrefix.CONTACT, "cntct_123")).isFalse();
    assertThat(Ids.isWellFormed(IdPrefix.CONTACT, "cntct_0000000000000000000000!")).isFalse();
    assertThat(Ids.isWellFormed(IdPrefix.CONTACT, "42")).isFalse();
  }
}
