package io.ferry.connector.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.client.MongoCollection;
import io.ferry.connector.testkit.ChangeScript;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.KeyRange;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Write modes, dirty rows, discard, ObjectId fields, millisecond dates. */
class MongoSinkTest {
  private static MongoTestServer server;

  @BeforeAll
  static void startServer() {
    server = MongoTestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private final TestConnectorContext context = new TestConnectorContext("mongo-sink");
  private static final Schema SCHEMA =
      Schema.of(
          new Column("id", DataType.INT64, false),
          Column.of("name", DataType.STRING),
          Column.of("qty", DataType.INT32));

  private static List<Object[]> rows(int from, int to, String name) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(new Object[] {(long) i, name + i, i});
    }
    return rows;
  }

  private List<Document> documents(String collection) {
    return server
        .database()
        .getCollection(collection)
        .find()
        .sort(new Document("_id", 1))
        .into(new ArrayList<>());
  }

  @Test
  void insertSendsDuplicatesToTheDirtyStoreAndWritesTheRest() {
    Map<String, Object> o = Map.of("collection", "dups", "idColumns", List.of("id"));
    MongoFixtures.write(server, o, SCHEMA, rows(0, 10, "a"), context);
    List<Object[]> second = new ArrayList<>(rows(5, 15, "b"));
    MongoFixtures.write(server, o, SCHEMA, second, context);
    List<Document> docs = documents("dups");
    assertThat(docs).hasSize(15);
    assertThat(docs.get(5).getString("name")).isEqualTo("a5");
    assertThat(docs.get(12).getString("name")).isEqualTo("b12");
    List<DirtyRow> dirty = context.dirtyRows().rows();
    assertThat(dirty).hasSize(5);
    assertThat(dirty.get(0).reason()).contains("E11000").contains("11000");
    assertThat(dirty.get(0).location()).isEqualTo(server.databaseName() + ".dups _id=5");
    assertThat(dirty.get(0).row()).containsEntry("name", "b5");
  }

  @Test
  void upsertSetsTheWrittenFieldsAndKeepsTheOthers() {
    MongoCollection<Document> c = server.database().getCollection("upserted");
    c.insertOne(new Document("_id", 1L).append("name", "old").append("extra", "kept"));
    MongoFixtures.write(
        server,
        Map.of("collection", "upserted", "idColumns", List.of("id"), "writeMode", "upsert"),
        SCHEMA,
        rows(1, 3, "n"),
        context);
    List<Document> docs = documents("upserted");
    assertThat(docs).hasSize(2);
    assertThat(docs.get(0))
        .containsEntry("name", "n1")
        .containsEntry("extra", "kept")
        .containsEntry("qty", 1);
    assertThat(context.dirtyRows().rows()).isEmpty();
  }

  @Test
  void upsertByOtherKeysKeepsTheExistingId() {
    MongoCollection<Document> c = server.database().getCollection("byname");
    ObjectId existing = new ObjectId();
    c.insertOne(new Document("_id", existing).append("name", "n1").append("qty", 0));
    MongoFixtures.write(
        server,
        Map.of("collection", "byname", "keys", List.of("name"), "writeMode", "upsert"),
        SCHEMA,
        rows(1, 3, "n"),
        context);
    List<Document> docs = documents("byname");
    assertThat(docs).hasSize(2);
    assertThat(c.find(new Document("name", "n1")).first())
        .containsEntry("_id", existing)
        .containsEntry("qty", 1);
  }

  @Test
  void replaceReplacesTheWholeDocument() {
    MongoCollection<Document> c = server.database().getCollection("replaced");
    c.insertOne(new Document("_id", 1L).append("name", "old").append("extra", "dropped"));
    MongoFixtures.write(
        server,
        Map.of("collection", "replaced", "idColumns", List.of("id"), "writeMode", "replace"),
        SCHEMA,
        rows(1, 2, "n"),
        context);
    assertThat(documents("replaced").get(0))
        .containsOnlyKeys("_id", "id", "name", "qty")
        .containsEntry("name", "n1");
  }

  @Test
  void discardDeletesTheKeyRangeInInsertMode() {
    Map<String, Object> o = Map.of("collection", "discarded");
    MongoFixtures.write(server, o, SCHEMA, rows(0, 100, "r"), context);
    try (Sink sink = server.sink(o, context)) {
      ((SinkResume.Resumable) sink.resumeModel()).reopen(SCHEMA);
      ((SinkResume.ByKeyRange) sink.resumeModel())
          .discard(
              new KeyRange(
                  List.of("id"),
                  List.of(DataType.INT64),
                  new Object[] {49L},
                  false,
                  new Object[] {79L}));
    }
    List<Document> docs =
        server.database().getCollection("discarded").find().into(new ArrayList<>());
    assertThat(docs).hasSize(70);
    assertThat(docs).noneMatch(d -> d.getLong("id") > 49 && d.getLong("id") <= 79);
  }

  @Test
  void composedKeysBecomeASubDocumentAndStringsObjectIds() {
    Schema schema =
        Schema.of(
            Column.of("region", DataType.STRING),
            Column.of("n", DataType.INT32),
            Column.of("ref", DataType.STRING));
    String hex = new ObjectId().toHexString();
    MongoFixtures.write(
        server,
        Map.of(
            "collection", "composed",
            "idColumns", List.of("region", "n"),
            "objectIdFields", List.of("ref")),
        schema,
        List.<Object[]>of(new Object[] {"eu", 1, hex}),
        context);
    Document doc = documents("composed").get(0);
    assertThat(doc.get("_id", Document.class)).containsEntry("region", "eu").containsEntry("n", 1);
    assertThat(doc.get("ref")).isEqualTo(new ObjectId(hex));
  }

  @Test
  void timestampsFinerThanMillisecondsAreDirtyUnlessTruncated() {
    Schema schema = Schema.of(Column.of("id", DataType.INT64), Column.of("at", DataType.TIMESTAMP));
    List<Object[]> rows =
        List.<Object[]>of(
            new Object[] {1L, LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1_000_000)},
            new Object[] {2L, LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1_000_500)});
    MongoFixtures.write(server, Map.of("collection", "times"), schema, rows, context);
    assertThat(documents("times")).hasSize(1);
    assertThat(context.dirtyRows().rows()).hasSize(1);
    assertThat(context.dirtyRows().rows().get(0).reason()).contains("truncateTimestamps");
    MongoFixtures.write(
        server, Map.of("collection", "times2", "truncateTimestamps", true), schema, rows, context);
    assertThat(documents("times2")).hasSize(2);
  }

  @Test
  void jsonColumnsKeepBsonTypesThroughExtendedJson() {
    Schema schema = Schema.of(Column.of("id", DataType.INT64), Column.of("doc", DataType.JSON));
    String json =
        "{\"oid\":{\"$oid\":\"65f1f0c2a1b2c3d4e5f60718\"},\"at\":{\"$date\":\"2024-01-01T00:00:00Z\"},"
            + "\"price\":2.50,\"n\":3,\"big\":5000000000,\"f\":0.5,\"list\":[1,\"a\",null]}";
    MongoFixtures.write(
        server,
        Map.of("collection", "json", "idColumns", List.of("id")),
        schema,
        List.<Object[]>of(new Object[] {1L, json}),
        context);
    BsonDocument stored =
        server
            .database()
            .getCollection("json", BsonDocument.class)
            .find()
            .first()
            .getDocument("doc");
    assertThat(stored.get("oid").isObjectId()).isTrue();
    assertThat(stored.get("at").isDateTime()).isTrue();
    assertThat(stored.get("price").isDecimal128()).isTrue();
    assertThat(stored.get("n").isInt32()).isTrue();
    assertThat(stored.get("big").isInt64()).isTrue();
    assertThat(stored.get("f").isDouble()).isTrue();
    List<Object[]> back = MongoFixtures.read(server, "json", schema, context);
    assertThat(
            io.ferry.connector.testkit.ValueComparison.equal(json, back.get(0)[1], DataType.JSON))
        .as("%s read back as %s", json, back.get(0)[1])
        .isTrue();
  }

  @Test
  void upsertWithoutAnIdNamesTheOption() {
    try (Sink sink = server.sink(Map.of("collection", "x", "writeMode", "upsert"), context)) {
      InvalidOptionsException e =
          catchThrowableOfType(InvalidOptionsException.class, () -> sink.prepare(SCHEMA));
      assertThat(e.problems()).extracting(p -> p.option()).contains("idColumns");
    }
  }

  @Test
  void unacknowledgedWritesAreRefused() {
    InvalidOptionsException e =
        catchThrowableOfType(
            InvalidOptionsException.class,
            () -> server.sink(Map.of("collection", "x", "writeConcern", "0"), context));
    assertThat(e.problems()).extracting(p -> p.option()).containsExactly("writeConcern");
  }

  /**
   * Ferry's special temporal values (issue 14, items 6 and 7): TIME 24:00:00 is written as the
   * string "24:00:00" (not 23:59:59.999999999), and the infinities, which a BSON date cannot hold,
   * are dirty rows naming the column, while the other rows are written.
   */
  @Test
  void writesTheEndOfDayAsTextAndInfinitiesAsDirtyRows() {
    Schema schema =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("t", DataType.TIME),
            Column.of("d", DataType.DATE),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("tz", DataType.TIMESTAMP_TZ));
    List<Object[]> rows =
        List.of(
            new Object[] {1L, LocalTime.MAX, LocalDate.of(-43, 3, 15), null, null},
            new Object[] {2L, null, LocalDate.MAX, null, null},
            new Object[] {3L, null, null, LocalDateTime.MIN, null},
            new Object[] {4L, null, null, null, OffsetDateTime.MAX},
            new Object[] {5L, null, LocalDate.of(400_000_000, 1, 1), null, null});
    MongoFixtures.write(
        server, Map.of("collection", "special", "idColumns", List.of("id")), schema, rows, context);
    Map<Object, String> dirty = new TreeMap<>();
    for (DirtyRow d : context.dirtyRows().rows()) {
      dirty.put(d.row().get("id"), d.column() + ": " + d.reason());
    }
    assertThat(dirty).containsOnlyKeys(2L, 3L, 4L, 5L);
    assertThat(dirty.get(2L)).startsWith("d: infinity cannot be written to MongoDB");
    assertThat(dirty.get(3L)).startsWith("ts: -infinity cannot be written to MongoDB");
    assertThat(dirty.get(4L)).startsWith("tz: infinity cannot be written to MongoDB");
    assertThat(dirty.get(5L)).startsWith("d: +400000000-01-01 is outside the range of a BSON date");
    List<Document> docs = documents("special");
    assertThat(docs).hasSize(1);
    assertThat(docs.get(0)).containsEntry("t", "24:00:00");
    assertThat(docs.get(0).getDate("d").toInstant())
        .isEqualTo(LocalDate.of(-43, 3, 15).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
  }

  /**
   * A change batch applied by _id (twice: the second time as after a crash before the checkpoint),
   * in both delete modes, over a document already there; the collection is read back.
   */
  @ParameterizedTest
  @EnumSource(ChangeWriter.DeleteMode.class)
  void changesReplaceAndDeleteDocumentsByIdInLogOrder(ChangeWriter.DeleteMode mode) {
    String name = "changes_" + mode.name().toLowerCase();
    server
        .database()
        .getCollection(name)
        .insertOne(new Document("_id", 1L).append("id", 1L).append("name", "old").append("x", 1));
    List<RowChange> batch = new ChangeScript().batch();
    try (Sink sink = server.sink(Map.of("collection", name), context);
        ChangeWriter writer = sink.changeWriter(ChangeScript.target(mode))) {
      assertThat(sink.appliesChanges()).isTrue();
      for (int round = 0; round < 2; round++) {
        writer.apply(batch);
        writer.flush();
        Map<Long, List<Object>> read = new TreeMap<>();
        for (Document d : documents(name)) {
          List<Object> values = new ArrayList<>();
          values.add(d.getString("name"));
          values.add(d.getInteger("qty"));
          if (mode == ChangeWriter.DeleteMode.SOFT) {
            values.add(d.getBoolean(ChangeScript.FLAG));
            assertThat(d.get(ChangeScript.TIME) != null)
                .as("time of %s", d)
                .isEqualTo(ChangeScript.softDeleted().contains(d.getLong("_id")));
          }
          assertThat(d.getLong("id")).isEqualTo(d.getLong("_id"));
          assertThat(d).doesNotContainKey("x"); // replaced, not merged
          read.put(d.getLong("_id"), values);
        }
        assertThat(read).as("round %d", round).isEqualTo(ChangeScript.expected(mode));
      }
    }
  }

  @Test
  void changesOfACompositeKeyGoToADocumentId() {
    Schema schema =
        Schema.of(
                new Column("a", DataType.INT32, false),
                new Column("b", DataType.STRING, false),
                Column.of("v", DataType.STRING))
            .withKey(List.of("a", "b"));
    ChangeWriter.Target target =
        new ChangeWriter.Target(
            ChangeScript.TABLE, schema, schema.key(), ChangeWriter.DeleteMode.DELETE, null, null);
    io.ferry.spi.Position p = new io.ferry.spi.Position(1, new byte[] {1}, "event 1");
    try (Sink sink = server.sink(Map.of("collection", "composite"), context);
        ChangeWriter writer = sink.changeWriter(target)) {
      writer.apply(
          List.of(
              new RowChange(
                  ChangeEvent.Kind.INSERT,
                  ChangeScript.TABLE,
                  schema,
                  null,
                  new Object[] {1, "x", "v1"},
                  p,
                  null),
              new RowChange(
                  ChangeEvent.Kind.INSERT,
                  ChangeScript.TABLE,
                  schema,
                  null,
                  new Object[] {2, "y", "v2"},
                  p,
                  null),
              new RowChange(
                  ChangeEvent.Kind.DELETE,
                  ChangeScript.TABLE,
                  schema,
                  new Object[] {2, "y", null},
                  null,
                  p,
                  null)));
      writer.flush();
    }
    List<Document> docs = documents("composite");
    assertThat(docs).hasSize(1);
    assertThat(docs.get(0).get("_id", Document.class))
        .containsEntry("a", 1)
        .containsEntry("b", "x");
    assertThat(docs.get(0)).containsEntry("v", "v1");
  }

  @Test
  void changesByTheKeysIdAreRefusedOverDocumentsWithGeneratedIds() {
    server.database().getCollection("generated").insertOne(new Document("id", 1L));
    try (Sink sink = server.sink(Map.of("collection", "generated"), context)) {
      FerryException e =
          catchThrowableOfType(
              () -> sink.changeWriter(ChangeScript.target(ChangeWriter.DeleteMode.DELETE)),
              FerryException.class);
      assertThat(e.option()).isEqualTo("idColumns");
      assertThat(e.getMessage()).contains("generated ObjectId _ids").contains("idColumns: [id]");
    }
    // Named explicitly, idColumns is the user's choice: the writer opens.
    try (Sink sink =
            server.sink(Map.of("collection", "generated", "idColumns", List.of("id")), context);
        ChangeWriter writer =
            sink.changeWriter(ChangeScript.target(ChangeWriter.DeleteMode.DELETE))) {
      assertThat(writer).isNotNull();
    }
  }
}
