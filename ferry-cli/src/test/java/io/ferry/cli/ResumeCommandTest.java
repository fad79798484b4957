package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobRun;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import io.ferry.engine.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeCommandTest {
  @TempDir Path dir;

  private Engine engine() {
    return new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state());
  }

  private Path state() {
    return dir.resolve("state");
  }

  private JobRun startPaced(String sink) throws Exception {
    Path job =
        Files.writeString(
            dir.resolve("paced-" + Math.abs(sink.hashCode()) + ".yaml"),
            """
            source: {connector: datagen, rows: 40000, rowsPerSecond: 20000, batchSize: 100}
            sink: %s
            settings: {channels: 2, flushInterval: 50ms}
            """
                .formatted(sink));
    JobRun run = engine().start(JobSpecLoader.load(job, Map.of()));
    while (run.progress().recordsWritten() < 1000) {
      Thread.sleep(10);
    }
    return run;
  }

  @Test
  void runsListsAPausedRunAndResumeFinishesIt() throws Exception {
    JobRun run = startPaced("{connector: blackhole}");
    run.pause();
    RunResult paused = run.await();
    assertThat(paused.state()).isEqualTo(RunState.PAUSED);
    long before = paused.progress().recordsWritten();
    assertThat(before).isBetween(1000L, 39_999L);

    Cli.Result runs = Cli.ferry("runs", "--state-dir", state().toString());
    assertThat(runs.exitCode()).isZero();
    assertThat(runs.out())
        .contains(run.runKey())
        .contains("PAUSED")
        .contains("ferry resume " + run.runKey());

    Cli.Result resumed =
        Cli.ferry("resume", run.runKey(), "--state-dir", state().toString(), "--channels", "1");
    assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(resumed.err())
        .contains("Resuming run " + run.runKey())
        .contains("SUCCEEDED")
        // Rows before the checkpoint are counted once, the rest are read after it.
        .containsPattern("Records written +40,000");

    Cli.Result again = Cli.ferry("resume", run.runKey(), "--state-dir", state().toString());
    assertThat(again.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(again.err()).contains("is SUCCEEDED; only a paused or interrupted run resumes");
  }

  @Test
  void aRunIntoASinkThatCannotContinueStopsInsteadOfPausing() throws Exception {
    JobRun run = startPaced("{connector: console, maxRows: 3}");
    assertThat(run.pausable()).isFalse();
    run.pause();
    assertThat(run.await().state()).isEqualTo(RunState.STOPPED);

    Cli.Result resumed = Cli.ferry("resume", run.runKey(), "--state-dir", state().toString());
    assertThat(resumed.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(resumed.err()).contains("is STOPPED");
  }

  @Test
  void aPausedRunIntoAFileResumesWithEveryRowOnce() throws Exception {
    Path out = dir.resolve("out.csv");
    JobRun run = startPaced("{connector: file, path: '" + out + "'}");
    assertThat(run.pausable()).isTrue();
    run.pause();
    assertThat(run.await().state()).isEqualTo(RunState.PAUSED);
    assertThat(out).doesNotExist();

    Cli.Result resumed = Cli.ferry("resume", run.runKey(), "--state-dir", state().toString());
    assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(ExitCode.SUCCEEDED);
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).startsWith("id,");
    List<String> ids = lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList();
    assertThat(ids).hasSize(40_000).doesNotHaveDuplicates();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith(".out"));
    }
  }

  /**
   * ferry resume and the server's way (a job supplied to Engine.resume) give a run the same
   * settings after its job file was edited: the file's under the run's under the overrides.
   */
  @Test
  void anEditedJobFileChangesNoSettingOfARunButOnesItGained() throws Exception {
    Path job = dir.resolve("edited.yaml");
    String text =
        """
        source: {connector: datagen, rows: 40000, rowsPerSecond: 20000, batchSize: 100}
        sink: {connector: blackhole}
        settings: {channels: 2, flushInterval: 50ms}
        """;
    Files.writeString(job, text);
    String[] keys = new String[2];
    for (int i = 0; i < 2; i++) {
      JobRun run = engine().start(JobSpecLoader.load(job, Map.of()));
      while (run.progress().recordsWritten() < 1000) {
        Thread.sleep(10);
      }
      run.pause();
      assertThat(run.await().state()).isEqualTo(RunState.PAUSED);
      keys[i] = run.runKey();
    }
    Files.writeString(
        job,
        text.replace(
            "{channels: 2, flushInterval: 50ms}",
            "{channels: 4, flushInterval: 70ms, errorLimit: 9}"));

    Cli.Result resumed =
        Cli.ferry("resume", keys[0], "--state-dir", state().toString(), "--channels", "1");
    assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(ExitCode.SUCCEEDED);
    JobRun server =
        engine().resume(keys[1], JobSpecLoader.load(job, Map.of()), Map.of("channels", 1));
    assertThat(server.await().state()).isEqualTo(RunState.SUCCEEDED);

    Map<String, Object> byCli = engine().runOf(keys[0]).orElseThrow().settings();
    Map<String, Object> byServer = engine().runOf(keys[1]).orElseThrow().settings();
    assertThat(byCli).isEqualTo(byServer);
    assertThat(Settings.parse(byCli).channels()).isEqualTo(1);
    assertThat(Settings.parse(byCli).flushInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(Settings.parse(byCli).errorLimit()).isEqualTo(9);
  }

  @Test
  void resumingAnUnknownRunSaysSo() {
    Cli.Result result = Cli.ferry("resume", "no-such-run", "--state-dir", state().toString());
    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.err()).contains("cannot resume no-such-run: there is no run 'no-such-run'");
    assertThat(Cli.ferry("runs", "--state-dir", dir.resolve("empty").toString()).out())
        .contains("No runs.");
  }
}
