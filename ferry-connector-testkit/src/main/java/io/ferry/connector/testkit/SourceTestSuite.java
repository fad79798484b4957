package io.ferry.connector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.ferry.spi.Codec;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Option;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tests every source connector passes (after Flink's {@code SourceTestSuiteBase}): reading with
 * one reader and with many at once, resuming from every kind of position, splits through their
 * codec, every supported type, bad options, an empty dataset. Every test reads the data back and
 * compares values exactly ({@link ValueComparison}); none passes without looking at rows.
 *
 * <h2>Plugging a connector in</h2>
 *
 * <p>Extend the class and implement two hooks; override the optional ones where the connector
 * differs from the defaults:
 *
 * <ul>
 *   <li>{@link #connector()} — the connector whose source role is tested;
 *   <li>{@link #createDataset(DatasetRequest)} — make the store hold a dataset and return the
 *       options that read it. A store (files, a database) writes {@code request.rows()} and returns
 *       {@link SourceDataset#holding}; a generated source (datagen) returns {@link
 *       SourceDataset#generated} with options for {@code request.rowCount()} rows of {@code
 *       request.schema()}, and the suite takes a single reader's full read as the reference;
 *   <li>{@link #hasBehavior(ConnectorBehavior)} — what the connector can do, see {@link
 *       ConnectorBehavior} for each default;
 *   <li>{@link #supportsType(DataType)} — types left out of the datasets (default: all);
 *   <li>{@link #largeRowCount()} — rows of the dataset that should be cut into several splits.
 * </ul>
 *
 * <pre>{@code
 * class CsvSourceTest extends SourceTestSuite {
 *   @Override
 *   protected Connector connector() {
 *     return new FileConnector();
 *   }
 *
 *   @Override
 *   protected SourceDataset createDataset(DatasetRequest request) throws IOException {
 *     Path file = request.directory().resolve(request.name() + ".csv");
 *     CsvTestFiles.write(file, request.schema(), request.rows());
 *     return SourceDataset.holding(
 *         Map.of("path", file.toString(), "format", "csv",
 *             "schema", request.schema().toString(), "batchSize", request.batchSize()),
 *         request.rows());
 *   }
 *
 *   @Override
 *   protected boolean hasBehavior(ConnectorBehavior behavior) {
 *     return behavior == ConnectorBehavior.SOURCE_PRESERVES_ORDER || behavior.byDefault();
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh {@link #context()} whose dirty-row sink must stay empty: a row that
 * went there during a suite test was lost. Sources the suite opens are closed after each test;
 * datasets a fixture creates outside {@link DatasetRequest#directory()} are the fixture's to drop.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class SourceTestSuite extends ConnectorSuite {
  private static final int STANDARD_ROWS = 1000;
  private static final int RESUME_ROWS = 2000;
  private static final int RESUME_BATCH_SIZE = 50;

  /**
   * Makes a dataset readable and returns the options that read it.
   *
   * @throws Exception when the fixture cannot prepare the store; the test fails with it
   */
  protected abstract SourceDataset createDataset(DatasetRequest request) throws Exception;

  @Test
  void isRegisteredAsAService() {
    ConnectorChecks.assertRegistered(connector());
    assertThat(connector().source()).as("source role of %s", connector().name()).isPresent();
  }

  @Test
  void readsEveryRowWithParallelismOne() throws Exception {
    Dataset data = standardDataset("standard", STANDARD_ROWS, 256);
    List<Object[]> rows = Rows.readSequentially(data.source(), data.source().planner().plan(1));
    Rows.assertConform(data.schema(), rows);
    if (data.expected() != null) {
      assertMatchesExpected(data, rows, hasBehavior(ConnectorBehavior.SOURCE_PRESERVES_ORDER));
    } else {
      assertThat(rows).as("rows of the generated dataset").hasSize(data.rowCount());
      List<Object[]> again = Rows.readSequentially(data.source(), data.source().planner().plan(1));
      Rows.assertRowsEqual(data.schema(), again, rows);
    }
    assertNoDirtyRows();
  }

  @Test
  void readsManySplitsConcurrently() throws Exception {
    Dataset data = standardDataset("large", largeRowCount(), 1024);
    List<Split> splits = data.source().planner().plan(4);
    assertThat(splits).extracting(Split::id).as("split ids").doesNotHaveDuplicates();
    if (hasBehavior(ConnectorBehavior.SOURCE_SPLITS_LARGE_DATA)) {
      assertThat(splits)
          .as(
              "splits planned for parallelism 4 over %d rows (the connector declares"
                  + " SOURCE_SPLITS_LARGE_DATA)",
              data.rowCount())
          .hasSizeGreaterThan(1);
    }
    List<Object[]> union = new ArrayList<>();
    Rows.readConcurrently(data.source(), splits, 4).values().forEach(union::addAll);
    List<Object[]> reference = data.expected();
    if (reference == null) {
      reference = Rows.readSequentially(data.source(), data.source().planner().plan(1));
      assertThat(reference).as("rows of the generated dataset").hasSize(data.rowCount());
    }
    Rows.assertSameRows(
        data.schema(), comparable(data.schema(), union), comparable(data.schema(), reference));
    assertNoDirtyRows();
  }

  @Test
  void resumesExactlyAfterEveryPosition() throws Exception {
    Dataset data = standardDataset("resumable", RESUME_ROWS, RESUME_BATCH_SIZE);
    int mostBatches = 0;
    for (Split split : data.source().planner().plan(1)) {
      List<Rows.ReadBatch> full = Rows.readBatches(data.source(), split, null);
      List<Object[]> fullRows = Rows.rowsOf(full);
      mostBatches = Math.max(mostBatches, full.size());
      for (int k : stopPoints(full.size())) {
        Position stop = full.get(k - 1).position();
        // A copy, as a checkpoint store hands it back: the reader must not rely on identity.
        Position restored = new Position(stop.version(), stop.bytes().clone(), stop.description());
        List<Object[]> resumed = new ArrayList<>(Rows.rowsOf(full.subList(0, k)));
        resumed.addAll(Rows.rowsOf(Rows.readBatches(data.source(), split, restored)));
        try {
          Rows.assertRowsEqual(data.schema(), resumed, fullRows);
        } catch (AssertionError e) {
          throw new AssertionError(
              "split "
                  + split.id()
                  + " read to batch "
                  + k
                  + " of "
                  + full.size()
                  + " and resumed after position '"
                  + stop
                  + "' differs from a full read: "
                  + e.getMessage(),
              e);
        }
      }
    }
    assertThat(mostBatches)
        .as(
            "batches of the largest split; resuming needs 3 or more: emit batches of"
                + " DatasetRequest.batchSize() rows (%d of %d)",
            RESUME_BATCH_SIZE, RESUME_ROWS)
        .isGreaterThanOrEqualTo(3);
    assertNoDirtyRows();
  }

  @Test
  void splitsSurviveTheirCodec() throws Exception {
    Dataset data = standardDataset("large", largeRowCount(), 1024);
    Codec<Split> codec = data.source().splitCodec();
    // A second source from the same options stands for a restarted process or another worker.
    Source restarted = openSource(data.options());
    for (Split split : data.source().planner().plan(4)) {
      Split decoded = codec.decode(codec.version(), codec.encode(split));
      assertThat(decoded.id()).as("id of decoded split %s", split.id()).isEqualTo(split.id());
      assertThat(decoded.estimatedRows())
          .as("estimated rows of %s", split.id())
          .isEqualTo(split.estimatedRows());
      assertThat(decoded.estimatedBytes())
          .as("estimated bytes of %s", split.id())
          .isEqualTo(split.estimatedBytes());
      Rows.assertRowsEqual(
          data.schema(), Rows.readSplit(restarted, decoded), Rows.readSplit(data.source(), split));
    }
    assertNoDirtyRows();
  }

  @Test
  void rejectsSplitsOfAnUnknownVersion() throws Exception {
    Dataset data = standardDataset("standard", STANDARD_ROWS, 256);
    List<Split> splits = data.source().planner().plan(1);
    assertThat(splits).as("splits of %d rows", data.rowCount()).isNotEmpty();
    Codec<Split> codec = data.source().splitCodec();
    byte[] bytes = codec.encode(splits.get(0));
    FerryException e =
        catchThrowableOfType(FerryException.class, () -> codec.decode(codec.version() + 1, bytes));
    assertThat(e).as("decoding a split of version %d", codec.version() + 1).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.STATE_INCOMPATIBLE);
  }

  @Test
  void readsEveryType() throws Exception {
    Schema schema = TestDatasets.typesSchema(this::supportsType);
    assertThat(schema.size()).as("columns of supported types besides id").isGreaterThan(1);
    Dataset data = load("types", schema, TestDatasets.typesRows(schema), 256);
    List<Object[]> rows = Rows.readSequentially(data.source(), data.source().planner().plan(1));
    Rows.assertConform(schema, rows);
    if (data.expected() != null) {
      assertMatchesExpected(data, rows, hasBehavior(ConnectorBehavior.SOURCE_PRESERVES_ORDER));
    } else {
      assertThat(rows).as("rows of the generated dataset").hasSize(data.rowCount());
      for (int c = 0; c < schema.size(); c++) {
        int column = c;
        assertThat(rows)
            .as("values of column '%s' (%s)", schema.column(c).name(), schema.column(c).type())
            .anySatisfy(row -> assertThat(row[column]).isNotNull());
      }
    }
    assertNoDirtyRows();
  }

  @Test
  void readsNothingFromAnEmptyDataset() throws Exception {
    Schema schema = TestDatasets.standardSchema(this::supportsType);
    Dataset data = load("empty", schema, List.of(), 256);
    for (int parallelism : new int[] {1, 4}) {
      assertThat(Rows.readSequentially(data.source(), data.source().planner().plan(parallelism)))
          .as("rows read with parallelism %d", parallelism)
          .isEmpty();
    }
    if (hasBehavior(ConnectorBehavior.SOURCE_EXACT_ROW_ESTIMATE)) {
      assertThat(data.source().estimatedRows()).isEqualTo(OptionalLong.of(0));
    }
    assertNoDirtyRows();
  }

  @Test
  void estimatesRowsExactly() throws Exception {
    assumeBehavior(ConnectorBehavior.SOURCE_EXACT_ROW_ESTIMATE);
    Dataset data = standardDataset("large", largeRowCount(), 1024);
    assertThat(data.source().estimatedRows()).isEqualTo(OptionalLong.of(data.rowCount()));
    for (Split split : data.source().planner().plan(4)) {
      assertThat(split.estimatedRows())
          .as("estimated rows of split %s", split.id())
          .isEqualTo(OptionalLong.of(Rows.readSplit(data.source(), split).size()));
    }
  }

  @Test
  void rejectsAnUnknownOption() throws Exception {
    OptionChecks.assertRejectsUnknownOption(sourceRole().options(), validOptions());
  }

  @Test
  void rejectsEachMissingRequiredOption() throws Exception {
    List<Option<?>> required = OptionChecks.requiredOptions(sourceRole().options());
    assumeFalse(
        required.isEmpty(), () -> "the " + connector().name() + " source has no required option");
    Map<String, Object> valid = validOptions();
    for (Option<?> option : required) {
      OptionChecks.assertRejectsMissing(sourceRole().options(), valid, option);
    }
  }

  @Test
  void rejectsWrongTypedValues() throws Exception {
    List<Option<?>> typed = OptionChecks.typedOptions(sourceRole().options());
    assumeFalse(
        typed.isEmpty(),
        () -> "the " + connector().name() + " source has no option of a type a value can violate");
    Map<String, Object> valid = validOptions();
    for (Option<?> option : typed) {
      OptionChecks.assertRejectsWrongType(sourceRole().options(), valid, option);
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  /**
   * A dataset the suite reads: its source, the schema asked for and the expected rows, if known.
   */
  private record Dataset(
      Source source,
      Schema schema,
      List<Object[]> expected,
      int rowCount,
      Map<String, Object> options) {}

  private Dataset standardDataset(String name, int rows, int batchSize) throws Exception {
    Schema schema = TestDatasets.standardSchema(this::supportsType);
    return load(name, schema, TestDatasets.standardRows(schema, rows), batchSize);
  }

  private Dataset load(String name, Schema schema, List<Object[]> rows, int batchSize)
      throws Exception {
    Path directory =
        Files.createDirectories(context().workDirectory().resolve("datasets").resolve(name));
    SourceDataset dataset =
        createDataset(new DatasetRequest(name, schema, rows, batchSize, directory));
    Source source = openSource(dataset.options());
    assertThat(columns(source.schema()))
        .as("columns of the source reading dataset '%s'", name)
        .isEqualTo(columns(schema));
    return new Dataset(
        source, schema, dataset.expectedRows().orElse(null), rows.size(), dataset.options());
  }

  private Map<String, Object> validOptions() throws Exception {
    return standardDataset("options", 10, 256).options();
  }

  private Connector.Role<Source> sourceRole() {
    return connector()
        .source()
        .orElseThrow(() -> new AssertionError(connector().name() + " has no source role"));
  }

  /** Creates a source from raw options as the engine does; closed after the test. */
  protected final Source openSource(Map<String, ?> rawOptions) {
    Connector.Role<Source> role = sourceRole();
    Source source = closeAfterTest(role.create(role.options().parse(rawOptions), context()));
    assertThat(source.check()).as("problems the live check reports").isEmpty();
    return source;
  }

  private void assertMatchesExpected(Dataset data, List<Object[]> rows, boolean ordered) {
    List<Object[]> actual = comparable(data.schema(), rows);
    List<Object[]> expected = comparable(data.schema(), data.expected());
    if (ordered) {
      Rows.assertRowsEqual(data.schema(), actual, expected);
    } else {
      Rows.assertSameRows(data.schema(), actual, expected);
    }
  }

  /** Rows as the comparison sees them: instants only where the store keeps no offsets. */
  private List<Object[]> comparable(Schema schema, List<Object[]> rows) {
    return hasBehavior(ConnectorBehavior.KEEPS_TIMESTAMP_TZ_OFFSET)
        ? rows
        : ConnectorChecks.offsetsToUtc(schema, rows);
  }

  private void assumeBehavior(ConnectorBehavior behavior) {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        hasBehavior(behavior),
        () ->
            connector().name() + " source does not declare " + behavior + ": test not applicable");
  }

  private void assertNoDirtyRows() {
    assertThat(context().dirtyRows().rows()).as("rows sent to the dirty-row sink").isEmpty();
  }

  private static List<String> columns(Schema schema) {
    return schema.columns().stream().map(c -> c.name() + " " + c.type()).toList();
  }

  /** After which batches the resume test stops: the first two, the middle, the last two. */
  private static TreeSet<Integer> stopPoints(int batches) {
    TreeSet<Integer> points = new TreeSet<>();
    for (int k : new int[] {1, 2, batches / 2, batches - 1, batches}) {
      if (k >= 1 && k <= batches) {
        points.add(k);
      }
    }
    return points;
  }
}
