package io.ferry.connector.sqlserver;

import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writes through the SQL Server sink in each write mode and reads the table back with plain JDBC.
 * On a real server inserts take the bulk copy path; on H2 they fall back to batched INSERTs.
 */
abstract class SqlServerWriteFlows {
  protected final TestConnectorContext context = new TestConnectorContext("sqlserver-write");

  protected abstract SqlServerTestDatabase database();

  @AfterEach
  void dropTables() throws Exception {
    database().dropAll();
  }

  static final Schema SCHEMA =
      Schema.of(
          new Column("id", DataType.INT64, false),
          Column.of("name", DataType.STRING),
          Column.of("amount", DataType.decimal(12, 2)),
          Column.of("seen", DataType.timestampTz(7)));

  static Object[] row(long id, String name, String amount, OffsetDateTime seen) {
    return new Object[] {id, name, amount == null ? null : new BigDecimal(amount), seen};
  }

  static final OffsetDateTime T1 =
      OffsetDateTime.of(2024, 5, 1, 13, 45, 0, 123_456_700, ZoneOffset.ofHours(8));
  static final OffsetDateTime T2 =
      OffsetDateTime.of(1999, 12, 31, 23, 59, 59, 0, ZoneOffset.ofHoursMinutes(-9, -30));

  void seed(String table) throws Exception {
    database().create(table, SCHEMA);
    database()
        .insert(table, SCHEMA, List.of(row(1, "one", "1.00", T1), row(2, "two", "2.00", null)));
  }

  @Test
  void insertsEveryRow() throws Exception {
    Schema schema = TestDatasets.standardSchema(t -> true);
    List<Object[]> rows = TestDatasets.standardRows(schema, 2500);
    database().create("w_insert", schema);
    Pipelines.write(
        new SqlServerConnector(), database().options("w_insert"), context, schema, rows, 1000);
    Rows.assertSameRows(schema, database().read("w_insert", schema), rows);
  }

  @Test
  void upsertUpdatesMatchingKeysAndInsertsTheRest() throws Exception {
    seed("w_upsert");
    Map<String, Object> options = database().options("w_upsert");
    options.put("writeMode", "upsert");
    options.put("keys", "id");
    List<Object[]> batch = List.of(row(2, "TWO", "22.50", T2), row(3, "", null, T1));
    Pipelines.write(new SqlServerConnector(), options, context, SCHEMA, batch, 10);
    Rows.assertSameRows(
        SCHEMA,
        database().read("w_upsert", SCHEMA),
        List.of(row(1, "one", "1.00", T1), row(2, "TWO", "22.50", T2), row(3, "", null, T1)));
  }

  @Test
  void replaceOverwritesEveryWrittenColumn() throws Exception {
    seed("w_replace");
    Map<String, Object> options = database().options("w_replace");
    options.put("writeMode", "replace");
    Pipelines.write(
        new SqlServerConnector(),
        options,
        context,
        SCHEMA,
        List.<Object[]>of(row(1, null, null, null)),
        10);
    Rows.assertSameRows(
        SCHEMA,
        database().read("w_replace", SCHEMA),
        List.of(row(1, null, null, null), row(2, "two", "2.00", null)));
  }

  @Test
  void truncateInsertReplacesEveryRow() throws Exception {
    seed("w_truncate");
    Map<String, Object> options = database().options("w_truncate");
    options.put("writeMode", "truncate-insert");
    List<Object[]> rows = new ArrayList<>();
    for (long id = 10; id < 20; id++) {
      rows.add(row(id, "n" + id, id + ".25", T2));
    }
    Pipelines.write(new SqlServerConnector(), options, context, SCHEMA, rows, 4);
    Rows.assertSameRows(SCHEMA, database().read("w_truncate", SCHEMA), rows);
  }
}
