package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.StandInTestDatabase;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The database the Oracle tests run against: H2 2.x in {@code MODE=Oracle} (a stand-in), or a real
 * Oracle server when {@code FERRY_ORACLE_URL} is set. Tables are created with the dialect's own DDL
 * and filled and read back with plain JDBC, so tests compare the connector against an independent
 * path.
 *
 * <p>Where H2 cannot stand in for Oracle: it has no {@code ALTER SESSION} (the stand-in session
 * setup runs H2's {@code SET TIME ZONE}), no TIMESTAMP WITH LOCAL TIME ZONE, no INTERVAL reads
 * through ojdbc, reports its own type names in metadata ({@code CHARACTER VARYING}, {@code
 * DECFLOAT} for NUMBER without precision), has no ALL_TABLES statistics, keeps zero-length BLOBs
 * (Oracle stores NULL), and cannot type the untyped parameters of the MERGE upsert.
 */
final class OracleTestDatabase extends StandInTestDatabase {
  static final String URL_VARIABLE = "FERRY_ORACLE_URL";

  private OracleTestDatabase(String url, String user, String password, boolean standIn) {
    super(url, user, password, standIn);
  }

  /** A fresh in-memory H2 database in Oracle mode. */
  static OracleTestDatabase h2(String name) {
    return new OracleTestDatabase(h2Url(name, "Oracle"), null, null, true);
  }

  /**
   * A fresh in-memory H2 database in Oracle mode whose identifiers match without regard to case, as
   * for shared fixture SQL that names tables and columns unquoted and quoted alike.
   */
  static OracleTestDatabase h2CaseInsensitive(String name) {
    return new OracleTestDatabase(
        h2Url(name, "Oracle") + ";CASE_INSENSITIVE_IDENTIFIERS=TRUE", null, null, true);
  }

  /**
   * The server of {@code FERRY_ORACLE_URL}, {@code FERRY_ORACLE_USER}, {@code
   * FERRY_ORACLE_PASSWORD}.
   */
  static OracleTestDatabase fromEnvironment() {
    return new OracleTestDatabase(
        System.getenv(URL_VARIABLE),
        System.getenv("FERRY_ORACLE_USER"),
        System.getenv("FERRY_ORACLE_PASSWORD"),
        false);
  }

  /** The connector under test, with H2's session setup when this is the stand-in. */
  OracleConnector connector() {
    return standIn
        ? new OracleConnector(new OracleDialect().withSessionSetup(OracleTestDatabase::h2Session))
        : new OracleConnector();
  }

  /** H2 has no ALTER SESSION; its SET TIME ZONE takes the same zone text. */
  static void h2Session(Connection connection, ZoneId zone) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("SET TIME ZONE '" + OracleSessions.oracleZone(zone) + "'");
    }
  }

  /** Creates the table with the dialect's DDL, {@code id} as primary key. */
  void create(String name, Schema schema) throws SQLException {
    String sql =
        OracleSql.INSTANCE.createTableSql(
            '"' + table(name) + '"', schema.columns(), List.of("id"), new OracleDialect().types());
    execute(sql);
    createdByConnector(name);
  }

  /** ojdbc's NULLs, booleans as numbers, dates as timestamps, times as text. */
  @Override
  protected void bind(PreparedStatement ps, int i, Object value, DataType type)
      throws SQLException {
    if (value == null) {
      // ojdbc refuses Types.NULL; a NULL of a type the column converts from implicitly.
      ps.setNull(
          i,
          switch (type.kind()) {
            case BYTES -> java.sql.Types.VARBINARY;
            case INT8, INT16, INT32, INT64, DECIMAL, FLOAT32, FLOAT64, BOOLEAN ->
                java.sql.Types.NUMERIC;
            case DATE, TIMESTAMP, TIMESTAMP_TZ -> java.sql.Types.TIMESTAMP;
            default -> java.sql.Types.VARCHAR;
          });
      return;
    }
    switch (type.kind()) {
      case BOOLEAN -> ps.setInt(i, (Boolean) value ? 1 : 0);
      case DATE -> ps.setObject(i, ((java.time.LocalDate) value).atStartOfDay());
      case TIME -> ps.setString(i, value.toString());
      case JSON -> ps.setString(i, (String) value);
      case ROW, ARRAY, MAP -> ps.setString(i, JsonValues.toJson(value, type));
      default -> ps.setObject(i, value);
    }
  }

  /** Every row of the table as values of {@code schema}, ordered by id. */
  List<Object[]> read(String name, Schema schema) throws SQLException {
    return read(name, schema, "id");
  }

  /** Booleans from numbers, dates from timestamps, times from text. */
  @Override
  protected Object value(ResultSet rs, int i, DataType type) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    return switch (type.kind()) {
      case BOOLEAN -> rs.getInt(i) != 0;
      case DATE -> rs.getObject(i, LocalDateTime.class).toLocalDate();
      case TIME -> LocalTime.parse(rs.getString(i));
      default -> standardValue(rs, i, type);
    };
  }

  /**
   * The rows as Oracle holds them: an empty string is NULL, and on a real server a zero-length byte
   * array too (H2 keeps zero-length BLOBs).
   */
  List<Object[]> asStored(Schema schema, List<Object[]> rows) {
    List<Object[]> stored = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      Object[] copy = row.clone();
      for (int c = 0; c < copy.length; c++) {
        if (copy[c] instanceof String s && s.isEmpty()) {
          copy[c] = null;
        } else if (!standIn && copy[c] instanceof byte[] b && b.length == 0) {
          copy[c] = null;
        }
      }
      stored.add(copy);
    }
    return stored;
  }

  /** {@code DROP TABLE .. PURGE}; a table already gone is fine. */
  @Override
  protected void dropTable(String table) throws SQLException {
    try {
      execute("DROP TABLE \"" + table + "\" PURGE");
    } catch (SQLException e) {
      if (e.getErrorCode() != OracleErrors.NO_SUCH_TABLE) {
        throw e;
      }
    }
  }
}
