package io.ferry.connector.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.OptionSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The SQL and connection settings the SQL Server dialect produces, as exact strings. */
class SqlServerDialectTest {
  private final SqlServerDialect dialect = new SqlServerDialect();

  @Test
  void quotesWithBracketsDoublingClosingOnes() {
    assertThat(dialect.sql().quote("orders")).isEqualTo("[orders]");
    assertThat(dialect.sql().quote("odd]name")).isEqualTo("[odd]]name]");
    assertThat(dialect.sql().quote("[x]")).isEqualTo("[[x]]]");
    assertThat(dialect.sql().quote("a b.c\"d'")).isEqualTo("[a b.c\"d']");
    assertThat(dialect.sql().qualifiedName(new TableRef("dbo", "Order Lines")))
        .isEqualTo("[dbo].[Order Lines]");
  }

  @Test
  void upsertIsAMergeFromAValuesRowBindingEachColumnOnceInOrder() {
    String sql =
        dialect.sql().upsertSql("[dbo].[t]", List.of("id", "name", "amount"), List.of("id")).get();
    assertThat(sql)
        .isEqualTo(
            "MERGE INTO [dbo].[t] AS t USING (VALUES (?, ?, ?)) AS s ([id], [name], [amount])"
                + " ON t.[id] = s.[id]"
                + " WHEN MATCHED THEN UPDATE SET t.[name] = s.[name], t.[amount] = s.[amount]"
                + " WHEN NOT MATCHED THEN INSERT ([id], [name], [amount])"
                + " VALUES (s.[id], s.[name], s.[amount]);");
    assertThat(sql).as("MERGE must end with a semicolon").endsWith(";");
  }

  @Test
  void mergeWithACompositeKeyAndOddNames() {
    assertThat(dialect.sql().upsertSql("[t]", List.of("a]1", "b", "v"), List.of("a]1", "b")).get())
        .isEqualTo(
            "MERGE INTO [t] AS t USING (VALUES (?, ?, ?)) AS s ([a]]1], [b], [v])"
                + " ON t.[a]]1] = s.[a]]1] AND t.[b] = s.[b]"
                + " WHEN MATCHED THEN UPDATE SET t.[v] = s.[v]"
                + " WHEN NOT MATCHED THEN INSERT ([a]]1], [b], [v]) VALUES (s.[a]]1], s.[b],"
                + " s.[v]);");
  }

  @Test
  void mergeOfKeyColumnsOnlyOnlyInserts() {
    assertThat(dialect.sql().upsertSql("[t]", List.of("k"), List.of("k")).get())
        .isEqualTo(
            "MERGE INTO [t] AS t USING (VALUES (?)) AS s ([k]) ON t.[k] = s.[k]"
                + " WHEN NOT MATCHED THEN INSERT ([k]) VALUES (s.[k]);");
  }

  @Test
  void replaceIsTheMergeSettingEveryColumn() {
    assertThat(dialect.sql().replaceSql("[t]", List.of("k", "v"), List.of("k")))
        .isEqualTo(dialect.sql().upsertSql("[t]", List.of("k", "v"), List.of("k")));
    assertThatThrownBy(() -> dialect.sql().replaceSql("[t]", List.of("v"), List.of()))
        .hasMessageContaining("key");
  }

  @Test
  void insertAndTruncate() {
    assertThat(dialect.sql().insertSql("[t]", List.of("a", "b")))
        .isEqualTo("INSERT INTO [t] ([a], [b]) VALUES (?, ?)");
    assertThat(dialect.sql().truncateSql("[dbo].[t]")).isEqualTo("TRUNCATE TABLE [dbo].[t]");
  }

  @Test
  void createTableUsesSqlServerTypesAndIndexableKeys() {
    List<Column> columns =
        List.of(
            new Column("code", DataType.STRING, false),
            new Column("hash", DataType.BYTES, false),
            Column.of("note", DataType.STRING),
            Column.of("small", DataType.INT8),
            Column.of("price", DataType.decimal(19, 4)),
            Column.of("at", DataType.timestamp(9)),
            Column.of("zoned", DataType.timestampTz(3)),
            Column.of("t", DataType.time(6)),
            Column.of("doc", DataType.JSON));
    assertThat(
            dialect
                .sql()
                .createTableSql("[dbo].[t]", columns, List.of("code", "hash"), dialect.types()))
        .isEqualTo(
            "CREATE TABLE [dbo].[t] ([code] NVARCHAR(450) NOT NULL,"
                + " [hash] VARBINARY(900) NOT NULL, [note] NVARCHAR(MAX) NULL,"
                + " [small] SMALLINT NULL, [price] DECIMAL(19,4) NULL, [at] DATETIME2(7) NULL,"
                + " [zoned] DATETIMEOFFSET(3) NULL, [t] TIME(6) NULL, [doc] NVARCHAR(MAX) NULL,"
                + " PRIMARY KEY ([code], [hash]))");
  }

  @Test
  void buildsUrlsWithPortInstanceAndEscapedDatabase() {
    assertThat(dialect.sessions().url("db1", OptionalInt.empty(), "sales"))
        .isEqualTo("jdbc:sqlserver://db1:1433;databaseName=sales");
    assertThat(dialect.sessions().url("db1", OptionalInt.of(14330), null))
        .isEqualTo("jdbc:sqlserver://db1:14330");
    assertThat(dialect.sessions().url("db1\\SQLEXPRESS", OptionalInt.empty(), "a;b"))
        .isEqualTo("jdbc:sqlserver://db1\\SQLEXPRESS;databaseName={a;b}");
  }

  @Test
  void connectTimeoutIsTheLoginTimeoutInWholeSeconds() {
    assertThat(dialect.sessions().connectTimeoutProperties(java.time.Duration.ofMillis(2500)))
        .containsExactly(Map.entry("loginTimeout", "3"));
    assertThat(dialect.sessions().connectTimeoutProperties(java.time.Duration.ofMillis(250)))
        .containsExactly(Map.entry("loginTimeout", "1"));
  }

  @Test
  void streamsAndEncryptsByDefaultAndTakesTheEncryptionOptions() {
    assertThat(dialect.sessions().driverProperties())
        .containsEntry("responseBuffering", "adaptive")
        .containsEntry("sendTimeAsDatetime", "false")
        .containsEntry("encrypt", "true")
        .containsEntry("trustServerCertificate", "false");
    OptionSet options =
        OptionSet.of(
            SqlServerDialect.ENCRYPT,
            SqlServerDialect.TRUST_SERVER_CERTIFICATE,
            SqlServerDialect.TABLE_LOCK);
    var configured =
        dialect.configure(
            options.parse(Map.of("encrypt", "strict", "trustServerCertificate", true)));
    assertThat(configured.sessions().driverProperties())
        .containsEntry("encrypt", "strict")
        .containsEntry("trustServerCertificate", "true");
  }
}
