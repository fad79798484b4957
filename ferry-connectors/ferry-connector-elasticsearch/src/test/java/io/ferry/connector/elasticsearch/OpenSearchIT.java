package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * OpenSearch 2.19: the shared suites through both read paths (sliced scroll without sortFields,
 * point in time + search_after with them), alias switch, resume through OpenSearch's own point in
 * time API, and the catalog.
 */
class OpenSearchIT {
  final EsServer server = EsServer.openSearch2();

  /** Only this class uses this node: stop it now rather than at JVM exit. */
  @AfterAll
  static void stopNode() {
    EsServer.release(EsServer.OS2, false);
  }

  Source open(Map<String, Object> raw, TestConnectorContext context) {
    Connector.Role<Source> role = new ElasticsearchConnector().source().orElseThrow();
    return role.create(role.options().parse(raw), context);
  }

  /** {@code count} documents {"id": i, "name": "n<i>"} in an index of 3 shards. */
  String numbers(TestConnectorContext context, String name, int count) {
    String index = EsTestSupport.indexName(context.runKey(), "os-" + name);
    Schema schema = Schema.of(Column.of("id", DataType.INT64), Column.of("name", DataType.STRING));
    EsTestSupport.createIndex(server, index, EsTypes.mappingFor(schema), 3);
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      rows.add(new Object[] {i, "n" + i});
    }
    EsTestSupport.load(server, index, schema, rows);
    return index;
  }

  @Test
  void detectsOpenSearchAndPicksThePagingItCanDo() {
    TestConnectorContext context = new TestConnectorContext("os-mode");
    String index = numbers(context, "mode", 10);
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    try (Source source = open(options, context)) {
      EsClient.Server detected = ((EsSource) source).client().server();
      assertThat(detected.flavor()).isEqualTo(EsClient.Flavor.OPENSEARCH);
      assertThat(detected.toString()).isEqualTo("OpenSearch 2.19.1");
      assertThat(source.check()).isEmpty();
      assertThat(((EsSource) source).mode()).isEqualTo(EsSource.ReadMode.SCROLL);
    }
    options.put("sortFields", "id");
    try (Source source = open(options, context)) {
      assertThat(source.check()).isEmpty();
      assertThat(((EsSource) source).mode()).isEqualTo(EsSource.ReadMode.PIT);
    }
    // No _shard_doc on OpenSearch: a point in time needs sortFields.
    options.remove("sortFields");
    options.put("readMode", "pit");
    try (Source source = open(options, context)) {
      assertThat(source.check())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.option()).isEqualTo("readMode");
                assertThat(p.message()).contains("sortFields").contains("OpenSearch 2.19.1");
              });
    }
  }

  @Test
  void pointInTimeIsOpenedThroughOpenSearchsApiAndResumesAfterItIsGone() {
    TestConnectorContext context = new TestConnectorContext("os-resume");
    String index = numbers(context, "resume", 300);
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("batchSize", 40);
    options.put("sortFields", "id");
    Source source = open(options, context);
    assertThat(source.check()).isEmpty();
    Split split = source.planner().plan(1).get(0);
    String pit = ((EsSplit) split).pitId();
    assertThat(pitIds()).contains(pit);
    List<Object[]> read = new ArrayList<>();
    Position position;
    try (SplitReader reader = source.openReader(split, null)) {
      read.addAll(rowsOf(reader.next()));
      RowBatch second = reader.next();
      read.addAll(rowsOf(second));
      position = second.position();
    }
    // The point in time is gone (a resume after keepAlive): a new one continues after the id.
    JsonNode deleted =
        EsTestSupport.ok(
            server, "DELETE", "/_search/point_in_time", "{\"pit_id\":[\"" + pit + "\"]}");
    assertThat(deleted.path("pits").path(0).path("successful").asBoolean()).isTrue();
    source.close();
    Source restarted = open(options, context);
    read.addAll(
        Rows.readBatches(restarted, split, position).stream()
            .flatMap(b -> b.rows().stream())
            .toList());
    restarted.close();
    List<Object> expected = new ArrayList<>();
    for (long i = 0; i < 300; i++) {
      expected.add(i);
    }
    assertThat(read).extracting(r -> r[0]).containsExactlyElementsOf(expected);
  }

  @Test
  void slicesOfOnePointInTimeCoverEveryDocumentOnceAndItIsClosedAfterwards() {
    TestConnectorContext context = new TestConnectorContext("os-sliced");
    String index = numbers(context, "sliced", 3000);
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("sortFields", "id");
    options.put("slices", 3);
    options.put("query", "{\"range\": {\"id\": {\"lt\": 2500}}}");
    Source source = open(options, context);
    List<Split> splits = source.planner().plan(8);
    assertThat(splits).hasSize(3);
    assertThat(splits).extracting(s -> ((EsSplit) s).rows()).doesNotContain(-1L);
    String pit = ((EsSplit) splits.get(0)).pitId();
    List<Object> ids = new ArrayList<>();
    Rows.readConcurrently(source, splits, 3)
        .values()
        .forEach(rows -> rows.forEach(r -> ids.add(r[0])));
    assertThat(ids).hasSize(2500).doesNotHaveDuplicates();
    assertThat(ids).allSatisfy(id -> assertThat((Long) id).isBetween(0L, 2499L));
    assertThat(pitIds()).contains(pit);
    source.close();
    assertThat(pitIds()).doesNotContain(pit);
  }

  @Test
  void scrollResumesByPassingOverWhatWasReadWithoutSortFields() {
    TestConnectorContext context = new TestConnectorContext("os-skip");
    String index = numbers(context, "skip", 250);
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("batchSize", 30);
    try (Source source = open(options, context)) {
      var split = source.planner().plan(1).get(0);
      List<Rows.ReadBatch> full = Rows.readBatches(source, split, null);
      List<Object[]> resumed = new ArrayList<>(Rows.rowsOf(full.subList(0, 4)));
      resumed.addAll(Rows.rowsOf(Rows.readBatches(source, split, full.get(3).position())));
      Rows.assertRowsEqual(source.schema(), resumed, Rows.rowsOf(full));
      assertThat(resumed).hasSize(250);
    }
  }

  @Test
  void aliasSwitchAcrossRuns() {
    EsSinkIT.aliasSwitchAcrossRuns(server);
  }

  @Test
  void catalogListsIndexesAndAliases() {
    EsCatalogIT.listsIndexesAndAliases(server);
  }

  private static List<Object[]> rowsOf(RowBatch batch) {
    List<Object[]> rows = new ArrayList<>();
    for (int r = 0; r < batch.size(); r++) {
      rows.add(batch.row(r));
    }
    return rows;
  }

  /** The ids of every point in time open on the node (OpenSearch's list API). */
  private List<String> pitIds() {
    List<String> ids = new ArrayList<>();
    for (JsonNode p :
        EsTestSupport.ok(server, "GET", "/_search/point_in_time/_all", null).path("pits")) {
      ids.add(p.path("pit_id").asText());
    }
    return ids;
  }

  @Nested
  class SinkSuite extends SinkTestSuite {
    @Override
    protected Connector connector() {
      return new ElasticsearchConnector();
    }

    @Override
    protected int largeRowCount() {
      return EsTestSupport.LARGE_ROWS;
    }

    private String alias(SinkTarget target) {
      return EsTestSupport.indexName(context().runKey(), "os-" + target.name());
    }

    @Override
    protected Map<String, Object> sinkOptions(SinkTarget target) {
      Map<String, Object> options = EsTestSupport.connection(server);
      options.put("index", alias(target));
      options.put("aliasSwitch", true);
      options.put("idColumns", "id");
      return options;
    }

    @Override
    protected List<Object[]> readBack(SinkTarget target) {
      return EsTestSupport.readAll(server, alias(target), target.schema());
    }

    @Override
    protected boolean hasBehavior(ConnectorBehavior behavior) {
      return behavior == ConnectorBehavior.SINK_ABORT_DISCARDS_ROWS || behavior.byDefault();
    }
  }

  /** Into a plain index (no alias): index creation, refresh pause, bulk by id. */
  @Nested
  class PlainIndexSinkSuite extends SinkTestSuite {
    @Override
    protected Connector connector() {
      return new ElasticsearchConnector();
    }

    @Override
    protected int largeRowCount() {
      return EsTestSupport.LARGE_ROWS;
    }

    private String index(SinkTarget target) {
      return EsTestSupport.indexName(context().runKey(), "os-plain-" + target.name());
    }

    @Override
    protected Map<String, Object> sinkOptions(SinkTarget target) {
      Map<String, Object> options = EsTestSupport.connection(server);
      options.put("index", index(target));
      options.put("idColumns", "id");
      return options;
    }

    @Override
    protected List<Object[]> readBack(SinkTarget target) {
      return EsTestSupport.readAll(server, index(target), target.schema());
    }
  }

  SourceDataset store(DatasetRequest request, String runKey, boolean sorted) {
    String index = EsTestSupport.indexName(runKey, "os-" + request.name());
    EsTestSupport.createIndex(server, index, EsTypes.mappingFor(request.schema()), 2);
    EsTestSupport.load(server, index, request.schema(), request.rows());
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("batchSize", request.batchSize());
    // Resuming a scroll after a sort key (a range filter), not by passing over documents.
    if (sorted || request.name().equals("resumable")) {
      options.put("sortFields", "id");
    }
    return SourceDataset.holding(options, request.rows());
  }

  /** readMode auto without sortFields: sliced scroll. */
  @Nested
  class SourceSuite extends SourceTestSuite {
    @Override
    protected Connector connector() {
      return new ElasticsearchConnector();
    }

    @Override
    protected int largeRowCount() {
      return EsTestSupport.LARGE_ROWS;
    }

    @Override
    protected SourceDataset createDataset(DatasetRequest request) {
      return store(request, context().runKey(), false);
    }
  }

  /** readMode auto with sortFields: point in time + search_after, sliced by id. */
  @Nested
  class SortedByIdSourceSuite extends SourceTestSuite {
    @Override
    protected Connector connector() {
      return new ElasticsearchConnector();
    }

    @Override
    protected int largeRowCount() {
      return EsTestSupport.LARGE_ROWS;
    }

    @Override
    protected SourceDataset createDataset(DatasetRequest request) {
      return store(request, context().runKey(), true);
    }

    /** Point-in-time plans count every slice in the snapshot. */
    @Override
    protected boolean hasBehavior(ConnectorBehavior behavior) {
      return behavior == ConnectorBehavior.SOURCE_EXACT_ROW_ESTIMATE || behavior.byDefault();
    }
  }
}
