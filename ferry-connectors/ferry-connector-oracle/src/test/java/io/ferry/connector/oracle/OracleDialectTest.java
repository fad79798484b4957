package io.ferry.connector.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The SQL and connection settings the Oracle dialect produces, as exact strings. */
class OracleDialectTest {
  private final OracleDialect dialect = new OracleDialect();

  @Test
  void quotesIdentifiersKeepingTheirCase() {
    assertThat(dialect.sql().quote("orders")).isEqualTo("\"orders\"");
    assertThat(dialect.sql().quote("Order Lines")).isEqualTo("\"Order Lines\"");
    assertThat(dialect.sql().quote("a.b;--")).isEqualTo("\"a.b;--\"");
    assertThat(dialect.sql().quote("größe")).isEqualTo("\"größe\"");
    assertThat(dialect.sql().qualifiedName(new TableRef("SALES", "ORDERS")))
        .isEqualTo("\"SALES\".\"ORDERS\"");
  }

  @Test
  void refusesIdentifiersOracleCannotQuote() {
    assertThatThrownBy(() -> dialect.sql().quote("say \"hi\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("say \"hi\"");
    assertThatThrownBy(() -> dialect.sql().quote("nul\0"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void upsertIsAMergeFromDualBindingEachColumnOnceInOrder() {
    String sql =
        dialect
            .sql()
            .upsertSql("\"S\".\"T\"", List.of("ID", "NAME", "AMOUNT"), List.of("ID"))
            .get();
    assertThat(sql)
        .isEqualTo(
            "MERGE INTO \"S\".\"T\" t USING (SELECT ? \"ID\", ? \"NAME\", ? \"AMOUNT\" FROM dual) s"
                + " ON (t.\"ID\" = s.\"ID\")"
                + " WHEN MATCHED THEN UPDATE SET t.\"NAME\" = s.\"NAME\", t.\"AMOUNT\" = s.\"AMOUNT\""
                + " WHEN NOT MATCHED THEN INSERT (\"ID\", \"NAME\", \"AMOUNT\")"
                + " VALUES (s.\"ID\", s.\"NAME\", s.\"AMOUNT\")");
    assertThat(sql.chars().filter(c -> c == '?')).hasSize(3);
  }

  @Test
  void mergeWithACompositeKeyMatchesOnEveryKeyColumn() {
    assertThat(dialect.sql().upsertSql("\"T\"", List.of("a", "b", "v"), List.of("a", "b")).get())
        .isEqualTo(
            "MERGE INTO \"T\" t USING (SELECT ? \"a\", ? \"b\", ? \"v\" FROM dual) s"
                + " ON (t.\"a\" = s.\"a\" AND t.\"b\" = s.\"b\")"
                + " WHEN MATCHED THEN UPDATE SET t.\"v\" = s.\"v\""
                + " WHEN NOT MATCHED THEN INSERT (\"a\", \"b\", \"v\") VALUES (s.\"a\", s.\"b\","
                + " s.\"v\")");
  }

  @Test
  void mergeOfKeyColumnsOnlyOnlyInserts() {
    // Oracle rejects an UPDATE SET with nothing to set, and updating a key in its own ON is
    // ORA-38104: without non-key columns the MERGE only inserts what is missing.
    assertThat(dialect.sql().upsertSql("\"T\"", List.of("k"), List.of("k")).get())
        .isEqualTo(
            "MERGE INTO \"T\" t USING (SELECT ? \"k\" FROM dual) s ON (t.\"k\" = s.\"k\")"
                + " WHEN NOT MATCHED THEN INSERT (\"k\") VALUES (s.\"k\")");
  }

  @Test
  void replaceIsTheMergeSettingEveryColumn() {
    assertThat(dialect.sql().replaceSql("\"T\"", List.of("k", "v"), List.of("k")))
        .isEqualTo(dialect.sql().upsertSql("\"T\"", List.of("k", "v"), List.of("k")));
  }

  @Test
  void mergeNeedsAKey() {
    assertThatThrownBy(() -> dialect.sql().upsertSql("\"T\"", List.of("v"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key");
  }

  @Test
  void insertAndTruncateAreStandard() {
    assertThat(dialect.sql().insertSql("\"T\"", List.of("a", "b")))
        .isEqualTo("INSERT INTO \"T\" (\"a\", \"b\") VALUES (?, ?)");
    assertThat(dialect.sql().truncateSql("\"S\".\"T\"")).isEqualTo("TRUNCATE TABLE \"S\".\"T\"");
  }

  @Test
  void createTableUsesOracleTypesAndIndexableKeyTypes() {
    List<Column> columns =
        List.of(
            new Column("id", DataType.INT64, false),
            new Column("hash", DataType.BYTES, false),
            Column.of("payload", DataType.BYTES),
            Column.of("price", DataType.decimal(12, 2)),
            Column.of("seen", DataType.timestampTz(3)),
            Column.of("doc", DataType.JSON));
    assertThat(
            dialect.sql().createTableSql("\"T\"", columns, List.of("id", "hash"), dialect.types()))
        .isEqualTo(
            "CREATE TABLE \"T\" (\"id\" NUMBER(19) NOT NULL, \"hash\" RAW(2000) NOT NULL,"
                + " \"payload\" BLOB, \"price\" NUMBER(12,2),"
                + " \"seen\" TIMESTAMP(3) WITH TIME ZONE, \"doc\" CLOB,"
                + " PRIMARY KEY (\"id\", \"hash\"))");
  }

  @Test
  void createTableRefusesDecimalsWiderThanNumber() {
    assertThatThrownBy(
            () ->
                dialect
                    .sql()
                    .createTableSql(
                        "\"T\"",
                        List.of(Column.of("big", DataType.decimal(40, 2))),
                        List.of(),
                        dialect.types()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decimal(40,2)")
        .hasMessageContaining("38 digits");
  }

  @Test
  void buildsServiceNameAndSidUrls() {
    assertThat(dialect.sessions().url("db1", OptionalInt.empty(), "ORCLPDB1"))
        .isEqualTo("jdbc:oracle:thin:@//db1:1521/ORCLPDB1");
    assertThat(dialect.sessions().url("db1", OptionalInt.of(1522), null))
        .isEqualTo("jdbc:oracle:thin:@//db1:1522");
    OracleSessions sid = new OracleSessions(true, (c, z) -> {});
    assertThat(sid.url("db1", OptionalInt.empty(), "ORCL"))
        .isEqualTo("jdbc:oracle:thin:@db1:1521:ORCL");
    assertThatThrownBy(() -> sid.url("db1", OptionalInt.empty(), null)).hasMessageContaining("SID");
  }

  @Test
  void setsTheSessionZoneAndFormatsInOneStatement() {
    assertThat(OracleSessions.alterSessionSql(ZoneId.of("Asia/Shanghai")))
        .isEqualTo(
            "ALTER SESSION SET TIME_ZONE = 'Asia/Shanghai'"
                + " NLS_DATE_FORMAT = 'YYYY-MM-DD HH24:MI:SS'"
                + " NLS_TIMESTAMP_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9'"
                + " NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM'"
                + " NLS_NUMERIC_CHARACTERS = '.,'"
                + " NLS_SORT = BINARY NLS_COMP = BINARY");
    assertThat(OracleSessions.oracleZone(ZoneOffset.UTC)).isEqualTo("+00:00");
    assertThat(OracleSessions.oracleZone(ZoneId.of("UTC"))).isEqualTo("+00:00");
    assertThat(OracleSessions.oracleZone(ZoneOffset.ofHoursMinutes(-9, -30))).isEqualTo("-09:30");
    assertThat(OracleSessions.oracleZone(ZoneId.of("Europe/Berlin"))).isEqualTo("Europe/Berlin");
  }

  @Test
  void connectTimeoutIsTheDriversOwnInMilliseconds() {
    assertThat(dialect.sessions().connectTimeoutProperties(java.time.Duration.ofMillis(2500)))
        .containsExactly(java.util.Map.entry("oracle.net.CONNECT_TIMEOUT", "2500"));
  }

  @Test
  void driverSkipsTheRegionLogonAndReportsComments() {
    assertThat(dialect.sessions().driverProperties())
        .containsEntry("oracle.jdbc.timezoneAsRegion", "false")
        .containsEntry("remarksReporting", "true");
  }
}
