package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry run JOB --engine flink}: the job on a Flink mini cluster, reported as a local run.
 */
class FlinkEngineIT {
  @TempDir Path dir;

  @Test
  void runsTheJobOnFlinkWithTheSummaryAndTheRunRecordOfALocalRun() throws Exception {
    Path csv = dir.resolve("out/orders.csv");
    Path job =
        Files.writeString(
            dir.resolve("orders.yaml"),
            """
            source: {connector: datagen, rows: 20000, seed: 7}
            sink: {connector: file, path: '%s', format: csv, header: false}
            settings: {flushInterval: 500ms}
            """
                .formatted(csv));
    Path state = dir.resolve("state");

    Cli.Result result =
        Cli.ferry(
            "run",
            job.toString(),
            "--engine",
            "flink",
            "--channels",
            "2",
            "--state-dir",
            state.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(result.err()).contains("SUCCEEDED").containsPattern("Records written +20,000");
    List<Long> ids =
        Files.readAllLines(csv).stream()
            .map(l -> Long.parseLong(l.substring(0, l.indexOf(','))))
            .sorted()
            .toList();
    assertThat(ids).isEqualTo(LongStream.rangeClosed(1, 20000).boxed().toList());
    Cli.Result runs = Cli.ferry("runs", "--state-dir", state.toString());
    assertThat(runs.out()).contains("SUCCEEDED").contains("20,000");
  }

  @Test
  void refusesAnUnknownEngine() throws Exception {
    Path job =
        Files.writeString(
            dir.resolve("x.yaml"),
            """
            source: {connector: datagen, rows: 1}
            sink: {connector: file, path: '%s'}
            """
                .formatted(dir.resolve("x.csv")));

    Cli.Result result = Cli.ferry("run", job.toString(), "--engine", "spark");

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.err()).contains("--engine must be local or flink, not 'spark'");
  }
}
