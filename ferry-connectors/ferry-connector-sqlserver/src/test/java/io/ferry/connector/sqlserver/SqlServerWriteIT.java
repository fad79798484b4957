package io.ferry.connector.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.Schema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link SqlServerWriteFlows} against the real SQL Server of FERRY_SQLSERVER_URL, where inserts
 * take the bulk copy path, plus every Ferry type through createTable and bulk copy and back.
 */
@EnabledIfEnvironmentVariable(
    named = SqlServerTestDatabase.URL_VARIABLE,
    matches = ".+",
    disabledReason =
        "set FERRY_SQLSERVER_URL (and FERRY_SQLSERVER_USER, FERRY_SQLSERVER_PASSWORD) to a real"
            + " SQL Server")
class SqlServerWriteIT extends SqlServerWriteFlows {
  private final SqlServerTestDatabase database = SqlServerTestDatabase.fromEnvironment();

  @Override
  protected SqlServerTestDatabase database() {
    return database;
  }

  @Test
  void everyTypeRoundTripsThroughBulkCopy() throws Exception {
    Schema schema = TestDatasets.typesSchema(t -> true);
    List<Object[]> rows = TestDatasets.typesRows(schema);
    Map<String, Object> options = database.options("bulk_types");
    options.put("createTable", true);
    options.put("keys", "id");
    database.createdByConnector("bulk_types");
    Pipelines.write(new SqlServerConnector(), options, context, schema, rows, 100);
    Rows.assertSameRows(schema, database.read("bulk_types", schema), rows);
    assertThat(context.dirtyRows().rows()).as("dirty rows").isEmpty();
  }
}
