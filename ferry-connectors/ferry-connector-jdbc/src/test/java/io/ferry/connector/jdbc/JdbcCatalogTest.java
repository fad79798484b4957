package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.Catalog.ColumnInfo;
import io.ferry.spi.Catalog.TableInfo;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The catalog role through DatabaseMetaData on H2. */
class JdbcCatalogTest {
  private final H2Database db = new H2Database("catalog");

  @Test
  void describesSchemasTablesColumnsKeysAndEstimates() throws Exception {
    db.execute(
        "CREATE SCHEMA sales",
        "CREATE TABLE sales.orders (id BIGINT, line INT, sku VARCHAR(32) NOT NULL,"
            + " price DECIMAL(12,2) DEFAULT 0, placed TIMESTAMP(3), PRIMARY KEY (id, line))",
        "COMMENT ON TABLE sales.orders IS 'one row per order line'",
        "COMMENT ON COLUMN sales.orders.sku IS 'stock keeping unit'",
        "INSERT INTO sales.orders VALUES (1, 1, 'a', 1.50, NULL), (1, 2, 'b', 2, NULL)");
    Map<String, Object> options = Map.of("url", db.url);
    try (Catalog catalog =
        Jdbc.catalog(new GenericJdbcConnector(), options, new TestConnectorContext("catalog"))) {
      assertThat(catalog.schemas()).contains("SALES", "PUBLIC");
      assertThat(catalog.tables("SALES")).containsExactly(new TableRef("SALES", "ORDERS"));
      TableInfo info = catalog.table(new TableRef("sales", "orders"));
      assertThat(info.ref()).isEqualTo(new TableRef("SALES", "ORDERS"));
      assertThat(info.primaryKey()).containsExactly("ID", "LINE");
      assertThat(info.rowEstimate()).isEqualTo(OptionalLong.of(2));
      assertThat(info.comment()).isEqualTo("one row per order line");
      assertThat(info.columns())
          .extracting(ColumnInfo::name, ColumnInfo::type, ColumnInfo::nullable)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("ID", DataType.INT64, false),
              org.assertj.core.groups.Tuple.tuple("LINE", DataType.INT32, false),
              org.assertj.core.groups.Tuple.tuple("SKU", DataType.STRING, false),
              org.assertj.core.groups.Tuple.tuple("PRICE", DataType.decimal(12, 2), true),
              org.assertj.core.groups.Tuple.tuple("PLACED", DataType.timestamp(3), true));
      ColumnInfo sku = info.columns().get(2);
      assertThat(sku.nativeType()).isEqualTo("CHARACTER VARYING(32)");
      assertThat(sku.comment()).isEqualTo("stock keeping unit");
      assertThat(info.columns().get(3).defaultValue()).isEqualTo("0");
      FerryException e =
          catchThrowableOfType(
              FerryException.class, () -> catalog.table(new TableRef("SALES", "NONE")));
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
  }

  @Test
  void listsIndexesBesidesThePrimaryKey() throws Exception {
    db.execute(
        "CREATE TABLE items (id BIGINT PRIMARY KEY, sku VARCHAR(32), shop INT, placed DATE)",
        "CREATE UNIQUE INDEX items_sku ON items (sku)",
        "CREATE INDEX items_shop_placed ON items (shop, placed)");
    try (Catalog catalog =
        Jdbc.catalog(
            new GenericJdbcConnector(), Map.of("url", db.url), new TestConnectorContext("c"))) {
      TableInfo info = catalog.table(new TableRef(null, "items"));
      assertThat(info.primaryKey()).containsExactly("ID");
      assertThat(info.indexes())
          .containsExactlyInAnyOrder(
              new Catalog.IndexInfo("ITEMS_SKU", java.util.List.of("SKU"), true),
              new Catalog.IndexInfo(
                  "ITEMS_SHOP_PLACED", java.util.List.of("SHOP", "PLACED"), false));
    }
  }
}
