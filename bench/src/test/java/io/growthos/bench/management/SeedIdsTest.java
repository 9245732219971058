package io.growthos.bench.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.growthos.model.ids.IdPrefix;
import io.growthos.model.ids.Ids;
import org.junit.jupiter.api.Test;

class SeedIdsTest {

  @Test
  void seededIdsHaveTheApplicationsFormat() {
    String id = new SeedIds(1).at(IdPrefix.CONTACT, System.currentTimeMillis());

    assertThat(Ids.isWellFormed(IdPrefix.CONTACT, id)).isTrue();
  }

  @Test
  void seededIdsSortByTheirTimeLikeTheApplicationsOwn() {
    SeedIds ids = new SeedIds(1);
    long now = System.currentTimeMillis();

    String earlier = ids.at(IdPrefix.CONTACT, now - 1);
    String later = ids.at(IdPrefix.CONTACT, now);
    String live = Ids.next(IdPrefix.CONTACT);

    assertThat(earlier).isLessThan(later);
    // The same time part as Ids.next for the same millisecond: both kinds interleave by time.
    assertThat(ids.at(IdPrefix.CONTACT, now + 10_000)).isGreaterThan(live);
    assertThat(later.substring(0, 15)).isLessThanOrEqualTo(live.substring(0, 15));
  }
}
