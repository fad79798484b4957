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
 * The Oracle reader's statements on H2 2.x in {@code MODE=Oracle}, over stand-in tables shaped as
 * the {@code ALL_*} dictionary views (the columns the reader reads), filled as Oracle fills them
 * for a table with a primary key and a unique index, a valid view and an invalid one. A real server
 * is read by {@link OracleReaderRealIT} when {@code FERRY_TEST_ORACLE_URL} is set.
 */
class OracleReaderTest {
  @Test
  void readsTablesViewsColumnsAndIndexesInBulk() throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:h2:mem:ora-" + UUID.randomUUID() + ";MODE=Oracle");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE ALL_USERS (USERNAME VARCHAR(128), ORACLE_MAINTAINED VARCHAR(1))");
      s.execute(
          "CREATE TABLE ALL_TABLES (OWNER VARCHAR(128), TABLE_NAME VARCHAR(128),"
              + " TABLESPACE_NAME VARCHAR(30), PARTITIONED VARCHAR(3), TEMPORARY VARCHAR(1),"
              + " IOT_TYPE VARCHAR(12), NUM_ROWS NUMBER, BLOCKS NUMBER, AVG_ROW_LEN NUMBER,"
              + " LAST_ANALYZED DATE, NESTED VARCHAR(3), SECONDARY VARCHAR(1))");
      s.execute(
          "CREATE TABLE ALL_TAB_COMMENTS (OWNER VARCHAR(128), TABLE_NAME VARCHAR(128),"
              + " COMMENTS VARCHAR(4000))");
      s.execute("CREATE TABLE ALL_VIEWS (OWNER VARCHAR(128), VIEW_NAME VARCHAR(128))");
      s.execute(
          "CREATE TABLE ALL_TAB_COLUMNS (OWNER VARCHAR(128), TABLE_NAME VARCHAR(128),"
              + " COLUMN_NAME VARCHAR(128), COLUMN_ID NUMBER, DATA_TYPE VARCHAR(128),"
              + " DATA_LENGTH NUMBER, DATA_PRECISION NUMBER, DATA_SCALE NUMBER,"
              + " NULLABLE VARCHAR(1), CHAR_LENGTH NUMBER, CHAR_USED VARCHAR(1),"
              + " DATA_DEFAULT CLOB)");
      s.execute(
          "CREATE TABLE ALL_COL_COMMENTS (OWNER VARCHAR(128), TABLE_NAME VARCHAR(128),"
              + " COLUMN_NAME VARCHAR(128), COMMENTS VARCHAR(4000))");
      s.execute(
          "CREATE TABLE ALL_INDEXES (OWNER VARCHAR(128), INDEX_NAME VARCHAR(128),"
              + " TABLE_OWNER VARCHAR(128), TABLE_NAME VARCHAR(128), UNIQUENESS VARCHAR(9))");
      s.execute(
          "CREATE TABLE ALL_IND_COLUMNS (INDEX_OWNER VARCHAR(128), INDEX_NAME VARCHAR(128),"
              + " COLUMN_NAME VARCHAR(4000), COLUMN_POSITION NUMBER)");
      s.execute(
          "CREATE TABLE ALL_CONSTRAINTS (OWNER VARCHAR(128), CONSTRAINT_TYPE VARCHAR(1),"
              + " INDEX_NAME VARCHAR(128))");

      s.execute("INSERT INTO ALL_USERS VALUES ('SYS', 'Y'), ('SALES', 'N'), ('HR', 'N')");
      s.execute(
          "INSERT INTO ALL_TABLES VALUES ('SALES', 'ORDERS', 'USERS', 'NO', 'N', NULL, 1200, 40,"
              + " 61, DATE '2026-12-01', 'NO', 'N'), ('SALES', 'Orders', 'USERS', 'YES', 'N',"
              + " NULL, NULL, NULL, NULL, NULL, 'NO', 'N'), ('SALES', 'TMP_X', 'USERS', 'NO', 'N',"
              + " NULL, NULL, NULL, NULL, NULL, 'NO', 'N'), ('HR', 'STAFF', 'USERS', 'NO', 'N',"
              + " NULL, NULL, NULL, NULL, NULL, 'NO', 'N')");
      s.execute(
          "INSERT INTO ALL_TAB_COMMENTS VALUES ('SALES', 'ORDERS', 'customer orders'),"
              + " ('SALES', 'BIG_ORDERS', NULL)");
      s.execute("INSERT INTO ALL_VIEWS VALUES ('SALES', 'BIG_ORDERS'), ('SALES', 'BROKEN')");
      s.execute(
          "INSERT INTO ALL_TAB_COLUMNS VALUES"
              + " ('SALES', 'ORDERS', 'ID', 1, 'NUMBER', 22, NULL, 0, 'N', 0, NULL, NULL),"
              + " ('SALES', 'ORDERS', 'CODE', 2, 'VARCHAR2', 80, NULL, NULL, 'N', 20, 'C', NULL),"
              + " ('SALES', 'ORDERS', 'AMOUNT', 3, 'NUMBER', 22, 12, 2, 'Y', 0, NULL, '0 '),"
              + " ('SALES', 'ORDERS', 'CREATED', 4, 'TIMESTAMP(6)', 11, NULL, 6, 'Y', 0, NULL,"
              + " 'SYSTIMESTAMP'),"
              + " ('SALES', 'Orders', 'ID', 1, 'NUMBER', 22, 10, 0, 'Y', 0, NULL, NULL),"
              + " ('SALES', 'BIG_ORDERS', 'ID', 1, 'NUMBER', 22, NULL, 0, 'N', 0, NULL, NULL),"
              + " ('HR', 'STAFF', 'ID', 1, 'NUMBER', 22, NULL, 0, 'N', 0, NULL, NULL)");
      s.execute(
          "INSERT INTO ALL_COL_COMMENTS VALUES ('SALES', 'ORDERS', 'AMOUNT', 'gross amount')");
      s.execute(
          "INSERT INTO ALL_INDEXES VALUES ('SALES', 'ORDERS_PK', 'SALES', 'ORDERS', 'UNIQUE'),"
              + " ('SALES', 'ORDERS_CODE', 'SALES', 'ORDERS', 'UNIQUE'),"
              + " ('SALES', 'ORDERS_CREATED', 'SALES', 'ORDERS', 'NONUNIQUE')");
      s.execute(
          "INSERT INTO ALL_IND_COLUMNS VALUES ('SALES', 'ORDERS_PK', 'ID', 1),"
              + " ('SALES', 'ORDERS_CODE', 'CODE', 1), ('SALES', 'ORDERS_CREATED', 'CREATED', 2),"
              + " ('SALES', 'ORDERS_CREATED', 'ID', 1)");
      s.execute("INSERT INTO ALL_CONSTRAINTS VALUES ('SALES', 'P', 'ORDERS_PK')");

      OracleReader reader = new OracleReader(c, 30);
      assertThat(reader.databases()).containsExactly("HR", "SALES");
      Collected.Database db = reader.read("SALES", ObjectFilter.of(null, "SALES.TMP_*"));
      Map<String, Collected.Table> tables = SqlServerReaderTest.byName(db.tables());
      assertThat(tables.keySet()).containsExactlyInAnyOrder("ORDERS", "Orders", "BIG_ORDERS");
      assertThat(db.unreadable()).containsExactly("BROKEN");
      assertThat(db.problems())
          .singleElement()
          .satisfies(p -> assertThat(p.object()).isEqualTo("SALES.BROKEN"));

      Collected.Table orders = tables.get("ORDERS");
      assertThat(orders.comment()).isEqualTo("customer orders");
      assertThat(orders.attributes())
          .containsEntry("tablespace", "USERS")
          .containsEntry("organization", "heap")
          .containsEntry("primaryKey", List.of("ID"))
          .doesNotContainKey("partitioned");
      assertThat(orders.attributes().get("indexes"))
          .isEqualTo(
              Map.of(
                  "ORDERS_CODE", Map.of("unique", true, "columns", List.of("CODE")),
                  "ORDERS_CREATED", Map.of("unique", false, "columns", List.of("ID", "CREATED"))));
      assertThat(orders.stats()).containsEntry("rowEstimate", 1200L).containsEntry("blocks", 40L);
      assertThat(orders.columns())
          .extracting(Collected.Column::nativeType)
          .containsExactly("INTEGER", "VARCHAR2(20 CHAR)", "NUMBER(12,2)", "TIMESTAMP(6)");
      Collected.Column amount = orders.columns().get(2);
      assertThat(amount.comment()).isEqualTo("gross amount");
      assertThat(amount.defaultValue()).isEqualTo("0");
      assertThat(amount.nullable()).isTrue();
      assertThat(orders.columns().get(0).nullable()).isFalse();
      // Names differing only in case stay distinct.
      assertThat(tables.get("Orders").attributes()).containsEntry("partitioned", true);
      assertThat(tables.get("BIG_ORDERS").kind()).isEqualTo("VIEW");
    }
  }

  @Test
  void typesAreWrittenAsOraclesDdlWritesThem() {
    assertThat(OracleReader.nativeType("VARCHAR2", null, null, 40L, "B"))
        .isEqualTo("VARCHAR2(40 BYTE)");
    assertThat(OracleReader.nativeType("NVARCHAR2", null, null, 40L, "C"))
        .isEqualTo("NVARCHAR2(40)");
    assertThat(OracleReader.nativeType("NUMBER", null, null, null, null)).isEqualTo("NUMBER");
    assertThat(OracleReader.nativeType("NUMBER", 10L, 0L, null, null)).isEqualTo("NUMBER(10)");
    assertThat(OracleReader.nativeType("FLOAT", 126L, null, null, null)).isEqualTo("FLOAT(126)");
    assertThat(OracleReader.nativeType("DATE", null, null, null, null)).isEqualTo("DATE");
  }
}
