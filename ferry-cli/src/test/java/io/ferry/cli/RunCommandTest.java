package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  @TempDir Path dir;

  @Test
  void datagenToCsvWritesEveryGeneratedRowAndExitsZero() throws IOException {
    Path csv = dir.resolve("out/orders.csv");
    Path job =
        write(
            "orders.yaml",
            """
            source: {connector: datagen, rows: 5000, seed: 7}
            sink: {connector: file, path: '%s', format: csv}
            """
                .formatted(csv));

    Cli.Result result = ferry("run", job.toString(), "--channels", "3");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.SUCCEEDED);
    assertThat(result.err()).contains("SUCCEEDED").containsPattern("Records written +5,000");
    assertThat(result.out()).isEmpty();
    List<CSVRecord> rows = readCsv(csv);
    assertThat(rows).hasSize(5000);
    assertThat(rows.get(0).getParser().getHeaderNames())
        .containsExactly(
            "id", "customer_id", "sku", "qty", "price", "status", "created_at", "note");

    // The same seed printed by the console sink: what datagen produces, row for row by id.
    Path console =
        write(
            "console.yaml",
            """
            source: {connector: datagen, rows: 5000, seed: 7}
            sink: {connector: console}
            """);
    Cli.Result printed = ferry("run", console.toString(), "--channels", "1");
    assertThat(printed.exitCode()).as(printed.err()).isEqualTo(ExitCode.SUCCEEDED);
    Map<String, List<String>> generated = new HashMap<>();
    List<String> lines = printed.data().lines().toList();
    assertThat(lines.get(0).split("\t")).startsWith("id", "customer_id", "sku", "qty", "price");
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      generated.put(f[0], List.of(f[1], f[2], f[3], f[4], f[5]));
    }
    assertThat(generated).hasSize(5000);
    for (CSVRecord row : rows) {
      assertThat(List.of(row.get(1), row.get(2), row.get(3), row.get(4), row.get(5)))
          .as("row id %s", row.get(0))
          .isEqualTo(generated.get(row.get(0)));
    }
    assertThat(rows.stream().map(r -> Long.parseLong(r.get("id"))).sorted().toList())
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 5000).boxed().toList());
  }

  @Test
  void paramsReplaceDefaultsAndDefaultsApplyOtherwise() throws IOException {
    Path job =
        write(
            "params.yaml",
            """
            params: {rows: 3, out: '%s'}
            source:
              connector: datagen
              rows: ${rows}
              columns: [{name: id, type: int64, kind: sequence, start: 10}]
            sink: {connector: file, path: '${out}'}
            """
                .formatted(dir.resolve("default.csv")));

    Path given = dir.resolve("given.csv");
    assertThat(ferry("run", job.toString(), "--param", "rows=12", "-p", "out=" + given).exitCode())
        .isZero();
    assertThat(ferry("run", job.toString()).exitCode()).isZero();

    assertThat(readCsv(given).stream().map(r -> r.get("id")).sorted().toList())
        .hasSize(12)
        .contains("10", "21");
    assertThat(readCsv(dir.resolve("default.csv")).stream().map(r -> r.get("id")).toList())
        .containsExactlyInAnyOrder("10", "11", "12");
  }

  @Test
  void malformedYamlExitsTwoWithOneLineNamingFileAndLine() throws IOException {
    Path job = write("broken.yaml", "source:\n  connector: datagen\n  rows: [1, 2\nsink: x\n");

    Cli.Result result = ferry("run", job.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.errLines()).hasSize(1);
    assertThat(result.errLines().get(0)).matches(Pattern.quote(job.toString()) + ":4:\\d+: .*");
    assertThat(result.errLines().get(0)).contains("malformed YAML");
  }

  @Test
  void unknownOptionExitsTwoNamingIt() throws IOException {
    Path job =
        write(
            "unknown.yaml",
            """
            source: {connector: datagen, rowz: 10}
            sink: {connector: blackhole}
            """);

    Cli.Result result = ferry("run", job.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.errLines())
        .singleElement()
        .asString()
        .startsWith(job + ": source.rowz: unknown option")
        .contains("did you mean 'rows'");
  }

  @Test
  void wrongTypeExitsTwoNamingOptionAndValue() throws IOException {
    Path job =
        write(
            "type.yaml",
            """
            source: {connector: datagen, rows: many}
            sink: {connector: blackhole}
            """);

    Cli.Result result = ferry("run", job.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.errLines())
        .singleElement()
        .asString()
        .startsWith(job + ": source.rows: ")
        .contains("'many'");
  }

  @Test
  void missingRequiredOptionExitsTwoNamingIt() throws IOException {
    Path job =
        write(
            "missing.yaml",
            """
            source: {connector: datagen}
            sink: {connector: file, format: csv}
            """);

    Cli.Result result = ferry("run", job.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.errLines()).containsExactly(job + ": sink.path: required option is missing");
  }

  @Test
  void everyProblemGetsItsOwnLine() throws IOException {
    Path job =
        write(
            "many.yaml",
            """
            source: {connector: nosuch}
            sink: {connector: file, format: xml}
            settings: {channels: 0}
            """);

    Cli.Result result = ferry("run", job.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.errLines())
        .hasSize(4)
        .allMatch(line -> line.startsWith(job + ": "))
        .anyMatch(line -> line.contains("source.connector: unknown connector 'nosuch'"))
        .anyMatch(line -> line.contains("sink.path: required"))
        .anyMatch(line -> line.contains("sink.format: 'xml' is not one of csv, tsv, jsonl"))
        .anyMatch(line -> line.contains("settings.channels: must be between 1 and 1024"));
  }

  @Test
  void unknownConnectorExitsTwoListingInstalledOnes() throws IOException {
    Path job =
        write(
            "connector.yaml",
            """
            source: {connector: oracle}
            sink: {connector: blackhole}
            """);

    Cli.Result result = ferry("run", job.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.errLines())
        .singleElement()
        .asString()
        .startsWith(job + ": source.connector: unknown connector 'oracle'")
        .contains("datagen", "file");
  }

  @Test
  void missingJobFileAndBadCommandLineExitTwo() {
    Cli.Result missing = ferry("run", dir.resolve("nope.yaml").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(missing.err()).contains("nope.yaml", "job file not found");

    Cli.Result usage = ferry("run", "job.yaml", "--channels", "many");
    assertThat(usage.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(usage.err()).contains("--channels").contains("many");

    assertThat(ferry("launch").exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(ferry().exitCode()).isEqualTo(ExitCode.INVALID);
  }

  @Test
  void channelsFromTheCommandLineAreValidatedLikeTheSetting() throws IOException {
    Path job =
        write(
            "channels.yaml",
            """
            source: {connector: datagen}
            sink: {connector: blackhole}
            """);

    Cli.Result result = ferry("run", job.toString(), "--channels", "0");

    assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(result.errLines())
        .containsExactly(job + ": settings.channels: must be between 1 and 1024, got 0");
  }

  @Test
  void dirtyRowsWithinTheLimitExitThreeAndLandInTheDirtyFile() throws IOException {
    Path job = badIntJob("within.yaml", 5);

    Cli.Result result = ferry("run", job.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.DIRTY_ROWS);
    assertThat(readCsv(dir.resolve("clean.csv")).stream().map(r -> r.get("id")).toList())
        .containsExactlyInAnyOrder("1", "2", "4");
    Path dirtyFile = dirtyFile(result);
    assertThat(dirtyFile).isRegularFile();
    List<String> dirty = Files.readAllLines(dirtyFile);
    assertThat(dirty).singleElement().asString().contains("\"three\"", "\"c\"");
  }

  @Test
  void dirtyRowsOverTheLimitFailTheRunWithCodeAndCategory() throws IOException {
    Path job = badIntJob("over.yaml", 0);

    Cli.Result result = ferry("run", job.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCode.FAILED);
    assertThat(result.err()).contains("FAILED");
    assertThat(result.errLines())
        .anyMatch(line -> line.matches(" +Failure +error-limit\\.exceeded \\(user\\): .*"));
    assertThat(dirtyFile(result)).content().contains("\"three\"");
  }

  /** A CSV source with one id that is not an integer. */
  private Path badIntJob(String name, int errorLimit) throws IOException {
    Path input = write("input.csv", "id,name\n1,a\n2,b\nthree,c\n4,d\n");
    return write(
        name,
        """
        source:
          connector: file
          path: '%s'
          columns: [id int64, name string]
        sink: {connector: file, path: '%s', overwrite: true}
        settings: {errorLimit: %d, channels: 1}
        """
            .formatted(input, dir.resolve("clean.csv"), errorLimit));
  }

  /** The dirty-data file the summary names with its one row, which the source could not read. */
  private static Path dirtyFile(Cli.Result result) {
    Matcher m = Pattern.compile("(?m)^ +Dirty +1 \\(1 not read\\) +in (.+)$").matcher(result.err());
    assertThat(m.find()).as(result.err()).isTrue();
    return Path.of(m.group(1));
  }

  private Cli.Result ferry(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.isEmpty() && all.get(0).equals("run")) {
      all.add("--state-dir");
      all.add(dir.resolve("state").toString());
    }
    return Cli.ferry(all.toArray(String[]::new));
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  static List<CSVRecord> readCsv(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return CSVFormat.RFC4180
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .get()
          .parse(in)
          .getRecords();
    }
  }
}
