package io.ferry.connector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.Option;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.WriteFence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tests every sink connector passes: one writer, several writers at once, every supported type,
 * no rows, abort, resume after an interruption, bad options. Each test drives the sink through its
 * lifecycle as the engine does ({@code prepare}, writers that write, flush and close, then {@code
 * commit} or {@code abort}), then reads the target back through the fixture and compares values
 * exactly ({@link ValueComparison}). Writers get one {@link RowBatch} that the suite clears and
 * refills between writes, so a writer that keeps a batch after {@code write} returns is caught.
 *
 * <h2>Plugging a connector in</h2>
 *
 * <ul>
 *   <li>{@link #connector()} — the connector whose sink role is tested;
 *   <li>{@link #sinkOptions(SinkTarget)} — options that make the sink write a fresh target named by
 *       {@code target.name()} (a table to create, a file in {@code target.directory()});
 *   <li>{@link #readBack(SinkTarget)} — every row visible in the target, with the target's schema;
 *   <li>optionally {@link #hasBehavior(ConnectorBehavior)}, {@link #supportsType(DataType)} and
 *       {@link #largeRowCount()}.
 * </ul>
 *
 * <pre>{@code
 * class JsonLinesSinkTest extends SinkTestSuite {
 *   @Override
 *   protected Connector connector() {
 *     return new FileConnector();
 *   }
 *
 *   @Override
 *   protected Map<String, Object> sinkOptions(SinkTarget target) {
 *     return Map.of("path", target.directory().resolve("out.jsonl").toString(), "format", "jsonl");
 *   }
 *
 *   @Override
 *   protected List<Object[]> readBack(SinkTarget target) throws IOException {
 *     return JsonLinesTestFiles.read(target.directory().resolve("out.jsonl"), target.schema());
 *   }
 *
 *   @Override
 *   protected boolean hasBehavior(ConnectorBehavior behavior) {
 *     return behavior == ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS || behavior.byDefault();
 *   }
 * }
 * }</pre>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class SinkTestSuite extends ConnectorSuite {
  private static final int STANDARD_ROWS = 1000;
  private static final int BATCH_SIZE = 100;
  private static final int WRITERS = 4;

  /** Raw options that make the sink write {@code target}. */
  protected abstract Map<String, Object> sinkOptions(SinkTarget target) throws Exception;

  /**
   * Every row the target shows now, as values of {@code target.schema()}; in any order. Called
   * after the sink committed or aborted and closed.
   */
  protected abstract List<Object[]> readBack(SinkTarget target) throws Exception;

  @Test
  void isRegisteredAsAService() {
    ConnectorChecks.assertRegistered(connector());
    assertThat(connector().sink()).as("sink role of %s", connector().name()).isPresent();
  }

  @Test
  void writesRowsWithOneWriter() throws Exception {
    SinkTarget target = target("standard", standardSchema());
    List<Object[]> rows = TestDatasets.standardRows(target.schema(), STANDARD_ROWS);
    Sink sink = openSink(target);
    sink.prepare(target.schema());
    write(sink, 0, target.schema(), rows);
    sink.commit();
    sink.close();
    assertReadBack(target, rows);
  }

  @Test
  void writesFromSeveralWritersConcurrently() throws Exception {
    assumeBehavior(ConnectorBehavior.SINK_CONCURRENT_WRITERS);
    SinkTarget target = target("concurrent", standardSchema());
    List<Object[]> rows = TestDatasets.standardRows(target.schema(), largeRowCount());
    Sink sink = openSink(target);
    sink.prepare(target.schema());
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        List<Object[]> share =
            rows.subList(rows.size() * w / WRITERS, rows.size() * (w + 1) / WRITERS);
        Callable<Void> task =
            () -> {
              write(sink, writer, target.schema(), share);
              return null;
            };
        done.add(pool.submit(task));
      }
      for (Future<Void> f : done) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      pool.shutdownNow();
    }
    sink.commit();
    sink.close();
    assertReadBack(target, rows);
  }

  @Test
  void writesEveryType() throws Exception {
    Schema schema = TestDatasets.typesSchema(this::supportsType);
    assertThat(schema.size()).as("columns of supported types besides id").isGreaterThan(1);
    SinkTarget target = target("types", schema);
    List<Object[]> rows = TestDatasets.typesRows(schema);
    Sink sink = openSink(target);
    sink.prepare(schema);
    write(sink, 0, schema, rows);
    sink.commit();
    sink.close();
    assertReadBack(target, rows);
  }

  @Test
  void writesNothingForNoRows() throws Exception {
    SinkTarget target = target("empty", standardSchema());
    Sink sink = openSink(target);
    sink.prepare(target.schema());
    write(sink, 0, target.schema(), List.of());
    sink.commit();
    sink.close();
    assertReadBack(target, List.of());
  }

  @Test
  void abortLeavesNoRowsVisible() throws Exception {
    assumeBehavior(ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS);
    SinkTarget target = target("aborted", standardSchema());
    Sink sink = openSink(target);
    sink.prepare(target.schema());
    write(sink, 0, target.schema(), TestDatasets.standardRows(target.schema(), STANDARD_ROWS));
    sink.abort();
    sink.close();
    assertReadBack(target, List.of());
  }

  /**
   * The run's fence refuses after a first flush (another process took the run over): the writer
   * throws the fence's error and the rows written since reach no one; the first flush's rows stay.
   */
  @Test
  void commitsNothingOnceTheFenceRefuses() throws Exception {
    assumeBehavior(ConnectorBehavior.SINK_FENCES_COMMITS);
    SinkTarget target = target("fenced", standardSchema());
    Schema schema = target.schema();
    List<Object[]> rows = TestDatasets.standardRows(schema, STANDARD_ROWS);
    int half = rows.size() / 2;
    Sink sink = openSink(target);
    sink.prepare(schema);
    FerryException refusal =
        new FerryException(ErrorCode.external("run.claim-lost", true), "another process holds it");
    try (SinkWriter writer = sink.createWriter(0)) {
      writer.beginSplit(0);
      writeBatches(writer, schema, rows.subList(0, half));
      writer.flush();
      context()
          .fence(
              new WriteFence() {
                @Override
                public void check() {
                  throw refusal;
                }

                @Override
                public Optional<Duration> idleLimit() {
                  return Optional.empty();
                }
              });
      assertThatThrownBy(
              () -> {
                writeBatches(writer, schema, rows.subList(half, rows.size()));
                writer.flush();
              })
          .isSameAs(refusal);
    }
    sink.close();
    assertReadBack(target, rows.subList(0, half));
  }

  /**
   * An attempt writes split 0 completely, then half of split 1 (flushed and checkpointed) and more
   * rows of it that were flushed but not checkpointed, and dies without commit or abort. A second
   * sink resumes the run as the engine does: a row-by-row sink gets the unfinished key ranges to
   * {@link SinkResume.ByKeyRange#discard}, a whole-split sink the unfinished splits to {@link
   * SinkResume.WholeSplit#discardSplit}; the rest is written again and committed. Every row must be
   * there exactly once.
   */
  @Test
  void resumesWithoutLosingOrRepeatingRows() throws Exception {
    SinkTarget target = target("resumed", standardSchema());
    Schema schema = target.schema();
    List<Object[]> rows = TestDatasets.standardRows(schema, STANDARD_ROWS);
    int splitSize = STANDARD_ROWS / 4;
    // Both attempts write the same target: its options (and any table they create) are made once.
    Map<String, Object> options = sinkOptions(target);
    Sink first = openSink(options);
    assumeTrue(
        first.resumeModel().resumable(), () -> connector().name() + " sink is not resumable");
    first.prepare(schema);
    int checkpointed = splitSize + splitSize / 2;
    try (SinkWriter writer = first.createWriter(0)) {
      writer.beginSplit(0);
      writeBatches(writer, schema, rows.subList(0, splitSize));
      writer.flush();
      writer.endSplit(0);
      writer.beginSplit(1);
      writeBatches(writer, schema, rows.subList(splitSize, checkpointed));
      writer.flush();
      // Flushed, but the process died before the checkpoint recorded it.
      writeBatches(writer, schema, rows.subList(checkpointed, checkpointed + BATCH_SIZE));
      writer.flush();
    }
    first.close();

    Sink second = openSink(options);
    SinkResume.Resumable model = (SinkResume.Resumable) second.resumeModel();
    model.reopen(schema);
    int resumeFrom;
    if (model instanceof SinkResume.WholeSplit whole) {
      for (int split = 1; split < 4; split++) {
        whole.discardSplit(split);
      }
      resumeFrom = splitSize;
    } else {
      KeyRange rest =
          new KeyRange(
              List.of("id"),
              List.of(DataType.INT64),
              new Object[] {(long) checkpointed - 1},
              false,
              null);
      ((SinkResume.ByKeyRange) model).discard(rest);
      resumeFrom = checkpointed;
    }
    try (SinkWriter writer = second.createWriter(0)) {
      for (int split = 1; split < 4; split++) {
        writer.beginSplit(split);
        int from = Math.max(resumeFrom, split * splitSize);
        writeBatches(writer, schema, rows.subList(from, (split + 1) * splitSize));
        writer.flush();
        writer.endSplit(split);
      }
    }
    second.commit();
    second.close();
    assertReadBack(target, rows);
  }

  @Test
  void rejectsAnUnknownOption() throws Exception {
    OptionChecks.assertRejectsUnknownOption(sinkRole().options(), validOptions());
  }

  @Test
  void rejectsEachMissingRequiredOption() throws Exception {
    List<Option<?>> required = OptionChecks.requiredOptions(sinkRole().options());
    assumeFalse(
        required.isEmpty(), () -> "the " + connector().name() + " sink has no required option");
    Map<String, Object> valid = validOptions();
    for (Option<?> option : required) {
      OptionChecks.assertRejectsMissing(sinkRole().options(), valid, option);
    }
  }

  @Test
  void rejectsWrongTypedValues() throws Exception {
    List<Option<?>> typed = OptionChecks.typedOptions(sinkRole().options());
    assumeFalse(
        typed.isEmpty(),
        () -> "the " + connector().name() + " sink has no option of a type a value can violate");
    Map<String, Object> valid = validOptions();
    for (Option<?> option : typed) {
      OptionChecks.assertRejectsWrongType(sinkRole().options(), valid, option);
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private Schema standardSchema() {
    return TestDatasets.standardSchema(this::supportsType);
  }

  private SinkTarget target(String name, Schema schema) throws Exception {
    Path directory =
        Files.createDirectories(context().workDirectory().resolve("targets").resolve(name));
    return new SinkTarget(name, schema, directory);
  }

  private Map<String, Object> validOptions() throws Exception {
    return sinkOptions(target("options", standardSchema()));
  }

  private Connector.Role<Sink> sinkRole() {
    return connector()
        .sink()
        .orElseThrow(() -> new AssertionError(connector().name() + " has no sink role"));
  }

  /** Creates the sink for {@code target} as the engine does; closed after the test. */
  protected final Sink openSink(SinkTarget target) throws Exception {
    return openSink(sinkOptions(target));
  }

  private Sink openSink(Map<String, Object> options) {
    Connector.Role<Sink> role = sinkRole();
    Sink sink = closeAfterTest(role.create(role.options().parse(options), context()));
    assertThat(sink.check()).as("problems the live check reports").isEmpty();
    return sink;
  }

  /**
   * Writes {@code rows} with one writer as one split (numbered by the writer) in batches of {@value
   * #BATCH_SIZE}, flushing halfway and at the end, then ends the split and closes the writer.
   */
  private static void write(Sink sink, int writerIndex, Schema schema, List<Object[]> rows) {
    try (SinkWriter writer = sink.createWriter(writerIndex)) {
      writer.beginSplit(writerIndex);
      int half = rows.size() / 2;
      writeBatches(writer, schema, rows.subList(0, half));
      writer.flush();
      writeBatches(writer, schema, rows.subList(half, rows.size()));
      writer.flush();
      writer.endSplit(writerIndex);
    }
  }

  /**
   * Writes {@code rows} in batches of {@value #BATCH_SIZE}. The batch object is reused: cleared and
   * refilled after each write.
   */
  private static void writeBatches(SinkWriter writer, Schema schema, List<Object[]> rows) {
    RowBatch batch = new RowBatch(schema.size(), BATCH_SIZE);
    for (int i = 0; i < rows.size(); i++) {
      batch.addRow(rows.get(i).clone());
      if (batch.isFull() || i == rows.size() - 1) {
        writer.write(batch);
        batch.clear();
      }
    }
  }

  private void assertReadBack(SinkTarget target, List<Object[]> written) throws Exception {
    List<Object[]> expected =
        hasBehavior(ConnectorBehavior.EMPTY_STRING_IS_NULL) ? emptyStringsAsNull(written) : written;
    List<Object[]> actual = readBack(target);
    Rows.assertConform(target.schema(), actual);
    if (hasBehavior(ConnectorBehavior.KEEPS_TIMESTAMP_TZ_OFFSET)) {
      Rows.assertSameRows(target.schema(), actual, expected);
    } else {
      Rows.assertSameRows(
          target.schema(),
          ConnectorChecks.offsetsToUtc(target.schema(), actual),
          ConnectorChecks.offsetsToUtc(target.schema(), expected));
    }
    assertThat(context().dirtyRows().rows()).as("rows sent to the dirty-row sink").isEmpty();
  }

  private static List<Object[]> emptyStringsAsNull(List<Object[]> rows) {
    List<Object[]> converted = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      Object[] copy = row.clone();
      for (int c = 0; c < copy.length; c++) {
        if ("".equals(copy[c])) {
          copy[c] = null;
        }
      }
      converted.add(copy);
    }
    return converted;
  }

  private void assumeBehavior(ConnectorBehavior behavior) {
    assumeTrue(
        hasBehavior(behavior),
        () -> connector().name() + " sink does not declare " + behavior + ": test not applicable");
  }
}
