package io.ferry.server.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ferry.server.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpeedHistoryTest {
  private static final long START = 1_700_000_000_000L;

  @Test
  void aShortRunKeepsOnePointPerSecond() {
    SpeedHistory h = new SpeedHistory();
    for (int s = 0; s < 10; s++) {
      h.add(START + s * 1000L, 100 * s, 1000 * s);
    }
    List<SpeedHistory.Point> points = h.points();
    assertThat(points).hasSize(10);
    assertThat(points.get(3)).isEqualTo(new SpeedHistory.Point(START + 3000, 300, 3000));
  }

  @Test
  void aLongRunStaysWithinTheBoundAndKeepsItsWholeSpanAndShape() {
    SpeedHistory h = new SpeedHistory();
    int seconds = 10 * 3600; // ten hours: 36,000 samples
    for (int s = 0; s < seconds; s++) {
      // fast for the first half, slow for the second
      h.add(START + s * 1000L, s < seconds / 2 ? 5000 : 1000, 0);
    }
    List<SpeedHistory.Point> points = h.points();
    assertThat(points.size()).isBetween(SpeedHistory.MAX / 2, SpeedHistory.MAX);
    assertThat(points.get(0).at()).isEqualTo(START);
    assertThat(points.get(points.size() - 1).at())
        .isGreaterThan(START + (seconds - 2L * h.samplesPerPoint()) * 1000L);
    // evenly spaced
    long step = points.get(1).at() - points.get(0).at();
    assertThat(step).isEqualTo(h.samplesPerPoint() * 1000L);
    for (int i = 1; i < points.size() - 1; i++) {
      assertThat(points.get(i).at() - points.get(i - 1).at()).isEqualTo(step);
    }
    // the shape: fast, then slow; the averages stay the rates measured
    assertThat(points.get(1).recordsPerSecond()).isEqualTo(5000);
    assertThat(points.get(points.size() - 2).recordsPerSecond()).isEqualTo(1000);
    double mean =
        points.stream().mapToDouble(SpeedHistory.Point::recordsPerSecond).average().orElse(0);
    assertThat(mean).isCloseTo(3000, within(100.0));
  }

  @Test
  void itReadsBackWhatItWroteAndContinuesFromThere() {
    SpeedHistory h = new SpeedHistory();
    for (int s = 0; s < 1000; s++) {
      h.add(START + s * 1000L, s, 2.0 * s);
    }
    Map<String, Object> json = h.toJson();
    // as the metadata store gives it back: numbers of whatever width
    Map<String, Object> stored =
        TestServer.JSON.convertValue(
            json, new com.fasterxml.jackson.core.type.TypeReference<>() {});
    SpeedHistory read = SpeedHistory.fromJson(stored);
    assertThat(read.points()).isEqualTo(h.points());
    assertThat(read.samplesPerPoint()).isEqualTo(h.samplesPerPoint());
    read.add(START + 5_000_000L, 7, 14);
    assertThat(read.points().get(read.points().size() - 1))
        .isEqualTo(new SpeedHistory.Point(START + 5_000_000L, 7, 14));
  }

  @Test
  void reportsThatComeALittleEarlyStillMakeOnePointEach() {
    SpeedHistory h = new SpeedHistory();
    long[] at = {0, 990, 1_985, 2_970, 4_000}; // a busy machine's "every second"
    for (long t : at) {
      h.add(START + t, 100, 0);
    }
    assertThat(h.points()).hasSize(5);
  }

  @Test
  void nothingSavedReadsAsAnEmptyHistory() {
    assertThat(SpeedHistory.fromJson(null).points()).isEmpty();
    assertThat(SpeedHistory.fromJson("garbage").points()).isEmpty();
    assertThat(SpeedHistory.fromJson(Map.of("points", List.of(List.of("x")))).points()).isEmpty();
  }
}
