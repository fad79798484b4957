package io.ferry.connector.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.Catalog.ColumnInfo;
import io.ferry.spi.Catalog.TableInfo;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The catalog role on H2 in MODE=MSSQLServer. H2 reports its own type names (TIMESTAMP for
 * DATETIME2, NUMERIC for MONEY, UUID as binary for UNIQUEIDENTIFIER), so this checks the mapping of
 * what H2 shows; SQL Server's own names are covered by SqlServerTypesTest.
 */
class SqlServerCatalogTest {
  private final SqlServerTestDatabase database = SqlServerTestDatabase.h2("sqlserver-catalog");

  @Test
  void describesATableWithKeyTypesAndRowCount() throws Exception {
    database.execute(
        "CREATE TABLE [orders] ([id] BIGINT PRIMARY KEY, [qty] TINYINT NOT NULL,"
            + " [price] MONEY, [note] NVARCHAR(200), [seen] DATETIME2(3), [flag] BIT)",
        "INSERT INTO [orders] ([id], [qty]) VALUES (1, 2), (2, 3), (3, 4)");
    Connector connector = new SqlServerConnector();
    Connector.Role<Catalog> role = connector.catalog().orElseThrow();
    try (Catalog catalog =
        role.create(
            role.options().parse(Map.of("url", database.url)),
            new TestConnectorContext("catalog"))) {
      TableInfo info = catalog.table(new TableRef(null, "orders"));
      assertThat(info.primaryKey()).extracting(String::toLowerCase).containsExactly("id");
      assertThat(info.rowEstimate())
          .as("COUNT(*): H2 has no sys.partitions")
          .isEqualTo(OptionalLong.of(3));
      assertThat(info.columns())
          .extracting(c -> c.name().toLowerCase(), ColumnInfo::type, ColumnInfo::nullable)
          .containsExactly(
              tuple("id", DataType.INT64, false),
              tuple("qty", DataType.INT16, false),
              tuple("price", DataType.decimal(19, 4), true),
              tuple("note", DataType.STRING, true),
              tuple("seen", DataType.timestamp(3), true),
              tuple("flag", DataType.BOOLEAN, true));
    }
  }
}
