package io.growthos.core.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WaitlistRanksTests {

  @Test
  void scoreIsSignupOrderMinusSpotsPerQualifiedReferral() {
    assertThat(WaitlistRanks.score(100, 5, 3)).isEqualTo(85);
    assertThat(WaitlistRanks.score(2, 10, 1)).isEqualTo(-8);
    assertThat(WaitlistRanks.score(1, Long.MAX_VALUE, 2)).isEqualTo(WaitlistRanks.MIN_SCORE);
  }

  @Test
  void treeCountsMatchBruteForceRanks() {
    Random random = new Random(7);
    Map<Long, Long> tree = new HashMap<>();
    List<Long> scores = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      long score = random.nextInt(4_000) - 2_000;
      scores.add(score);
      for (long node : WaitlistRanks.updateNodes(score)) {
        tree.merge(node, 1L, Long::sum);
      }
    }
    // Remove a few, as admission does.
    for (int i = 0; i < 300; i++) {
      long score = scores.remove(random.nextInt(scores.size()));
      for (long node : WaitlistRanks.updateNodes(score)) {
        tree.merge(node, -1L, Long::sum);
      }
    }
    assertThat(tree.get(WaitlistRanks.ROOT)).isEqualTo((long) scores.size());
    for (int probe = -2_100; probe <= 2_100; probe += 37) {
      long p = probe;
      long expected = scores.stream().filter(s -> s < p).count();
      long sum = 0;
      for (long node : WaitlistRanks.prefixNodesBelow(p)) {
        sum += tree.getOrDefault(node, 0L);
      }
      assertThat(sum).as("below %d", p).isEqualTo(expected);
      assertThat(WaitlistRanks.prefixNodesBelow(p).length)
          .isLessThanOrEqualTo(WaitlistRanks.LEVELS);
    }
  }
}
