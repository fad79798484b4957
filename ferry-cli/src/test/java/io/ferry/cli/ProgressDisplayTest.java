package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.engine.Progress;
import io.ferry.engine.RowCounts;
import io.ferry.engine.RunState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
  @Test
  void terminalLineShowsBarPercentRowsRatesAndEta() {
    // 3,750,000 of 10,000,000 rows in 3 s: 1,250,000 rows/s on average, 5 s left.
    Progress p = progress(RunState.RUNNING, 3_750_000, 10_000_000, Duration.ofSeconds(3), 0);

    assertThat(ProgressDisplay.line(p, true))
        .isEqualTo(
            "[######----------]   37.5%  3,750,000 rows  1,200,000 rows/s  96.0 MB/s  ETA 0:05");
  }

  @Test
  void unknownTotalShowsNoBarAndNoEta() {
    Progress p = progress(RunState.RUNNING, 42, -1, Duration.ofSeconds(3), 2);

    assertThat(ProgressDisplay.line(p, true))
        .isEqualTo("42 rows  1,200,000 rows/s  96.0 MB/s  2 dirty");
  }

  @Test
  void aCdcRunShowsItsPhaseChangesLagAndPosition() {
    Progress p = progress(RunState.RUNNING, 42, -1, Duration.ofSeconds(3), 0);
    io.ferry.spi.Position at = new io.ferry.spi.Position(1, new byte[] {1}, "binlog.000042:1234");
    io.ferry.engine.ChangeProgress streaming =
        new io.ferry.engine.ChangeProgress(
            io.ferry.engine.ChangeProgress.Phase.STREAMING,
            at,
            Duration.ofMillis(400),
            List.of(
                new io.ferry.engine.ChangeProgress.TableProgress(
                    "shop.orders",
                    io.ferry.engine.SplitProgress.State.DONE,
                    10,
                    100,
                    1204,
                    310,
                    12,
                    Duration.ofMillis(400))));
    Progress cdc =
        new Progress(
            p.runKey(),
            p.state(),
            p.startedAt(),
            p.elapsed(),
            p.counts(),
            p.committed(),
            p.estimatedRecords(),
            1,
            1,
            0,
            0,
            Duration.ZERO,
            Duration.ZERO,
            List.of(),
            streaming);

    assertThat(ProgressDisplay.line(cdc, true))
        .isEqualTo("streaming  +1,204 ~310 -12  lag 0.4 s  at binlog.000042:1234");
  }

  @Test
  void terminalDisplayRedrawsOneLineAndEndsIt() {
    StringWriter err = new StringWriter();
    ProgressDisplay display = ProgressDisplay.create(new PrintWriter(err), true);

    display.progress(null, progress(RunState.RUNNING, 1, 4, Duration.ofSeconds(1), 0));
    display.progress(null, progress(RunState.RUNNING, 2, 4, Duration.ofSeconds(2), 0));
    display.finish();

    assertThat(err.toString())
        .startsWith("\r[####------------]   25.0%")
        .contains("\u001b[K\r[########--------]   50.0%")
        .endsWith("\u001b[K" + System.lineSeparator())
        .doesNotContain("\n\r");
  }

  @Test
  void plainDisplayPrintsALineEveryFewSecondsAndLeavesTheEndToTheSummary() {
    StringWriter err = new StringWriter();
    ProgressDisplay display = ProgressDisplay.create(new PrintWriter(err), false);

    for (int second = 1; second <= 12; second++) {
      display.progress(
          null, progress(RunState.RUNNING, second, 100, Duration.ofSeconds(second), 0));
    }
    display.progress(null, progress(RunState.SUCCEEDED, 100, 100, Duration.ofSeconds(13), 0));
    display.finish();

    assertThat(err.toString().lines())
        .hasSize(2)
        .allMatch(line -> line.startsWith("ferry:  ") && !line.contains("\u001b"))
        .anyMatch(line -> line.contains("5 rows") && line.endsWith("elapsed 5.0s"))
        .anyMatch(line -> line.contains("10 rows") && line.endsWith("elapsed 10.0s"));
  }

  private static Progress progress(
      RunState state, long written, long estimated, Duration elapsed, long dirty) {
    RowCounts counts = new RowCounts(written, written, written * 80, written * 80, 0, 0, dirty, 0);
    return new Progress(
        "job-1",
        state,
        Instant.EPOCH,
        elapsed,
        counts,
        counts,
        estimated,
        estimated > 0 ? 4 : 0,
        estimated > 0 ? 1 : 0,
        1_200_000,
        96.0 * 1024 * 1024,
        Duration.ZERO,
        Duration.ZERO,
        List.of(),
        null);
  }
}
