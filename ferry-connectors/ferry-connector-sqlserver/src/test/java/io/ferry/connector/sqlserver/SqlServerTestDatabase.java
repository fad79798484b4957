package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.StandInTestDatabase;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The database the SQL Server tests run against: H2 2.x in {@code MODE=MSSQLServer} (a stand-in),
 * or a real server when {@code FERRY_SQLSERVER_URL} is set. Tables are created with the dialect's
 * DDL and filled and read back with plain JDBC.
 *
 * <p>Where H2 cannot stand in for SQL Server: it has no bulk copy API (the sink falls back to
 * batched INSERTs, which is what the H2 tests show), no DATETIMEOFFSET type name (the stand-in DDL
 * uses H2's TIMESTAMP WITH TIME ZONE, see {@link #createTableSql}), no XML or ROWVERSION, no
 * sys.partitions or extended properties, and reports its own type names in metadata ({@code
 * CHARACTER VARYING}, {@code TIMESTAMP}).
 */
final class SqlServerTestDatabase extends StandInTestDatabase {
  static final String URL_VARIABLE = "FERRY_SQLSERVER_URL";

  private SqlServerTestDatabase(String url, String user, String password, boolean standIn) {
    super(url, user, password, standIn);
  }

  static SqlServerTestDatabase h2(String name) {
    return new SqlServerTestDatabase(h2Url(name, "MSSQLServer"), null, null, true);
  }

  /**
   * A fresh in-memory H2 database in SQL Server mode whose identifiers match without regard to case
   * (as SQL Server's default collation does), for shared fixture SQL.
   */
  static SqlServerTestDatabase h2CaseInsensitive(String name) {
    return new SqlServerTestDatabase(
        h2Url(name, "MSSQLServer") + ";CASE_INSENSITIVE_IDENTIFIERS=TRUE", null, null, true);
  }

  /** The server of FERRY_SQLSERVER_URL, FERRY_SQLSERVER_USER, FERRY_SQLSERVER_PASSWORD. */
  static SqlServerTestDatabase fromEnvironment() {
    return new SqlServerTestDatabase(
        System.getenv(URL_VARIABLE),
        System.getenv("FERRY_SQLSERVER_USER"),
        System.getenv("FERRY_SQLSERVER_PASSWORD"),
        false);
  }

  @Override
  public String quote(String name) {
    return '[' + name.replace("]", "]]") + ']';
  }

  /**
   * The dialect's CREATE TABLE; on H2 with TIMESTAMP WITH TIME ZONE for DATETIMEOFFSET, the one
   * type name H2's SQL Server mode lacks.
   */
  String createTableSql(String name, Schema schema, List<String> keys) {
    String sql =
        SqlServerSql.INSTANCE.createTableSql(
            "[" + table(name) + "]", schema.columns(), keys, SqlServerTypeMapping.INSTANCE);
    return standIn
        ? sql.replaceAll("DATETIMEOFFSET\\((\\d)\\)", "TIMESTAMP($1) WITH TIME ZONE")
        : sql;
  }

  void create(String name, Schema schema) throws SQLException {
    execute(createTableSql(name, schema, List.of("id")));
    createdByConnector(name);
  }

  /** NULLs of a type the column converts from; JSON and nested values as text. */
  @Override
  protected void bind(PreparedStatement ps, int i, Object value, DataType type)
      throws SQLException {
    if (value == null) {
      ps.setNull(i, nullType(type));
    } else {
      super.bind(ps, i, value, type);
    }
  }

  private static int nullType(DataType type) {
    return switch (type.kind()) {
      case BYTES -> java.sql.Types.VARBINARY;
      case BOOLEAN -> java.sql.Types.BIT;
      case INT8, INT16, INT32, INT64, DECIMAL, FLOAT32, FLOAT64 -> java.sql.Types.NUMERIC;
      case DATE -> java.sql.Types.DATE;
      case TIME -> java.sql.Types.TIME;
      case TIMESTAMP -> java.sql.Types.TIMESTAMP;
      case TIMESTAMP_TZ -> java.sql.Types.TIMESTAMP_WITH_TIMEZONE;
      default -> java.sql.Types.NVARCHAR;
    };
  }

  /** Every row of the table as values of {@code schema}, ordered by id. */
  List<Object[]> read(String name, Schema schema) throws SQLException {
    return read(name, schema, "id");
  }

  @Override
  protected void dropTable(String table) throws SQLException {
    execute("DROP TABLE IF EXISTS [" + table + "]");
  }
}
