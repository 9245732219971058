package io.growthos.ingest.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.growthos.model.errors.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightBudgetTests {

  private final InFlightBudget budget = new InFlightBudget(1000, Duration.ofMillis(1500));

  @Test
  void refusesAChargeThatDoesNotFitWith503OverloadedAndRetryAfter() {
    InFlightBudget.Reservation first = budget.open();
    first.charge(900);

    InFlightBudget.Reservation second = budget.open();
    assertThatThrownBy(() -> second.charge(101))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code().code()).isEqualTo("overloaded");
              assertThat(e.headers()).containsEntry("Retry-After", "2");
            });
    second.charge(100);
    assertThat(budget.used()).isEqualTo(1000);
  }

  @Test
  void aRefusedChargeKeepsWhatTheReservationHeldAndCloseGivesItAllBack() {
    InFlightBudget.Reservation r = budget.open();
    r.charge(400);
    r.charge(500);
    assertThatThrownBy(() -> r.charge(200)).isInstanceOf(ApiException.class);
    assertThat(r.held()).isEqualTo(900);
    assertThat(budget.used()).isEqualTo(900);

    r.close();

    assertThat(budget.used()).isZero();
  }

  @Test
  void closingTwiceGivesBackOnce() {
    InFlightBudget.Reservation a = budget.open();
    InFlightBudget.Reservation b = budget.open();
    a.charge(300);
    b.charge(200);

    a.close();
    a.close();

    assertThat(budget.used()).isEqualTo(200);
  }

  @Test
  void aChargeAfterCloseIsRefusedAndHoldsNothing() {
    InFlightBudget.Reservation r = budget.open();
    r.close();

    assertThatThrownBy(() -> r.charge(1)).isInstanceOf(ApiException.class);
    assertThat(budget.used()).isZero();
  }

  @Test
  void neverExceedsTheCapacityAndReturnsToZeroUnderConcurrency() throws Exception {
    InFlightBudget shared = new InFlightBudget(10_000, Duration.ofSeconds(1));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> tasks = new ArrayList<>();
    try {
      for (int t = 0; t < 8; t++) {
        tasks.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 20_000; i++) {
                    try (InFlightBudget.Reservation r = shared.open()) {
                      r.charge(700);
                      r.charge(600);
                      assertThat(shared.used()).isLessThanOrEqualTo(10_000);
                    } catch (ApiException refused) {
                      // full: the reservation still gives back what it held
                    }
                  }
                }));
      }
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(shared.used()).isZero();
  }

  @Test
  void rejectsANonPositiveCapacity() {
    assertThatThrownBy(() -> new InFlightBudget(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
