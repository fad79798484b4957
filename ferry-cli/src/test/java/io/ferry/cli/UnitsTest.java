package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void countsAreGroupedWhateverTheLocale() {
    assertThat(Units.count(0)).isEqualTo("0");
    assertThat(Units.count(10_000_000)).isEqualTo("10,000,000");
    assertThat(Units.rowRate(1234.6)).isEqualTo("1,235 rows/s");
  }

  @Test
  void sizesAreMegabytesOfPowersOf1024() {
    assertThat(Units.megabytes(1024 * 1024 * 1.5)).isEqualTo("1.5 MB");
    assertThat(Units.byteRate(0)).isEqualTo("0.0 MB/s");
  }

  @Test
  void durationsGrowUnitsAsTheyGrow() {
    assertThat(Units.duration(Duration.ofMillis(850))).isEqualTo("850ms");
    assertThat(Units.duration(Duration.ofMillis(12_345))).isEqualTo("12.3s");
    assertThat(Units.duration(Duration.ofSeconds(245))).isEqualTo("4m 05s");
    assertThat(Units.duration(Duration.ofSeconds(7385))).isEqualTo("2h 03m 05s");
    assertThat(Units.clock(Duration.ofSeconds(5))).isEqualTo("0:05");
    assertThat(Units.clock(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
  }
}
