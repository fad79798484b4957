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

  private static JobSpec job(String source, String sink, String settings) {
    return JobSpecLoader.parse(
        """
        source: {connector: memory, rows: 10, %s}
        sink: {connector: memory, table: t, %s}
        settings: {%s}
        """
            .formatted(source, sink, settings),
        false,
        null,
        "aliases",
        Map.of());
  }

  @Test
  void theConnectorsRetryOptionsAreDeprecatedAliasesOfTheJobSetting() {
    Settings fromConnectors =
        Settings.parse(
            PreparedJob.withConnectorRetries(
                job("maxRetries: 2, retryBackoff: 3s", "retries: 5, retryBackoff: 200ms", "")));
    // The larger of the two sides applies.
    assertThat(fromConnectors.maxRetries()).isEqualTo(5);
    assertThat(fromConnectors.retryBackoff()).isEqualTo(Duration.ofSeconds(3));

    Settings settingsWin =
        Settings.parse(
            PreparedJob.withConnectorRetries(
                job("maxRetries: 2", "retryBackoff: 200ms", "maxRetries: 0, retryBackoff: 1s")));
    assertThat(settingsWin.maxRetries()).isZero();
    assertThat(settingsWin.retryBackoff()).isEqualTo(Duration.ofSeconds(1));

    Settings defaults = Settings.parse(PreparedJob.withConnectorRetries(job("", "", "")));
    assertThat(defaults.maxRetries()).isEqualTo(3);
    assertThat(defaults.retryBackoff()).isEqualTo(Duration.ofSeconds(1));
  }
}
