package io.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.InvalidOptionsException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void parsesOnceIntoTypedValuesWithDefaults() {
    Settings s =
        Settings.parse(Map.of("channels", 3, "flushInterval", "250ms", "bytesPerSecond", "1MB"));
    assertThat(s.channels()).isEqualTo(3);
    assertThat(s.flushInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.bytesPerSecond()).hasValue(1L << 20);
    assertThat(s.recordsPerSecond()).isEmpty();
    assertThat(s.errorLimit()).isZero();
    assertThat(s.errorPercent()).isEmpty();
    assertThat(s.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(s.dirtyDataPath()).isEmpty();
    assertThat(s.raw()).containsOnlyKeys("channels", "flushInterval", "bytesPerSecond");
  }

  @Test
  void rejectsUnknownAndInvalidSettings() {
    assertThatThrownBy(() -> Settings.parse(Map.of("chanels", 2)))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("chanels");
    assertThatThrownBy(() -> Settings.parse(Map.of("zone", "Mars/Olympus")))
        .isInstanceOf(InvalidOptionsException.class);
  }

  @Test
  void aResumeLaysTheRunOverTheJobAndTheOverridesOverBoth() {
    Map<String, Object> job = Map.of("channels", 4, "flushInterval", "50ms", "errorLimit", 7);
    Map<String, Object> run = Map.of("channels", 2, "flushInterval", "20ms");
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("channels", 3);
    overrides.put("zone", null);
    assertThat(Settings.forResume(job, run, overrides))
        .isEqualTo(Map.of("channels", 3, "flushInterval", "20ms", "errorLimit", 7));
  }
}
