package io.ferry.server.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FerryPropertiesTest {
  private static FerryProperties withLease(Duration lease) {
    return new FerryProperties(
        Path.of("data"), null, null, null, lease, null, null, null, null, null, null, null);
  }

  @Test
  void theLeaseDefaultsToThirtySeconds() {
    assertThat(withLease(null).lease()).isEqualTo(Duration.ofSeconds(30));
  }

  /**
   * A run's write fence lets a target transaction idle for a quarter of the lease, at least 1 s.
   */
  @Test
  void aLeaseShorterThanFourSecondsIsRefusedNamingTheSetting() {
    assertThat(withLease(Duration.ofSeconds(4)).lease()).isEqualTo(Duration.ofSeconds(4));
    assertThatThrownBy(() -> withLease(Duration.ofSeconds(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ferry.lease is PT3S; it must be at least PT4S");
  }

  private static FerryProperties node(Boolean worker, String group) {
    return new FerryProperties(
        Path.of("data"), null, null, null, null, null, null, null, null, null, worker, group);
  }

  @Test
  void aServerIsInTheDefaultGroupAndOnlyAWorkerJoinsAnother() {
    assertThat(node(null, null).worker()).isFalse();
    assertThat(node(null, null).group()).isEqualTo("default");
    assertThat(node(true, " etl ").group()).isEqualTo("etl");
    assertThat(node(true, null).group()).isEqualTo("default");
    assertThatThrownBy(() -> node(false, "etl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ferry.group is etl; only a worker (--worker) joins a group other than default");
  }
}
