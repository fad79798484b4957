package io.ferry.connector.oracle;

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
 * The catalog role on H2 in MODE=Oracle: an unquoted name resolves to the upper-case table, and
 * columns carry Oracle's mapping. H2 reports its own native type names (CHARACTER VARYING for
 * VARCHAR2), so only the Ferry types are Oracle's here.
 */
class OracleCatalogTest {
  private final OracleTestDatabase database = OracleTestDatabase.h2("oracle-catalog");

  @Test
  void describesATableWithOraclesTypesKeyAndRowCount() throws Exception {
    database.execute(
        "CREATE TABLE ORDERS (ID NUMBER(19) PRIMARY KEY, QTY NUMBER(9) NOT NULL,"
            + " PRICE NUMBER(12,2), NOTE VARCHAR2(200 CHAR), PLACED DATE,"
            + " SEEN TIMESTAMP(3) WITH TIME ZONE, RATIO NUMBER)",
        "COMMENT ON TABLE ORDERS IS 'customer orders'",
        "INSERT INTO ORDERS (ID, QTY) VALUES (1, 2)",
        "INSERT INTO ORDERS (ID, QTY) VALUES (2, 3)");
    Connector connector = database.connector();
    Connector.Role<Catalog> role = connector.catalog().orElseThrow();
    try (Catalog catalog =
        role.create(
            role.options().parse(Map.of("url", database.url)),
            new TestConnectorContext("catalog"))) {
      assertThat(catalog.tables("PUBLIC")).contains(new TableRef("PUBLIC", "ORDERS"));
      TableInfo info = catalog.table(new TableRef(null, "orders"));
      assertThat(info.ref()).isEqualTo(new TableRef("PUBLIC", "ORDERS"));
      assertThat(info.primaryKey()).containsExactly("ID");
      assertThat(info.rowEstimate())
          .as("COUNT(*): H2 has no ALL_TABLES")
          .isEqualTo(OptionalLong.of(2));
      assertThat(info.comment()).isEqualTo("customer orders");
      assertThat(info.columns())
          .extracting(ColumnInfo::name, ColumnInfo::type, ColumnInfo::nullable)
          .containsExactly(
              tuple("ID", DataType.INT64, false),
              tuple("QTY", DataType.INT32, false),
              tuple("PRICE", DataType.decimal(12, 2), true),
              tuple("NOTE", DataType.STRING, true),
              tuple("PLACED", DataType.timestamp(0), true),
              tuple("SEEN", DataType.timestampTz(3), true),
              tuple("RATIO", DataType.decimal(38, 10), true));
    }
  }
}
