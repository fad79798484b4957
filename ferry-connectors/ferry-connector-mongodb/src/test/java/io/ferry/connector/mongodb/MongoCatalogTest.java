package io.ferry.connector.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.util.Map;
import java.util.OptionalLong;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MongoCatalogTest {
  private static MongoTestServer server;

  @BeforeAll
  static void startServer() {
    server = MongoTestServer.start();
    var c = server.database().getCollection("orders");
    c.insertOne(new Document("_id", 1).append("code", "a").append("qty", 1));
    c.insertOne(new Document("_id", 2).append("code", "b").append("qty", 2L));
    c.createIndex(Indexes.ascending("code"), new IndexOptions().unique(true).name("by_code"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void listsDatabasesCollectionsFieldsIndexesAndCounts() {
    var role = new MongoConnector().catalog().orElseThrow();
    Map<String, Object> raw = new java.util.HashMap<>(server.options());
    raw.remove("database");
    try (Catalog catalog =
        role.create(role.options().parse(raw), new TestConnectorContext("catalog"))) {
      assertThat(catalog.schemas()).contains(server.databaseName());
      assertThat(catalog.tables(server.databaseName()))
          .containsExactly(new Catalog.TableRef(server.databaseName(), "orders"));
      Catalog.TableInfo info = catalog.table(new Catalog.TableRef(server.databaseName(), "orders"));
      assertThat(info.columns())
          .extracting(Catalog.ColumnInfo::name)
          .containsExactly("_id", "code", "qty");
      assertThat(info.columns().get(2).type()).isEqualTo(DataType.INT64);
      assertThat(info.columns().get(2).nativeType()).isIn("int32|int64", "int64|int32");
      assertThat(info.primaryKey()).containsExactly("_id");
      assertThat(info.indexes())
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.name()).isEqualTo("by_code");
                assertThat(i.columns()).containsExactly("code");
                assertThat(i.unique()).isTrue();
              });
      assertThat(info.rowEstimate()).isEqualTo(OptionalLong.of(2));
      FerryException e =
          catchThrowableOfType(
              FerryException.class,
              () -> catalog.table(new Catalog.TableRef(server.databaseName(), "nope")));
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
  }
}
