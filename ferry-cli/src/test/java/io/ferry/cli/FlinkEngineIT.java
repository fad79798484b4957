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

  @Test
  void namesAFlinkMasterThatDoesNotAnswerOrIsNoAddress() throws Exception {
    Path job =
        Files.writeString(
            dir.resolve("x.yaml"),
            """
            source: {connector: datagen, rows: 1}
            sink: {connector: file, path: '%s'}
            """
                .formatted(dir.resolve("x.csv")));
    int port;
    try (java.net.ServerSocket free =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    String state = dir.resolve("state").toString();

    Cli.Result unreachable =
        Cli.ferry(
            "run",
            job.toString(),
            "--engine",
            "flink",
            "--flink-master",
            "127.0.0.1:" + port,
            "--state-dir",
            state);
    Cli.Result noAddress =
        Cli.ferry("run", job.toString(), "--engine", "flink", "--flink-master", "jobmanager");
    Cli.Result notFlink = Cli.ferry("run", job.toString(), "--flink-master", "127.0.0.1:" + port);

    assertThat(unreachable.exitCode()).as(unreachable.err()).isEqualTo(ExitCode.FAILED);
    assertThat(unreachable.err())
        .contains("flink.master-unreachable")
        .contains("no Flink session cluster answers at 127.0.0.1:" + port + " (--flink-master");
    assertThat(Cli.ferry("runs", "--state-dir", state).out()).doesNotContain("flink");
    assertThat(noAddress.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(noAddress.err())
        .contains("--flink-master must be the Flink cluster's REST address as host:port")
        .contains("'jobmanager'");
    assertThat(notFlink.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(notFlink.err()).contains("--flink-master needs --engine flink");
  }
}
