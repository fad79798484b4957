package io.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.LocalFiles;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  @TempDir Path state;

  private Engine engine() {
    return new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
  }

  private static JobSpec job(String yaml) {
    return JobSpecLoader.parse(yaml, false, null, "test", Map.of());
  }

  private static String table() {
    return "t-" + UUID.randomUUID();
  }

  private static RunResult run(Engine engine, String yaml) throws InterruptedException {
    return engine.start(job(yaml)).await();
  }

  @Test
  void copiesEveryRowExactlyOnceAcrossChannels() throws Exception {
    String table = table();
    List<String> states = new java.util.concurrent.CopyOnWriteArrayList<>();
    JobRun run =
        engine()
            .start(
                job(
                    """
                    source: {connector: memory, rows: 10007, splits: 9, batchSize: 64}
                    sink: {connector: memory, table: %s}
                    settings: {channels: 3, channelCapacity: 64KB}
                    """
                        .formatted(table)));
    run.addListener(
        new RunListener() {
          @Override
          public void stateChanged(JobRun r, RunState from, RunState to) {
            states.add(from + "->" + to);
          }
        });
    RunResult result = run.await();

    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result.allRowsArrived()).isTrue();
    MemoryConnector.Table t = MemoryConnector.TABLES.get(table);
    assertThat(t.published).isTrue();
    assertThat(t.writers).isEqualTo(3);
    List<Object[]> rows = new ArrayList<>(t.committed);
    rows.sort(Comparator.comparingLong(r -> (Long) r[0]));
    assertThat(rows).hasSize(10007);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i)).containsExactly(MemoryConnector.row(i, null));
    }
    Progress p = result.progress();
    assertThat(p.recordsRead()).isEqualTo(10007);
    assertThat(p.recordsWritten()).isEqualTo(10007);
    assertThat(p.estimatedRecords()).isEqualTo(10007);
    assertThat(p.splitsDone()).isEqualTo(9);
    assertThat(p.percent()).hasValue(100.0);
    // Each split's committed position is its end: a resumed run would read nothing more.
    assertThat(p.splits())
        .allSatisfy(
            s -> {
              assertThat(s.state()).isEqualTo(SplitProgress.State.DONE);
              assertThat(s.committed()).isNotNull();
            });
    assertThat(p.splits().stream().mapToLong(SplitProgress::recordsWritten).sum()).isEqualTo(10007);
    assertThat(states).contains("RUNNING->SUCCEEDED");
    assertThat(result.dirtyDataFile()).isNull();
  }

  @Test
  void transformsAndExplicitMappingShapeTheRows() throws Exception {
    String table = table();
    RunResult result =
        run(
            engine(),
            """
            source: {connector: memory, rows: 100, splits: 2}
            transforms:
              - {type: cast, columns: {amount: "decimal(10,2)"}}
              - {type: filter, expression: "id %% 10 != 3"}
              - {type: mask, column: name, keepFirst: 2, keepLast: 1}
              - {type: replace, column: name, pattern: "-", replacement: "_"}
              - {type: rename, columns: {id: order_id}}
            mapping:
              - order_id
              - amount -> total
              - name
              - {to: origin, value: memory}
            sink: {connector: memory, table: %s}
            """
                .formatted(table));

    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result.progress().filteredRecords()).isEqualTo(10);
    MemoryConnector.Table t = MemoryConnector.TABLES.get(table);
    assertThat(t.schema.names()).containsExactly("order_id", "total", "name", "origin");
    assertThat(t.schema.column(1).type().toString()).isEqualTo("decimal(10,2)");
    List<Object[]> rows = new ArrayList<>(t.committed);
    rows.sort(Comparator.comparingLong(r -> (Long) r[0]));
    assertThat(rows).hasSize(90);
    assertThat(rows.get(12)).containsExactly(14L, new BigDecimal("3.50"), "na****4", "memory");
    assertThat(rows).noneMatch(r -> (Long) r[0] % 10 == 3);
  }

  @Test
  void maskWithHashWritesTheSha256OfEachValue() throws Exception {
    String table = table();
    RunResult result =
        run(
            engine(),
            """
            source: {connector: memory, rows: 20, splits: 2}
            transforms:
              - {type: mask, column: name, hash: true}
            sink: {connector: memory, table: %s}
            """
                .formatted(table));

    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    List<Object[]> rows = new ArrayList<>(MemoryConnector.TABLES.get(table).committed);
    rows.sort(Comparator.comparingLong(r -> (Long) r[0]));
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    String expected =
        java.util.HexFormat.of()
            .formatHex(sha.digest("name-14".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(rows.get(14)[1]).isEqualTo(expected);
  }

  @Test
  void substrAndPadWorkAsDataXsTransformers() throws Exception {
    String table = table();
    RunResult result =
        run(
            engine(),
            """
            source: {connector: memory, rows: 12, splits: 1}
            transforms:
              - {type: substr, column: name, start: 5, length: 1}
              - {type: pad, column: name, length: 3, padding: "0"}
              - {type: pad, column: amount, length: 6, side: right, padding: "ab"}
              - {type: substr, column: amount, start: 2, length: 100}
            sink: {connector: memory, table: %s}
            """
                .formatted(table));
    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    List<Object[]> rows = new ArrayList<>(MemoryConnector.TABLES.get(table).committed);
    rows.sort(Comparator.comparingLong(r -> (Long) r[0]));
    assertThat(rows.get(0)).containsExactly(0L, "000", "00ab");
    assertThat(rows.get(3)).containsExactly(3L, "003", "75ab");
    assertThat(rows.get(11)).containsExactly(11L, "001", "75ab");

    // A start past the value's end is a dirty row, as in DataX; a longer value is cut by pad.
    String dirty = table();
    RunResult cut =
        run(
            engine(),
            """
            source: {connector: memory, rows: 12, splits: 1}
            transforms:
              - {type: substr, column: name, start: 7, length: 2}
              - {type: pad, column: amount, length: 2}
            sink: {connector: memory, table: %s}
            settings: {errorLimit: 10}
            """
                .formatted(dirty));
    assertThat(cut.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(cut.progress().dirtyRecords()).isEqualTo(10);
    List<Object[]> kept = new ArrayList<>(MemoryConnector.TABLES.get(dirty).committed);
    kept.sort(Comparator.comparingLong(r -> (Long) r[0]));
    assertThat(kept).hasSize(2);
    assertThat(kept.get(0)).containsExactly(10L, "", "2.");

    // dx_filter's translations (the negation of the condition, with DataX's NULL rules) run
    String filtered = table();
    RunResult f =
        run(
            engine(),
            """
            source: {connector: memory, rows: 12, splits: 1}
            transforms:
              - {type: filter, expression: "name == null || !(name =~ 'name-1.*')"}
              - {type: filter, expression: "id == null || !(id >= 5)"}
              - {type: filter, expression: "name != null && name != 'name-9'"}
            sink: {connector: memory, table: %s}
            """
                .formatted(filtered));
    assertThat(f.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(MemoryConnector.TABLES.get(filtered).committed)
        .extracting(r -> r[0])
        .containsExactlyInAnyOrder(0L, 2L, 3L, 4L);
  }

  @Test
  void sameNameMappingConvertsToTheTargetTypes() throws Exception {
    String table = table();
    RunResult result =
        run(
            engine(),
            """
            source: {connector: memory, rows: 10, splits: 1}
            sink: {connector: memory, table: %s, columns: ["AMOUNT decimal(12,3)", "id int32", "extra string"]}
            """
                .formatted(table));
    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    MemoryConnector.Table t = MemoryConnector.TABLES.get(table);
    assertThat(t.schema.names()).containsExactly("AMOUNT", "id");
    List<Object[]> rows = new ArrayList<>(t.committed);
    rows.sort(Comparator.comparingInt(r -> (Integer) r[1]));
    assertThat(rows.get(3)).containsExactly(new BigDecimal("0.750"), 3);
  }

  @Test
  void dirtyRowsWithinTheLimitAreKeptWithTheirReason() throws Exception {
    String table = table();
    Path dirty = state.resolve("bad.jsonl");
    RunResult result =
        run(
            engine(),
            """
            source: {connector: memory, rows: 100, splits: 3, badAmountEvery: 25}
            transforms: [{type: cast, columns: {amount: "decimal(10,2)"}}]
            sink: {connector: memory, table: %s}
            settings: {errorLimit: 4, dirtyDataPath: "%s"}
            """
                .formatted(table, dirty));

    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result.allRowsArrived()).isFalse();
    assertThat(result.progress().dirtyRecords()).isEqualTo(4);
    assertThat(MemoryConnector.TABLES.get(table).committed).hasSize(96);
    assertThat(result.dirtyDataFile()).isEqualTo(dirty);
    List<String> lines = Files.readAllLines(dirty);
    assertThat(lines).hasSize(4);
    ObjectMapper json = new ObjectMapper();
    List<Long> ids = new ArrayList<>();
    for (String line : lines) {
      JsonNode node = json.readTree(line);
      assertThat(node.get("column").asText()).isEqualTo("amount");
      assertThat(node.get("value").asText()).isEqualTo("n/a");
      assertThat(node.get("reason").asText()).contains("decimal(10,2)").contains("n/a");
      assertThat(node.get("location").asText()).startsWith("split range-");
      ids.add(node.get("row").get("id").asLong());
    }
    assertThat(ids).containsExactlyInAnyOrder(0L, 25L, 50L, 75L);
  }

  @Test
  void aConfinedEngineKeepsTheDirtyDataPathInsideItsRoots() throws Exception {
    Path root = Files.createDirectories(state.resolve("root"));
    Engine confined =
        new Engine(
            ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
            state.resolve("state"),
            new FileCheckpointStore(state.resolve("state")),
            LocalFiles.within(List.of(root), "roots"));
    String job =
        """
        source: {connector: memory, rows: 100, splits: 1, badAmountEvery: 25}
        transforms: [{type: cast, columns: {amount: "decimal(10,2)"}}]
        sink: {connector: memory, table: %s}
        settings: {errorLimit: 4, dirtyDataPath: "%s"}
        """;
    for (String outside : List.of(state.resolve("elsewhere.jsonl").toString(), root + "/../x")) {
      assertThatThrownBy(() -> confined.start(job(job.formatted(table(), outside))))
          .isInstanceOfSatisfying(
              JobSpecException.class,
              e ->
                  assertThat(e.problems())
                      .singleElement()
                      .satisfies(
                          p -> {
                            assertThat(p.path()).isEqualTo("settings.dirtyDataPath");
                            assertThat(p.message()).contains("outside the folders");
                          }));
    }
    assertThat(state.resolve("elsewhere.jsonl")).doesNotExist();
    Path inside = root.resolve("dirty/bad.jsonl");
    RunResult result = confined.start(job(job.formatted(table(), inside))).await();
    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(Files.readAllLines(inside)).hasSize(4);
  }

  @Test
  void passingTheErrorLimitFailsTheRunAndAbortsTheSink() throws Exception {
    String table = table();
    RunResult result =
        run(
            engine(),
            """
            source: {connector: memory, rows: 1000, splits: 2, dirtyEvery: 100}
            sink: {connector: memory, table: %s}
            settings: {errorLimit: 3}
            """
                .formatted(table));
    assertThat(result.state()).isEqualTo(RunState.FAILED);
    assertThat(result.failure().code()).isEqualTo(ErrorCode.ERROR_LIMIT);
    assertThat(result.failure().getMessage()).contains("limit of 3").contains("broken record");
    assertThat(MemoryConnector.TABLES.get(table).aborted).isTrue();
    assertThat(MemoryConnector.TABLES.get(table).published).isFalse();
  }

  @Test
  void errorShareIsCheckedAtTheEnd() throws Exception {
    RunResult result =
        run(
            engine(),
            """
            source: {connector: memory, rows: 1000, splits: 2, dirtyEvery: 50}
            sink: {connector: memory, table: %s}
            settings: {errorLimit: 1000, errorPercent: 1.5}
            """
                .formatted(table()));
    assertThat(result.state()).isEqualTo(RunState.FAILED);
    assertThat(result.failure().getMessage()).contains("20 dirty rows").contains("errorPercent");
  }

  @Test
  void anErrorShareAloneToleratesDirtyRowsUpToTheShare() throws Exception {
    String within =
        """
        source: {connector: memory, rows: 1000, splits: 2, dirtyEvery: 50}
        sink: {connector: memory, table: %s}
        settings: {errorPercent: 2.5}
        """;
    RunResult result = run(engine(), within.formatted(table()));
    assertThat(result.state())
        .as("20 dirty rows of 1000 are within 2.5%")
        .isEqualTo(RunState.SUCCEEDED);
    assertThat(result.progress().dirtyRecords()).isEqualTo(20);

    RunResult over = run(engine(), within.replace("2.5", "1.5").formatted(table()));
    assertThat(over.state()).isEqualTo(RunState.FAILED);
    assertThat(over.failure().getMessage()).contains("20 dirty rows").contains("errorPercent");
  }

  @Test
  void anErrorNoRetryCanFixFailsTheRunAndAbortsTheSink() throws Exception {
    String table = table();
    RunResult result =
        run(
            engine(),
            """
            source: {connector: memory, rows: 5000, splits: 4, failAt: 3333, failRetriable: false}
            sink: {connector: memory, table: %s}
            settings: {channels: 2}
            """
                .formatted(table));
    assertThat(result.state()).isEqualTo(RunState.FAILED);
    assertThat(result.failure().code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(result.failure().getMessage()).isEqualTo("bug at row 3333");
    assertThat(MemoryConnector.TABLES.get(table).aborted).isTrue();
  }

  @Test
  void stopEndsTheRunAsStopped() throws Exception {
    String table = table();
    JobRun run =
        engine()
            .start(
                job(
                    """
                    source: {connector: memory, rows: 100000, splits: 4, batchSize: 10, slowMillis: 5}
                    sink: {connector: memory, table: %s}
                    settings: {channels: 2}
                    """
                        .formatted(table)));
    while (run.progress().recordsWritten() == 0) {
      Thread.sleep(5);
    }
    run.stop();
    RunResult result = run.await(Duration.ofSeconds(30)).orElseThrow();
    assertThat(result.state()).isEqualTo(RunState.STOPPED);
    assertThat(result.progress().recordsWritten()).isBetween(1L, 99_999L);
    // What was read was written and flushed before the sink was told to abort.
    assertThat(MemoryConnector.TABLES.get(table).committed)
        .hasSize((int) result.progress().recordsWritten());
    assertThat(MemoryConnector.TABLES.get(table).aborted).isTrue();
  }

  @Test
  void recordLimitSlowsReadersWithoutLosingRows() throws Exception {
    String table = table();
    long start = System.nanoTime();
    RunResult result =
        run(
            engine(),
            """
            source: {connector: memory, rows: 300, splits: 1, batchSize: 250}
            sink: {connector: memory, table: %s}
            settings: {recordsPerSecond: 200}
            """
                .formatted(table));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(MemoryConnector.TABLES.get(table).committed).hasSize(300);
    // 300 rows at 200 a second take 1.5 s; a bucket that started full let 200 through at once.
    assertThat(took).isBetween(Duration.ofMillis(1350), Duration.ofSeconds(15));
    assertThat(result.progress().elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1350));
  }

  /**
   * Samples the rows read every few milliseconds and checks every stretch of about a second, from
   * the start on: none may pass the limit by more than the bucket's small burst.
   */
  @Test
  void recordLimitHoldsInEverySecondTheFirstIncluded() throws Exception {
    long limit = 40_000;
    JobRun run =
        engine()
            .start(
                job(
                    """
                    source: {connector: memory, rows: 120000, splits: 4, batchSize: 100}
                    sink: {connector: memory, table: %s}
                    settings: {channels: 2, recordsPerSecond: %d}
                    """
                        .formatted(table(), limit)));
    List<long[]> samples = new ArrayList<>(); // {nanos, rows read}
    samples.add(new long[] {System.nanoTime(), 0});
    while (run.await(Duration.ofMillis(10)).isEmpty()) {
      long read = run.progress().recordsRead();
      samples.add(new long[] {System.nanoTime(), read});
    }
    RunResult result = run.await();
    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(result.progress().recordsRead()).isEqualTo(120_000);
    double worst = 0;
    for (int i = 0; i < samples.size(); i++) {
      for (int j = i + 1; j < samples.size(); j++) {
        double seconds = (samples.get(j)[0] - samples.get(i)[0]) / 1e9;
        if (seconds >= 1.0) {
          worst = Math.max(worst, (samples.get(j)[1] - samples.get(i)[1]) / seconds);
          break;
        }
      }
    }
    assertThat(worst).as("rows per second in the worst second").isLessThanOrEqualTo(limit * 1.1);
    assertThat(worst).as("the limit was reached at all").isGreaterThan(limit * 0.5);
    assertThat(result.progress().averageRecordsPerSecond()).isLessThanOrEqualTo(limit * 1.1);
  }

  @Test
  void rowsTheSinkRejectsAreDirtyAndNotWritten() throws Exception {
    String table = table();
    RunResult result =
        run(
            engine(),
            """
            source: {connector: memory, rows: 1000, splits: 3, batchSize: 64}
            sink: {connector: memory, table: %s, rejectEvery: 10}
            settings: {channels: 2, errorLimit: 1000}
            """
                .formatted(table));
    assertThat(result.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(MemoryConnector.TABLES.get(table).committed).hasSize(900);
    RowCounts counts = result.progress().counts();
    assertThat(counts.written()).isEqualTo(900);
    assertThat(counts.dirtyOnWrite()).isEqualTo(100);
    assertThat(counts.dirty()).isEqualTo(100);
    assertThat(counts.read()).isEqualTo(1000);
    assertThat(result.progress().committed()).isEqualTo(counts);
    assertThat(Files.readAllLines(result.dirtyDataFile())).hasSize(100);
    assertThat(result.progress().splits().stream().mapToLong(SplitProgress::recordsWritten).sum())
        .isEqualTo(900);
  }

  @Test
  void optionProblemsNameTheirPlaceInTheJob() {
    assertThatThrownBy(
            () ->
                engine()
                    .start(
                        job(
                            """
                            source: {connector: memory, rows: many, splitz: 3}
                            sink: {connector: memory}
                            transforms: [{type: cast, columns: {nope: int64}}, {type: explode}]
                            settings: {channels: 0, zone: Mars/Base}
                            """)))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("test: source.rows: expected an integer, got 'many'")
        .hasMessageContaining("test: source.splitz: unknown option (did you mean 'splits'?)")
        .hasMessageContaining("test: sink.table: required option is missing")
        .hasMessageContaining("test: settings.channels: must be between 1 and 1024, got 0")
        .hasMessageContaining("test: settings.zone: 'Mars/Base' is not a time zone")
        .hasMessageContaining("test: transforms[1]: unknown transform type 'explode'");
  }

  @Test
  void aFullSyncNeedsASinkWithAFullSyncModeAndAKnownKind() {
    assertThatThrownBy(
            () ->
                engine()
                    .start(
                        job(
                            """
                            kind: fullSync
                            source: {connector: memory, rows: 3}
                            sink: {connector: memory, table: t}
                            """)))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining(
            "test: kind: the memory connector has no full-sync mode; use kind: copy");
    assertThatThrownBy(
            () ->
                job(
                    """
                    kind: mirror
                    source: {connector: memory, rows: 3}
                    sink: {connector: memory, table: t}
                    """))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("kind: must be copy, fullSync or cdc");
  }

  @Test
  void bindingProblemsNameTheTransformOrMappingEntry() {
    assertThatThrownBy(
            () ->
                engine()
                    .start(
                        job(
                            """
                            source: {connector: memory, rows: 1}
                            sink: {connector: memory, table: x}
                            transforms: [{type: cast, columns: {nope: int64}}]
                            """)))
        .isInstanceOf(JobSpecException.class)
        .hasMessage("test: transforms[0]: no column 'nope'; columns here: id, name, amount");
    assertThatThrownBy(
            () ->
                engine()
                    .start(
                        job(
                            """
                            source: {connector: memory, rows: 1}
                            sink: {connector: memory, table: x, columns: ["id int64"]}
                            mapping: [{from: idx, to: id}, {from: name, to: label}]
                            """)))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("test: mapping[0].from: no source column 'idx'")
        .hasMessageContaining("test: mapping[1].to: the target has no column 'label'");
  }

  @Test
  void liveCheckProblemsNameTheOption() {
    assertThatThrownBy(
            () ->
                engine()
                    .start(
                        job(
                            """
                            source: {connector: memory, rows: 1, mustExist: nope}
                            sink: {connector: memory, table: x}
                            """)))
        .isInstanceOf(JobSpecException.class)
        .hasMessage("test: source.mustExist: there is no 'nope'");
  }

  @Test
  void unknownConnectorListsTheInstalledOnes() {
    assertThatThrownBy(
            () ->
                engine()
                    .validate(
                        job(
                            """
                            source: {connector: oracle}
                            sink: {connector: memory, table: x}
                            """),
                        false))
        .isInstanceOf(JobSpecException.class)
        .hasMessage(
            "test: source.connector: unknown connector 'oracle'; installed: changemem, memory");
  }

  /**
   * A sink that refuses its options only when it is created, here with an IllegalArgumentException
   * (a column type that does not parse), is a problem of the job naming the section: ferry
   * validate's job-error exit, not a crash.
   */
  @Test
  void optionsRefusedWhenTheSinkIsCreatedAreProblemsOfTheJob() {
    assertThatThrownBy(
            () ->
                engine()
                    .validate(
                        job(
                            """
                            source: {connector: memory, rows: 1}
                            sink: {connector: memory, table: x, columns: ["id nosuchtype"]}
                            """),
                        false))
        .isInstanceOf(JobSpecException.class)
        .hasMessageStartingWith("test: sink: ")
        .hasMessageContaining("nosuchtype");
  }
}
