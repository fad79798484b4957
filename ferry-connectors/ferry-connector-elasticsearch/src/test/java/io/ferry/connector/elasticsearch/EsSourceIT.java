package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitReader;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The source's own features against a real Elasticsearch 8. */
class EsSourceIT {
  final EsServer server = EsServer.es8();
  final Connector connector = new ElasticsearchConnector();
  final TestConnectorContext context = new TestConnectorContext("source");

  Source open(Map<String, Object> raw) {
    Connector.Role<Source> role = connector.source().orElseThrow();
    Source source = role.create(role.options().parse(raw), context);
    assertThat(source.check()).isEmpty();
    return source;
  }

  /** {@code count} documents {"id": i, "name": "n<i>"} in an index of 3 shards. */
  String numbers(String name, int count) {
    String index = EsTestSupport.indexName(context.runKey(), name);
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
  void resumesAfterThePointInTimeIsGoneWhenSortedByAUniqueField() {
    String index = numbers("resume", 300);
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("batchSize", 40);
    options.put("sortFields", "id");
    Source source = open(options);
    Split split = source.planner().plan(1).get(0);
    List<Object[]> read = new ArrayList<>();
    Position position;
    try (SplitReader reader = source.openReader(split, null)) {
      read.addAll(Rows.rowsOf(List.of(toRead(reader.next()))));
      var second = reader.next();
      read.addAll(Rows.rowsOf(List.of(toRead(second))));
      position = second.position();
    }
    // The point in time is gone (a resume after keepAlive): a new one continues after the id.
    EsTestSupport.ok(server, "DELETE", "/_pit", "{\"id\":\"" + ((EsSplit) split).pitId() + "\"}");
    source.close();
    Source restarted = open(options);
    read.addAll(
        Rows.readBatches(restarted, split, position).stream()
            .flatMap(b -> b.rows().stream())
            .toList());
    restarted.close();
    assertThat(read).extracting(r -> r[0]).containsExactlyElementsOf(ids(300));
  }

  @Test
  void withoutSortFieldsAGonePointInTimeIsAClearError() {
    String index = numbers("expired", 100);
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("batchSize", 40);
    Source source = open(options);
    Split split = source.planner().plan(1).get(0);
    Position position;
    try (SplitReader reader = source.openReader(split, null)) {
      position = reader.next().position();
    }
    EsTestSupport.ok(server, "DELETE", "/_pit", "{\"id\":\"" + ((EsSplit) split).pitId() + "\"}");
    FerryException e =
        catchThrowableOfType(FerryException.class, () -> Rows.readBatches(source, split, position));
    source.close();
    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(EsSplitReader.PIT_EXPIRED);
    assertThat(e.getMessage()).contains("sortFields");
  }

  @Test
  void slicesSortedByAFieldCoverEveryDocumentOnce() {
    String index = numbers("sliced", 3000);
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("sortFields", "id");
    options.put("slices", 3);
    options.put("query", "{\"range\": {\"id\": {\"lt\": 2500}}}");
    options.put("fields", "id");
    Source source = open(options);
    assertThat(source.schema().names()).containsExactly("id");
    List<Split> splits = source.planner().plan(8);
    assertThat(splits).hasSize(3);
    List<Object> ids = new ArrayList<>();
    Rows.readConcurrently(source, splits, 3)
        .values()
        .forEach(rows -> rows.forEach(r -> ids.add(r[0])));
    source.close();
    assertThat(ids).containsExactlyInAnyOrderElementsOf(ids(2500));
  }

  @Test
  void nestedObjectsArraysAndMetadataMapToFerryTypes() {
    String index = EsTestSupport.indexName(context.runKey(), "nested");
    EsTestSupport.ok(
        server,
        "PUT",
        "/" + index,
        """
        {"settings": {"number_of_shards": 1, "number_of_replicas": 0},
         "mappings": {"properties": {
           "id": {"type": "long"},
           "tags": {"type": "keyword"},
           "price": {"type": "double"},
           "when": {"type": "date"},
           "address": {"properties": {"city": {"type": "keyword"}, "zip": {"type": "integer"}}},
           "items": {"type": "nested",
                     "properties": {"sku": {"type": "keyword"}, "qty": {"type": "integer"}}},
           "extra": {"type": "object", "enabled": false}
         }}}
        """);
    EsTestSupport.ok(
        server,
        "POST",
        "/_bulk?refresh=true",
        "{\"index\":{\"_index\":\""
            + index
            + "\",\"_id\":\"a\"}}\n"
            + "{\"id\":1,\"tags\":[\"x\",\"y\"],\"price\":\"12.50\",\"when\":\"2024-05-01T10:00:00+02:00\","
            + "\"address\":{\"city\":\"Oslo\",\"zip\":150},\"items\":[{\"sku\":\"s1\",\"qty\":2}],"
            + "\"extra\":{\"k\":[1,{\"z\":null}]}}\n"
            + "{\"index\":{\"_index\":\""
            + index
            + "\",\"_id\":\"b\"}}\n"
            + "{\"id\":2,\"tags\":\"solo\",\"when\":1700000000000,\"items\":{\"sku\":\"s2\",\"qty\":1}}\n");

    // Derived from the mapping.
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    Source derived = open(options);
    assertThat(derived.schema().columns())
        .extracting(c -> c.name() + " " + c.type())
        .contains(
            "id int64",
            "tags string",
            "price float64",
            "when timestamp_tz(3)",
            "address row<city string, zip int32>",
            "items array<row<qty int32, sku string>>",
            "extra json");
    derived.close();

    // Declared: arrays, dotted paths, metadata, decimals from strings, dates from millis.
    options.put(
        "columns",
        List.of(
            "_id string",
            "id int64",
            "tags array<string>",
            "price decimal(10,2)",
            "when timestamp_tz",
            "address.city string",
            "items array<row<sku string, qty int32>>",
            "extra json"));
    options.put("sortFields", "id");
    Source source = open(options);
    List<Object[]> rows = Rows.readSequentially(source, source.planner().plan(1));
    source.close();
    assertThat(rows).hasSize(2);
    Object[] a = rows.get(0);
    assertThat(a[0]).isEqualTo("a");
    assertThat(a[2]).isEqualTo(List.of("x", "y"));
    assertThat(a[3]).isEqualTo(new BigDecimal("12.50"));
    assertThat(a[4]).isEqualTo(OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2)));
    assertThat(a[5]).isEqualTo("Oslo");
    assertThat((List<?>) a[6]).singleElement().isEqualTo(new Object[] {"s1", 2});
    assertThat(a[7]).isEqualTo("{\"k\":[1,{\"z\":null}]}");
    Object[] b = rows.get(1);
    assertThat(b[2]).isEqualTo(List.of("solo"));
    assertThat(b[3]).isNull();
    assertThat(b[4]).isEqualTo(OffsetDateTime.of(2023, 11, 14, 22, 13, 20, 0, ZoneOffset.UTC));
    assertThat(b[5]).isNull();
    assertThat((List<?>) b[6]).singleElement().isEqualTo(new Object[] {"s2", 1});
    assertThat(context.dirtyRows().rows()).isEmpty();
  }

  @Test
  void aValueThatDoesNotConvertIsADirtyRow() {
    String index = EsTestSupport.indexName(context.runKey(), "bad-values");
    EsTestSupport.createIndex(server, index, null, 1);
    EsTestSupport.ok(
        server,
        "POST",
        "/_bulk?refresh=true",
        "{\"index\":{\"_index\":\""
            + index
            + "\",\"_id\":\"1\"}}\n{\"id\":1,\"n\":\"5\"}\n"
            + "{\"index\":{\"_index\":\""
            + index
            + "\",\"_id\":\"2\"}}\n{\"id\":2,\"n\":\"five\"}\n");
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("columns", List.of("id int64", "n int32"));
    Source source = open(options);
    List<Object[]> rows = Rows.readSequentially(source, source.planner().plan(1));
    source.close();
    assertThat(rows).singleElement().isEqualTo(new Object[] {1L, 5});
    assertThat(context.dirtyRows().rows())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.location()).isEqualTo(index + "/2");
              assertThat(d.column()).isEqualTo("n");
              assertThat(d.row()).containsEntry("n", "five");
              assertThat(d.reason()).contains("int32");
            });
  }

  private static Rows.ReadBatch toRead(io.ferry.spi.RowBatch batch) {
    List<Object[]> rows = new ArrayList<>();
    for (int r = 0; r < batch.size(); r++) {
      rows.add(batch.row(r));
    }
    return new Rows.ReadBatch(rows, batch.position());
  }

  private static List<Object> ids(int count) {
    List<Object> ids = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      ids.add(i);
    }
    return ids;
  }
}
