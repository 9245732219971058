package io.growthos.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CpuMeterTest {

  @Test
  void readsUserAndSystemTimeEvenWhenTheCommandNameHasSpacesAndParentheses() {
    String stat =
        "4242 (java (bench) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 40 0"
            + " 100 0 0";

    assertThat(CpuMeter.parseProcessTicks(stat)).isEqualTo(1234 + 567);
  }

  @Test
  void countsEverythingButIdleAndIowaitAsBusy() {
    String cpu = "cpu  100 5 50 1000 40 3 2 1 0 0";

    assertThat(CpuMeter.parseMachineBusyTicks(cpu)).isEqualTo(100 + 5 + 50 + 3 + 2 + 1);
  }

  @Test
  void convertsTicksBetweenSamplesIntoCoresUsed() {
    CpuMeter.Sample from = new CpuMeter.Sample(0, 0, 100, -1, 0);
    CpuMeter.Sample to = new CpuMeter.Sample(2_000_000_000L, 150, 300, -1, 380);

    CpuUse use = CpuMeter.between(from, to);

    assertThat(use.bench()).isCloseTo(0.75, within(1e-9));
    assertThat(use.service()).isCloseTo(1.0, within(1e-9));
    assertThat(use.postgres()).isNaN();
    assertThat(use.machine()).isCloseTo(1.9, within(1e-9));
    assertThat(use.others()).isCloseTo(0.15, within(1e-9));
  }

  @Test
  void thisProcessCanBeMeasuredOnLinux() {
    CpuMeter meter = new CpuMeter(() -> -1, () -> -1);

    CpuMeter.Sample s = meter.sample();

    if (System.getProperty("os.name").toLowerCase().contains("linux")) {
      assertThat(s.bench()).isPositive();
      assertThat(s.service()).isEqualTo(-1);
    }
  }
}
