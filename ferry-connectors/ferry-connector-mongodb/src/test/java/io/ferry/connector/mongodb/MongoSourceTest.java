package io.ferry.connector.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Codec;
import io.ferry.spi.DataType;
import io.ferry.spi.KeyRange;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Split planning, resume, remainders, inferred schemas, filters and dotted fields. */
class MongoSourceTest {
  private static MongoTestServer server;

  @BeforeAll
  static void startServer() {
    server = MongoTestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private final TestConnectorContext context = new TestConnectorContext("mongo-source");

  private Source source(String collection, Map<String, Object> extra) {
    Map<String, Object> o = new java.util.HashMap<>(extra);
    o.put("collection", collection);
    Source s = server.source(o, context);
    assertThat(s.check()).isEmpty();
    return s;
  }

  /** _ids of every type class MongoDB orders, mixed, read with many splits: each exactly once. */
  @Test
  void splitsMixedIdTypesReadEveryDocumentOnce() {
    MongoCollection<Document> c = server.database().getCollection("mixed");
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      Object id =
          switch (i % 6) {
            case 0 -> (long) i;
            case 1 -> "s" + i;
            case 2 -> new ObjectId();
            case 3 -> new Date(1_000_000L * i);
            case 4 -> i + 0.5;
            default -> new Document("k", i);
          };
      docs.add(new Document("_id", id).append("n", i));
    }
    c.insertMany(docs);
    try (Source source =
        source("mixed", Map.of("minSplitRows", 100, "columns", List.of("n int64")))) {
      List<Split> splits = source.planner().plan(4);
      assertThat(splits).hasSizeGreaterThan(4);
      List<Object[]> rows = new ArrayList<>();
      Rows.readConcurrently(source, splits, 4).values().forEach(rows::addAll);
      Set<Long> seen = new HashSet<>();
      for (Object[] row : rows) {
        assertThat(seen.add((Long) row[0])).as("row %s read once", row[0]).isTrue();
      }
      assertThat(seen).hasSize(3000);
    }
  }

  /** Positions in the middle of every split, through the codec, resume with exactly the rest. */
  @Test
  void resumesAfterPositionsOfDecodedSplits() {
    MongoCollection<Document> c = server.database().getCollection("resume");
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      docs.add(new Document("_id", new ObjectId()).append("n", i));
    }
    c.insertMany(docs);
    try (Source source =
        source(
            "resume",
            Map.of("minSplitRows", 200, "batchSize", 37, "columns", List.of("_id", "n int32")))) {
      Codec<Split> codec = source.splitCodec();
      int total = 0;
      for (Split planned : source.planner().plan(2)) {
        Split split = codec.decode(codec.version(), codec.encode(planned));
        List<Rows.ReadBatch> full = Rows.readBatches(source, split, null);
        List<Object[]> all = Rows.rowsOf(full);
        total += all.size();
        int k = full.size() / 2;
        Position stop = full.get(k).position();
        List<Object[]> rest = Rows.rowsOf(Rows.readBatches(source, split, stop));
        List<Object[]> expected =
            all.subList(Rows.rowsOf(full.subList(0, k + 1)).size(), all.size());
        Rows.assertRowsEqual(source.schema(), rest, expected);
        // The remainder names the _id range still to read, as hex text of ObjectIds.
        KeyRange range = source.remainder(split, stop).orElseThrow();
        assertThat(range.columns()).containsExactly("_id");
        assertThat(range.types()).containsExactly(DataType.STRING);
        assertThat(range.lower())
            .containsExactly(full.get(k).rows().get(full.get(k).rows().size() - 1)[0]);
        assertThat(range.lowerInclusive()).isFalse();
      }
      assertThat(total).isEqualTo(2000);
    }
  }

  @Test
  void infersTypesFromASample() {
    MongoCollection<Document> c = server.database().getCollection("inferred");
    c.insertMany(
        List.of(
            new Document("_id", new ObjectId())
                .append("i", 1)
                .append("l", 2L)
                .append("mixedInt", 1)
                .append("d", 1.5)
                .append("dec", new Decimal128(new BigDecimal("12.50")))
                .append("s", "x")
                .append("b", true)
                .append("t", new Date(0))
                .append("bin", new Binary(new byte[] {1, 2}))
                .append("doc", new Document("a", 1))
                .append("tags", List.of("a", "b"))
                .append("mixedArray", List.of(1, "a"))
                .append("onlyNull", null),
            new Document("_id", new ObjectId())
                .append("mixedInt", 5_000_000_000L)
                .append("late", "y")));
    try (Source source = source("inferred", Map.of())) {
      Schema schema = source.schema();
      assertThat(schema.names())
          .containsExactly(
              "_id",
              "i",
              "l",
              "mixedInt",
              "d",
              "dec",
              "s",
              "b",
              "t",
              "bin",
              "doc",
              "tags",
              "mixedArray",
              "onlyNull",
              "late");
      assertThat(schema.columns().stream().map(col -> col.type().toString()).toList())
          .containsExactly(
              "string",
              "int32",
              "int64",
              "int64",
              "float64",
              "decimal(34,2)",
              "string",
              "boolean",
              "timestamp_tz(3)",
              "bytes",
              "json",
              "array<string>",
              "json",
              "json",
              "string");
      List<Object[]> rows = Rows.readSequentially(source, source.planner().plan(1));
      assertThat(rows).hasSize(2);
      Object[] first = rows.get(0);
      assertThat(first[5]).isEqualTo(new BigDecimal("12.50"));
      assertThat(first[8]).isEqualTo(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
      assertThat(first[10]).isEqualTo("{\"a\":1}");
      assertThat(first[12]).isEqualTo("[1,\"a\"]");
      assertThat(rows.get(1)[3]).isEqualTo(5_000_000_000L);
    }
    assertThat(context.dirtyRows().rows()).isEmpty();
  }

  @Test
  void appliesTheFilterAndReadsDottedFields() {
    MongoCollection<Document> c = server.database().getCollection("filtered");
    for (int i = 0; i < 50; i++) {
      c.insertOne(
          new Document("_id", i)
              .append("qty", i)
              .append("address", new Document("city", "c" + i).append("zip", i)));
    }
    try (Source source =
        source(
            "filtered",
            Map.of(
                "filter",
                "{\"qty\": {\"$gte\": 40}}",
                "columns",
                List.of("_id", "address.city string", "qty")))) {
      List<Object[]> rows = Rows.readSequentially(source, source.planner().plan(1));
      assertThat(rows).hasSize(10);
      assertThat(rows.get(0)).containsExactly(40, "c40", 40);
      assertThat(source.remainder(source.planner().plan(1).get(0), null).orElseThrow().lower())
          .isNull();
    }
  }

  @Test
  void aValueThatDoesNotConvertIsADirtyRow() {
    MongoCollection<Document> c = server.database().getCollection("dirty");
    c.insertMany(
        List.of(
            new Document("_id", 1).append("n", 1),
            new Document("_id", 2).append("n", "not a number"),
            new Document("_id", 3).append("n", 3)));
    try (Source source = source("dirty", Map.of("columns", List.of("_id int32", "n int32")))) {
      List<Object[]> rows = Rows.readSequentially(source, source.planner().plan(1));
      assertThat(rows).extracting(r -> r[0]).containsExactly(1, 3);
    }
    assertThat(context.dirtyRows().rows()).hasSize(1);
    assertThat(context.dirtyRows().rows().get(0).column()).isEqualTo("n");
    assertThat(context.dirtyRows().rows().get(0).location()).endsWith("_id=2");
  }

  @Test
  void positionsAndSplitsKeepEveryBsonType() {
    for (BsonValue id :
        List.of(
            BsonDocument.parse("{v: {$oid: '65f1f0c2a1b2c3d4e5f60718'}}").get("v"),
            BsonDocument.parse("{v: {$numberDecimal: '1.50'}}").get("v"),
            BsonDocument.parse("{v: {a: 1, b: [1, 'x']}}").get("v"),
            BsonDocument.parse("{v: {$date: '2024-01-01T00:00:00Z'}}").get("v"))) {
      assertThat(MongoSplit.lastId(MongoSplit.position(id))).isEqualTo(id);
      MongoSplit split = new MongoSplit("c", 3, id, null, 7);
      Codec<Split> codec = MongoSplit.CODEC;
      assertThat(codec.decode(1, codec.encode(split))).isEqualTo(split);
    }
  }
}
