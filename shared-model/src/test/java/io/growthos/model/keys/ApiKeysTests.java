package io.growthos.model.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTests {

  @Test
  void generatedKeysHaveTheirTypePrefixAndAtLeast128RandomBits() {
    for (KeyType type : KeyType.values()) {
      String key = ApiKeys.generate(type);
      assertThat(key).startsWith(type.prefix());
      assertThat(ApiKeys.isWellFormed(type, key)).isTrue();
      // 32 base62 characters carry 32 * log2(62) ≈ 190 bits.
      assertThat(32 * Math.log(62) / Math.log(2)).isGreaterThan(128);
      assertThat(KeyType.ofKey(key)).contains(type);
    }
  }

  @Test
  void keysAreNotRepeated() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      keys.add(ApiKeys.generate(KeyType.SECRET));
    }
    assertThat(keys).hasSize(10_000);
  }

  @Test
  void hashIsStableSha256AndDiffersPerKey() {
    String a = ApiKeys.generate(KeyType.WRITE);
    String b = ApiKeys.generate(KeyType.WRITE);
    assertThat(ApiKeys.hash(a)).hasSize(32).isEqualTo(ApiKeys.hash(a));
    assertThat(ApiKeys.hash(a)).isNotEqualTo(ApiKeys.hash(b));
  }

  @Test
  void aKeyOfOneTypeIsNotWellFormedAsAnother() {
    String secret = ApiKeys.generate(KeyType.SECRET);
    assertThat(ApiKeys.isWellFormed(KeyType.WRITE, secret)).isFalse();
    assertThat(ApiKeys.isWellFormed(KeyType.SECRET, secret + "x")).isFalse();
    assertThat(
            ApiKeys.isWellFormed(
                KeyType.SECRET, secret.substring(0, 20) + "!" + secret.substring(21)))
        .isFalse();
    assertThat(KeyType.ofKey("sk_live_abc")).isEmpty();
  }

  @Test
  void listingsShowTheLastFourCharacters() {
    assertThat(ApiKeys.lastFour("gos_sk_abcdefgh")).isEqualTo("efgh");
  }
}
