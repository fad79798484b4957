package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.testkit.ChangeScript;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sink's own features against a real Elasticsearch 8. */
class EsSinkIT {
  static final Schema SCHEMA =
      Schema.of(
          new Column("id", DataType.INT64, false),
          Column.of("name", DataType.STRING),
          Column.of("n", DataType.STRING));

  final EsServer server = EsServer.es8();
  final Connector connector = new ElasticsearchConnector();

  static Sink open(Map<String, Object> raw, TestConnectorContext context) {
    Connector.Role<Sink> role = new ElasticsearchConnector().sink().orElseThrow();
    Sink sink = role.create(role.options().parse(raw), context);
    assertThat(sink.check()).isEmpty();
    return sink;
  }

  static List<Object[]> rows(int from, int to, String prefix) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(new Object[] {(long) i, prefix + i, String.valueOf(i)});
    }
    return rows;
  }

  static void write(Sink sink, Schema schema, List<Object[]> rows) {
    try (SinkWriter writer = sink.createWriter(0)) {
      RowBatch batch = new RowBatch(schema.size(), 64);
      for (Object[] row : rows) {
        batch.addRow(row.clone());
        if (batch.isFull()) {
          writer.write(batch);
          batch.clear();
        }
      }
      writer.write(batch);
      writer.flush();
    }
  }

  static void load(Sink sink, Schema schema, List<Object[]> rows) {
    sink.prepare(schema);
    write(sink, schema, rows);
    sink.commit();
    sink.close();
  }

  @Test
  void rejectedDocumentsGoToDirtyRowsWithFieldAndReason() {
    TestConnectorContext context = new TestConnectorContext("dirty");
    String index = EsTestSupport.indexName(context.runKey(), "dirty");
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("idColumns", "id");
    options.put(
        "mapping",
        "{\"properties\": {\"id\": {\"type\": \"long\"}, \"n\": {\"type\": \"integer\"}}}");
    List<Object[]> rows = rows(0, 50, "name-");
    rows.get(7)[2] = "not a number";
    rows.get(31)[2] = "x31";
    load(open(options, context), SCHEMA, rows);

    assertThat(EsTestSupport.count(server, index)).isEqualTo(48);
    List<DirtyRow> dirty = context.dirtyRows().rows();
    assertThat(dirty).hasSize(2);
    DirtyRow first =
        dirty.stream().filter(d -> d.location().endsWith("/7")).findFirst().orElseThrow();
    assertThat(first.column()).isEqualTo("n");
    assertThat(first.value()).isEqualTo("not a number");
    assertThat(first.row()).containsEntry("name", "name-7").containsEntry("n", "not a number");
    assertThat(first.reason()).contains("HTTP 400").contains("[n]");
  }

  /**
   * Ferry's special temporal values (issue 14, items 6 and 7) as their text: TIME 24:00:00 is the
   * keyword "24:00:00" (not 23:59:59.999999999); an infinity is refused by a date field, which
   * holds no such value, as a dirty row naming the field, and kept as text by a keyword field.
   */
  @Test
  void specialTemporalValuesKeepTheirTextOrAreDirtyRowsOfTheField() {
    TestConnectorContext context = new TestConnectorContext("special");
    String index = EsTestSupport.indexName(context.runKey(), "special");
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("idColumns", "id");
    options.put(
        "mapping",
        "{\"properties\": {\"id\": {\"type\": \"long\"}, \"t\": {\"type\": \"keyword\"},"
            + " \"d\": {\"type\": \"date\"}, \"k\": {\"type\": \"keyword\"}}}");
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("t", DataType.TIME),
            Column.of("d", DataType.DATE),
            Column.of("k", DataType.DATE));
    List<Object[]> rows =
        List.of(
            new Object[] {1L, LocalTime.MAX, LocalDate.of(2024, 2, 29), LocalDate.MIN},
            new Object[] {2L, null, LocalDate.MAX, null});
    load(open(options, context), schema, rows);

    List<DirtyRow> dirty = context.dirtyRows().rows();
    assertThat(dirty).hasSize(1);
    assertThat(dirty.get(0).location()).endsWith("/2");
    assertThat(dirty.get(0).column()).isEqualTo("d");
    assertThat(dirty.get(0).reason()).contains("[d]").contains("infinity");
    JsonNode source =
        EsTestSupport.ok(server, "GET", "/" + index + "/_doc/1", null).path("_source");
    assertThat(source.path("t").asText()).isEqualTo("24:00:00");
    assertThat(source.path("d").asText()).isEqualTo("2024-02-29");
    assertThat(source.path("k").asText()).isEqualTo("-infinity");
  }

  @Test
  void rerunWithIdsOverwritesInsteadOfDuplicating() {
    TestConnectorContext context = new TestConnectorContext("rerun");
    String index = EsTestSupport.indexName(context.runKey(), "rerun");
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("idColumns", List.of("id", "n"));
    options.put("idSeparator", "|");
    options.put("routingColumn", "name");
    options.put("bulkActions", 7);
    load(open(options, context), SCHEMA, rows(0, 100, "first-"));
    Sink second = open(options, context);
    assertThat(second.resumeModel().resumable()).isTrue();
    load(second, SCHEMA, rows(0, 100, "second-"));

    assertThat(EsTestSupport.count(server, index)).isEqualTo(100);
    JsonNode doc =
        EsTestSupport.ok(server, "GET", "/" + index + "/_doc/5%7C5?routing=second-5", null);
    assertThat(doc.path("_routing").asText()).isEqualTo("second-5");
    assertThat(doc.path("_source").path("name").asText()).isEqualTo("second-5");
    assertThat(context.dirtyRows().rows()).isEmpty();
  }

  @Test
  void actionsUpdateUpsertCreateAndDelete() {
    TestConnectorContext context = new TestConnectorContext("actions");
    String index = EsTestSupport.indexName(context.runKey(), "actions");
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("idColumns", "id");
    load(open(options, context), SCHEMA, rows(0, 10, "a-"));

    // update: only the given columns change; a missing document is a dirty row
    Schema partial =
        Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING));
    options.put("action", "update");
    load(
        open(options, context),
        partial,
        List.of(new Object[] {1L, "updated"}, new Object[] {99L, "nope"}));
    JsonNode one = EsTestSupport.ok(server, "GET", "/" + index + "/_doc/1", null).path("_source");
    assertThat(one.path("name").asText()).isEqualTo("updated");
    assertThat(one.path("n").asText()).isEqualTo("1");
    assertThat(context.dirtyRows().rows())
        .singleElement()
        .satisfies(d -> assertThat(d.reason()).contains("404"));

    // upsert: creates the missing one
    options.put("action", "upsert");
    load(open(options, context), partial, List.<Object[]>of(new Object[] {99L, "made"}));
    assertThat(
            EsTestSupport.ok(server, "GET", "/" + index + "/_doc/99", null)
                .path("_source")
                .path("name")
                .asText())
        .isEqualTo("made");

    // create: an existing id is a dirty row, a new one is written
    options.put("action", "create");
    Sink create = open(options, context);
    assertThat(create.resumeModel().resumable()).isFalse();
    load(create, SCHEMA, rows(9, 12, "c-"));
    assertThat(EsTestSupport.count(server, index)).isEqualTo(13);
    assertThat(context.dirtyRows().rows()).hasSize(2);
    assertThat(context.dirtyRows().rows().get(1).reason()).contains("exists already");

    // delete by id
    options.put("action", "delete");
    Schema ids = Schema.of(new Column("id", DataType.INT64, false));
    load(
        open(options, context),
        ids,
        List.of(new Object[] {0L}, new Object[] {1L}, new Object[] {12345L}));
    assertThat(EsTestSupport.count(server, index)).isEqualTo(11);
    assertThat(context.dirtyRows().rows()).hasSize(2);
  }

  @Test
  void aliasSwitchLoadsANewIndexAndMovesTheAliasAtCommit() {
    aliasSwitchAcrossRuns(server);
  }

  /** Three runs into an alias: switch, switch with old-index deletion, abort (OpenSearch too). */
  static void aliasSwitchAcrossRuns(EsServer server) {
    String alias = EsTestSupport.indexName(new TestConnectorContext("alias").runKey(), "products");
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", alias);
    options.put("aliasSwitch", true);
    options.put("deleteOldIndexes", true);
    options.put("idColumns", "id");

    TestConnectorContext run1 = new TestConnectorContext("run1");
    load(open(options, run1), SCHEMA, rows(0, 30, "v1-"));
    String first = EsSink.newIndexName(alias, run1.runKey());
    assertThat(aliasTargets(server, alias)).containsExactly(first);
    assertThat(EsTestSupport.count(server, alias)).isEqualTo(30);
    // refresh_interval was -1 during the load and is back to the default
    JsonNode settings = EsTestSupport.ok(server, "GET", "/" + first + "/_settings", null);
    assertThat(settings.path(first).path("settings").path("index").has("refresh_interval"))
        .isFalse();

    TestConnectorContext run2 = new TestConnectorContext("run2");
    Sink sink = open(options, run2);
    sink.prepare(SCHEMA);
    write(sink, SCHEMA, rows(100, 120, "v2-"));
    // Until the commit, readers of the alias see the old data.
    assertThat(EsTestSupport.count(server, alias)).isEqualTo(30);
    sink.commit();
    sink.close();
    String second = EsSink.newIndexName(alias, run2.runKey());
    assertThat(aliasTargets(server, alias)).containsExactly(second);
    assertThat(EsTestSupport.count(server, alias)).isEqualTo(20);
    assertThat(EsTestSupport.request(server, "HEAD", "/" + first, null).status()).isEqualTo(404);

    // An aborted run leaves the alias alone and its new index gone.
    TestConnectorContext run3 = new TestConnectorContext("run3");
    Sink aborted = open(options, run3);
    aborted.prepare(SCHEMA);
    write(aborted, SCHEMA, rows(0, 5, "v3-"));
    aborted.abort();
    aborted.close();
    assertThat(aliasTargets(server, alias)).containsExactly(second);
    assertThat(
            EsTestSupport.request(
                    server, "HEAD", "/" + EsSink.newIndexName(alias, run3.runKey()), null)
                .status())
        .isEqualTo(404);
  }

  @Test
  void aliasSwitchReplacesAConcreteIndexOfTheAliasName() {
    TestConnectorContext context = new TestConnectorContext("concrete");
    String name = EsTestSupport.indexName(context.runKey(), "legacy");
    EsTestSupport.createIndex(server, name, null, 1);
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", name);
    options.put("aliasSwitch", true);
    Connector.Role<Sink> role = connector.sink().orElseThrow();
    Sink refused = role.create(role.options().parse(options), context);
    assertThat(refused.check())
        .singleElement()
        .satisfies(p -> assertThat(p.option()).isEqualTo("index"));
    refused.close();

    options.put("deleteOldIndexes", true);
    load(open(options, context), SCHEMA, rows(0, 3, "x-"));
    assertThat(aliasTargets(server, name))
        .containsExactly(EsSink.newIndexName(name, context.runKey()));
    assertThat(EsTestSupport.count(server, name)).isEqualTo(3);
  }

  static List<String> aliasTargets(EsServer server, String alias) {
    JsonNode reply = EsTestSupport.ok(server, "GET", "/_alias/" + alias, null);
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = reply.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /**
   * A change batch applied by _id (twice: the second time as after a crash before the checkpoint),
   * in both delete modes, over a document already there; the index is read back.
   */
  @ParameterizedTest
  @EnumSource(ChangeWriter.DeleteMode.class)
  void changesIndexAndDeleteDocumentsByIdInLogOrder(ChangeWriter.DeleteMode mode) {
    TestConnectorContext context = new TestConnectorContext("changes");
    String index = EsTestSupport.indexName(context.runKey(), "changes-" + mode.name());
    Schema withExtra =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("name", DataType.STRING),
            Column.of("qty", DataType.INT32),
            Column.of("x", DataType.STRING));
    Map<String, Object> options = EsTestSupport.connection(server);
    options.put("index", index);
    options.put("bulkActions", 4); // several requests per batch
    options.put("idFromKey", true);
    List<RowChange> batch = new ChangeScript().batch();
    try (Sink sink = open(options, context);
        ChangeWriter writer = sink.changeWriter(ChangeScript.target(mode))) {
      assertThat(sink.appliesChanges()).isTrue();
      EsTestSupport.load(
          server, index, withExtra, List.<Object[]>of(new Object[] {1L, "old", 0, "gone"}));
      for (int round = 0; round < 2; round++) {
        writer.apply(batch);
        writer.flush();
        EsTestSupport.request(server, "POST", "/" + index + "/_refresh", null);
        JsonNode hits =
            EsTestSupport.ok(server, "POST", "/" + index + "/_search", "{\"size\":100}")
                .path("hits")
                .path("hits");
        Map<Long, List<Object>> read = new TreeMap<>();
        for (JsonNode hit : hits) {
          JsonNode doc = hit.path("_source");
          long id = Long.parseLong(hit.path("_id").asText());
          assertThat(doc.path("id").asLong()).isEqualTo(id);
          assertThat(doc.has("x")).as("replaced, not merged: %s", doc).isFalse();
          List<Object> values = new ArrayList<>();
          values.add(doc.path("name").asText());
          values.add(doc.path("qty").asInt());
          if (mode == ChangeWriter.DeleteMode.SOFT) {
            values.add(doc.path(ChangeScript.FLAG).asBoolean());
            assertThat(!doc.path(ChangeScript.TIME).isNull())
                .as("time of %s", doc)
                .isEqualTo(ChangeScript.softDeleted().contains(id));
          }
          read.put(id, values);
        }
        assertThat(read).as("round %d", round).isEqualTo(ChangeScript.expected(mode));
      }
    }
  }
}
