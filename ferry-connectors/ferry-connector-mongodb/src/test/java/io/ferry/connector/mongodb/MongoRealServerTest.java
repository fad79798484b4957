package io.ferry.connector.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ValidationOptions;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the in-process stand-in cannot do (it does not enforce validators): runs only against a real
 * MongoDB given by FERRY_MONGODB_URI, and is reported as skipped with that reason otherwise.
 */
class MongoRealServerTest {
  private static MongoTestServer server;

  @BeforeAll
  static void startServer() {
    server = MongoTestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void documentsFailingValidationAreDirtyRows() {
    assumeTrue(
        server.real(),
        "needs a real MongoDB (the stand-in does not enforce validators): set "
            + MongoTestServer.ENV);
    server
        .database()
        .createCollection(
            "validated",
            new CreateCollectionOptions()
                .validationOptions(new ValidationOptions().validator(Filters.gte("qty", 0))));
    TestConnectorContext context = new TestConnectorContext("validated");
    Schema schema = Schema.of(Column.of("id", DataType.INT64), Column.of("qty", DataType.INT32));
    MongoFixtures.write(
        server,
        Map.of("collection", "validated", "idColumns", List.of("id")),
        schema,
        List.<Object[]>of(new Object[] {1L, 1}, new Object[] {2L, -1}, new Object[] {3L, 3}),
        context);
    assertThat(server.database().getCollection("validated").countDocuments()).isEqualTo(2);
    assertThat(context.dirtyRows().rows())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reason()).contains("121");
              assertThat(d.row()).containsEntry("qty", -1);
            });
  }
}
