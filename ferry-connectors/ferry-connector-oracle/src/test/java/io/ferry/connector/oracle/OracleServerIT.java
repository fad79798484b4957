package io.ferry.connector.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * What only a real Oracle server can show: the MERGE upsert and replace (H2 cannot type their
 * parameters), and Oracle's own column types read through the source (H2 has no TIMESTAMP WITH
 * LOCAL TIME ZONE, no ojdbc INTERVAL values, no NUMBER without precision of its own).
 */
@EnabledIfEnvironmentVariable(
    named = OracleTestDatabase.URL_VARIABLE,
    matches = ".+",
    disabledReason =
        "set FERRY_ORACLE_URL (and FERRY_ORACLE_USER, FERRY_ORACLE_PASSWORD) to a real Oracle server")
class OracleServerIT {
  private final OracleTestDatabase database = OracleTestDatabase.fromEnvironment();
  private final TestConnectorContext context = new TestConnectorContext("oracle-server");

  @AfterEach
  void dropTables() throws Exception {
    database.dropAll();
  }

  private static final Schema SCHEMA =
      Schema.of(
          new Column("id", DataType.INT64, false),
          Column.of("name", DataType.STRING),
          Column.of("amount", DataType.decimal(12, 2)));

  private static Object[] row(long id, String name, String amount) {
    return new Object[] {id, name, amount == null ? null : new BigDecimal(amount)};
  }

  private void seed(String table) throws Exception {
    database.create(table, SCHEMA);
    database.insert(table, SCHEMA, List.of(row(1, "one", "1.00"), row(2, "two", "2.00")));
  }

  @Test
  void upsertUpdatesMatchingKeysAndInsertsTheRest() throws Exception {
    seed("merge_upsert");
    Map<String, Object> options = database.options("merge_upsert");
    options.put("writeMode", "upsert");
    options.put("keys", "id");
    List<Object[]> batch =
        List.of(row(2, "TWO", "22.50"), row(3, "three", null), row(3, "three again", "3.00"));
    Pipelines.write(database.connector(), options, context, SCHEMA, batch, 2);
    Rows.assertSameRows(
        SCHEMA,
        database.read("merge_upsert", SCHEMA),
        List.of(row(1, "one", "1.00"), row(2, "TWO", "22.50"), row(3, "three again", "3.00")));
  }

  @Test
  void replaceOverwritesTheWholeRow() throws Exception {
    seed("merge_replace");
    Map<String, Object> options = database.options("merge_replace");
    options.put("writeMode", "replace");
    Pipelines.write(
        database.connector(), options, context, SCHEMA, List.<Object[]>of(row(1, null, null)), 10);
    Rows.assertSameRows(
        SCHEMA,
        database.read("merge_replace", SCHEMA),
        List.of(row(1, null, null), row(2, "two", "2.00")));
  }

  @Test
  void snapshotReadsEveryRowAsOfTheScnTheSourceTookWhenPlanning() throws Exception {
    seed("snapshot");
    Map<String, Object> options = database.options("snapshot");
    options.put("snapshot", true);
    try (Source source = Pipelines.source(database.connector(), options, context)) {
      assertThat(source.planner().plan(2)).as("splits").isNotEmpty();
      database.insert("snapshot", SCHEMA, List.<Object[]>of(row(3, "late", "3.00")));
      Rows.assertSameRows(
          SCHEMA, Pipelines.readAll(source), List.of(row(1, "one", "1.00"), row(2, "two", "2.00")));
    }
    assertThat(database.read("snapshot", SCHEMA)).as("rows after the late insert").hasSize(3);
  }

  @Test
  void readsOraclesOwnTypes() throws Exception {
    String table = database.table("native_types");
    database.createdByConnector("native_types");
    database.execute(
        "CREATE TABLE \""
            + table
            + "\" (\"id\" NUMBER(19) PRIMARY KEY, \"n\" NUMBER,"
            + " \"d\" DATE, \"ltz\" TIMESTAMP(3) WITH LOCAL TIME ZONE,"
            + " \"ids\" INTERVAL DAY(2) TO SECOND(3), \"bf\" BINARY_FLOAT, \"nc\" NCLOB,"
            + " \"r\" RAW(4))",
        "INSERT INTO \""
            + table
            + "\" VALUES (1, 12.5, TIMESTAMP '2024-02-29 13:45:07',"
            + " TIMESTAMP '2024-05-01 12:00:00.125 +00:00', INTERVAL '1 02:03:04.5' DAY TO SECOND,"
            + " 1.5, N'\u4E2D\u6587', HEXTORAW('00FF7F80'))");
    List<Object[]> rows;
    try (Source source =
        Pipelines.source(database.connector(), database.options("native_types"), context)) {
      assertThat(source.schema().columns().stream().map(c -> c.name() + " " + c.type()).toList())
          .containsExactly(
              "id int64",
              "n decimal(38,10)",
              "d timestamp(0)",
              "ltz timestamp_tz(3)",
              "ids string",
              "bf float32",
              "nc string",
              "r bytes");
      rows = new ArrayList<>(Pipelines.readAll(source));
    }
    assertThat(rows).hasSize(1);
    Object[] r = rows.get(0);
    assertThat(r[1]).isEqualTo(new BigDecimal("12.5000000000"));
    assertThat(r[2]).isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 45, 7));
    // The test context's zone is UTC, so the session shows the local-zone value in UTC.
    assertThat(r[3])
        .isEqualTo(OffsetDateTime.of(2024, 5, 1, 12, 0, 0, 125_000_000, ZoneOffset.UTC));
    assertThat((String) r[4]).contains("1").contains("02:03:04.5");
    assertThat(r[5]).isEqualTo(1.5f);
    assertThat(r[6]).isEqualTo("\u4E2D\u6587");
    assertThat((byte[]) r[7]).containsExactly(0, -1, 127, -128);
  }
}
