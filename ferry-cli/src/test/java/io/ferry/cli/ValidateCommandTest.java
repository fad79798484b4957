package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir Path dir;

  @Test
  void validJobPrintsOkAndExitsZero() throws IOException {
    Path job =
        Files.writeString(
            dir.resolve("ok.yaml"),
            """
            source: {connector: datagen, rows: 10}
            sink: {connector: file, path: '%s'}
            """
                .formatted(dir.resolve("out.csv")));

    Cli.Result result = Cli.ferry("validate", job.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("OK: " + job + System.lineSeparator());
    assertThat(dir.resolve("out.csv")).doesNotExist();
  }

  @Test
  void liveCheckFindsWhatOfflineCannot() throws IOException {
    Path existing = Files.writeString(dir.resolve("existing.csv"), "id\n1\n");
    Path job =
        Files.writeString(
            dir.resolve("exists.yaml"),
            """
            source: {connector: datagen, rows: 10}
            sink: {connector: file, path: '%s'}
            """
                .formatted(existing));

    assertThat(Cli.ferry("validate", "--offline", job.toString()).exitCode()).isZero();
    Cli.Result live = Cli.ferry("validate", job.toString());

    assertThat(live.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(live.errLines()).singleElement().asString().startsWith(job + ": sink.path: ");
    assertThat(existing).hasContent("id\n1");
  }

  @Test
  void problemsAreListedOnePerLineWithParamsApplied() throws IOException {
    Path job =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
            source: {connector: datagen, rows: '${rows}', seed: x}
            sink: {connector: console, format: csv}
            """);

    Cli.Result result = Cli.ferry("validate", job.toString(), "--param", "rows=-1", "--offline");

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.out()).isEmpty();
    assertThat(result.errLines())
        .hasSize(3)
        .anySatisfy(line -> assertThat(line).startsWith(job + ": source.rows: ").contains("-1"))
        .anySatisfy(line -> assertThat(line).startsWith(job + ": source.seed: ").contains("'x'"))
        .anySatisfy(line -> assertThat(line).startsWith(job + ": sink.format: ").contains("csv"));
  }

  /**
   * A connector that refuses its options only when the source or sink is created (here a datagen
   * sequence that cannot fit the row count) makes a job error, exit 2 naming the option, as the
   * option declarations' own checks do; not the generic failure.
   */
  @Test
  void optionsRefusedWhenTheSourceIsCreatedAreJobProblems() throws IOException {
    Path job =
        Files.writeString(
            dir.resolve("refused.yaml"),
            """
            source:
              connector: datagen
              rows: 1000
              columns:
                - {name: id, type: int8, kind: sequence}
            sink: {connector: blackhole}
            """);

    Cli.Result result = Cli.ferry("validate", "--offline", job.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.INVALID);
    assertThat(result.errLines())
        .singleElement()
        .asString()
        .startsWith(job + ": source.columns: columns[0] (id): ");
  }

  /**
   * YAML 1.1 reads off, no, on and yes as booleans: {@code bulkLoad: off} must reach the
   * enumeration as the word the user wrote, and a text option keep its text.
   */
  @Test
  void yamlBooleanWordsReachEnumerationsAsWritten() throws IOException {
    Path job =
        Files.writeString(
            dir.resolve("off.yaml"),
            """
            source: {connector: datagen, rows: 10}
            sink:
              connector: mysql
              host: 127.0.0.1
              database: ferry
              table: t
              user: root
              bulkLoad: off
              createTable: yes
            """);

    Cli.Result result = Cli.ferry("validate", "--offline", job.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
  }
}
