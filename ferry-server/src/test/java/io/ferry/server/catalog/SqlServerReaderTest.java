package io.ferry.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The SQL Server reader's statements on H2 2.x in {@code MODE=MSSQLServer}: the {@code
 * INFORMATION_SCHEMA} ones run on H2's own views over real tables (type names are H2's); the {@code
 * sys.*} one runs on stand-in tables of the same shape. A real server is read by {@link
 * SqlServerReaderRealIT} when {@code FERRY_TEST_SQLSERVER_URL} is set.
 */
class SqlServerReaderTest {
  @Test
  void readsTablesColumnsKeysDescriptionsAndRowCountsInBulk() throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:h2:mem:mssql-" + UUID.randomUUID() + ";MODE=MSSQLServer");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA sales");
      s.execute(
          "CREATE TABLE sales.orders (id INT NOT NULL, code VARCHAR(20) NOT NULL,"
              + " amount DECIMAL(12,2) DEFAULT 0, note VARCHAR(200), PRIMARY KEY (id),"
              + " CONSTRAINT orders_code UNIQUE (code))");
      s.execute("CREATE TABLE sales.tmp_x (id INT)");
      s.execute("CREATE VIEW sales.big_orders AS SELECT id, amount FROM sales.orders");
      s.execute("CREATE SCHEMA sys");
      s.execute("CREATE TABLE sys.schemas (schema_id INT, name VARCHAR(128))");
      // type is char(2) on the server, which compares 'U ' equal to 'U'; H2's CHAR does not.
      s.execute(
          "CREATE TABLE sys.objects (object_id INT, name VARCHAR(128), schema_id INT,"
              + " type VARCHAR(2))");
      s.execute(
          "CREATE TABLE sys.extended_properties (class INT, major_id INT, minor_id INT,"
              + " name VARCHAR(128), \"value\" VARCHAR(4000))");
      s.execute("CREATE TABLE sys.columns (object_id INT, column_id INT, name VARCHAR(128))");
      s.execute("CREATE TABLE sys.partitions (object_id INT, index_id INT, \"rows\" BIGINT)");
      s.execute("INSERT INTO sys.schemas VALUES (5, 'SALES')");
      s.execute(
          "INSERT INTO sys.objects VALUES (100, 'ORDERS', 5, 'U'), (101, 'BIG_ORDERS', 5, 'V'),"
              + " (102, 'TMP_X', 5, 'U')");
      s.execute(
          "INSERT INTO sys.extended_properties VALUES (1, 100, 0, 'MS_Description',"
              + " 'customer orders'), (1, 100, 3, 'MS_Description', 'gross amount')");
      s.execute("INSERT INTO sys.columns VALUES (100, 1, 'ID'), (100, 3, 'AMOUNT')");
      s.execute("INSERT INTO sys.partitions VALUES (100, 1, 1200), (100, 1, 34), (100, 2, 9)");

      SqlServerReader reader = new SqlServerReader(c, 30);
      // (The stand-in's schema is SYS in upper case, which H2 compares case-sensitively with the
      // left-out 'sys'; a server's default collation does not.)
      assertThat(reader.databases())
          .contains("SALES", "PUBLIC")
          .doesNotContain("INFORMATION_SCHEMA");
      Collected.Database db = reader.read("SALES", ObjectFilter.of(null, "*.TMP_*"));
      assertThat(db.problems()).isEmpty();
      Map<String, Collected.Table> tables = byName(db.tables());
      assertThat(tables.keySet()).containsExactlyInAnyOrder("ORDERS", "BIG_ORDERS");

      Collected.Table orders = tables.get("ORDERS");
      assertThat(orders.kind()).isEqualTo("TABLE");
      assertThat(orders.comment()).isEqualTo("customer orders");
      assertThat(orders.stats()).containsEntry("rowEstimate", 1234L);
      assertThat(orders.attributes()).containsEntry("primaryKey", List.of("ID"));
      assertThat(orders.attributes().get("indexes"))
          .isEqualTo(Map.of("ORDERS_CODE", Map.of("unique", true, "columns", List.of("CODE"))));
      assertThat(orders.columns())
          .extracting(Collected.Column::name)
          .containsExactly("ID", "CODE", "AMOUNT", "NOTE");
      Collected.Column amount = orders.columns().get(2);
      assertThat(amount.comment()).isEqualTo("gross amount");
      assertThat(amount.nullable()).isTrue();
      assertThat(amount.defaultValue()).isEqualTo("0");
      assertThat(amount.attributes()).containsEntry("precision", 12L).containsEntry("scale", 2L);
      assertThat(orders.columns().get(1).nullable()).isFalse();
      assertThat(orders.columns().get(1).attributes()).containsEntry("length", 20L);

      Collected.Table view = tables.get("BIG_ORDERS");
      assertThat(view.kind()).isEqualTo("VIEW");
      assertThat(view.stats()).doesNotContainKey("rowEstimate");
      assertThat(view.columns()).hasSize(2);
    }
  }

  @Test
  void typesAreWrittenAsTheServersDdlWritesThem() {
    assertThat(SqlServerReader.nativeType("nvarchar", 40L, null, null, null))
        .isEqualTo("nvarchar(40)");
    assertThat(SqlServerReader.nativeType("varchar", -1L, null, null, null))
        .isEqualTo("varchar(max)");
    assertThat(SqlServerReader.nativeType("decimal", null, 12L, 2L, null))
        .isEqualTo("decimal(12,2)");
    assertThat(SqlServerReader.nativeType("datetime2", null, null, null, 3L))
        .isEqualTo("datetime2(3)");
    assertThat(SqlServerReader.nativeType("INT", null, 10L, 0L, null)).isEqualTo("int");
    assertThat(SqlServerReader.nativeType(null, null, null, null, null)).isNull();
  }

  static Map<String, Collected.Table> byName(List<Collected.Table> tables) {
    Map<String, Collected.Table> out = new java.util.LinkedHashMap<>();
    tables.forEach(t -> out.put(t.name(), t));
    return out;
  }
}
