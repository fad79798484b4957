package io.ferry.connector.sqlserver;

import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

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
final class SqlServerTestDatabase {
  static final String URL_VARIABLE = "FERRY_SQLSERVER_URL";

  final String url;
  final String user;
  final String password;
  final boolean standIn;
  private final String prefix;
  private final List<String> created = new ArrayList<>();

  private SqlServerTestDatabase(String url, String user, String password, boolean standIn) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.standIn = standIn;
    this.prefix = standIn ? "" : "ferry_" + UUID.randomUUID().toString().substring(0, 8) + "_";
  }

  static SqlServerTestDatabase h2(String name) {
    return new SqlServerTestDatabase(
        "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";MODE=MSSQLServer;DB_CLOSE_DELAY=-1",
        null,
        null,
        true);
  }

  /** The server of FERRY_SQLSERVER_URL, FERRY_SQLSERVER_USER, FERRY_SQLSERVER_PASSWORD. */
  static SqlServerTestDatabase fromEnvironment() {
    return new SqlServerTestDatabase(
        System.getenv(URL_VARIABLE),
        System.getenv("FERRY_SQLSERVER_USER"),
        System.getenv("FERRY_SQLSERVER_PASSWORD"),
        false);
  }

  String table(String name) {
    return prefix + name;
  }

  Map<String, Object> options(String name) {
    Map<String, Object> options = new HashMap<>();
    options.put("url", url);
    if (user != null) {
      options.put("user", user);
      options.put("password", password);
    }
    options.put("table", table(name));
    return options;
  }

  Connection connect() throws SQLException {
    return user == null
        ? DriverManager.getConnection(url)
        : DriverManager.getConnection(url, user, password);
  }

  void execute(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /**
   * The dialect's CREATE TABLE; on H2 with TIMESTAMP WITH TIME ZONE for DATETIMEOFFSET, the one
   * type name H2's SQL Server mode lacks.
   */
  String createTableSql(String name, Schema schema, List<String> keys) {
    String sql =
        new SqlServerDialect().createTableSql("[" + table(name) + "]", schema.columns(), keys);
    return standIn
        ? sql.replaceAll("DATETIMEOFFSET\\((\\d)\\)", "TIMESTAMP($1) WITH TIME ZONE")
        : sql;
  }

  void create(String name, Schema schema) throws SQLException {
    execute(createTableSql(name, schema, List.of("id")));
    created.add(table(name));
  }

  void insert(String name, Schema schema, List<Object[]> rows) throws SQLException {
    StringJoiner names = new StringJoiner(", ", "(", ")");
    StringJoiner params = new StringJoiner(", ", "(", ")");
    for (Column c : schema.columns()) {
      names.add("[" + c.name() + "]");
      params.add("?");
    }
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO [" + table(name) + "] " + names + " VALUES " + params)) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          DataType type = schema.column(i).type();
          Object value = row[i];
          if (value == null) {
            ps.setNull(i + 1, nullType(type));
          } else if (type.kind() == io.ferry.spi.TypeKind.JSON) {
            ps.setString(i + 1, (String) value);
          } else if (type.kind().isNested()) {
            ps.setString(i + 1, JsonValues.toJson(value, type));
          } else {
            ps.setObject(i + 1, value);
          }
        }
        ps.addBatch();
      }
      ps.executeBatch();
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
    StringJoiner names = new StringJoiner(", ");
    for (Column c : schema.columns()) {
      names.add("[" + c.name() + "]");
    }
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT " + names + " FROM [" + table(name) + "] ORDER BY [id]")) {
      while (rs.next()) {
        Object[] row = new Object[schema.size()];
        for (int i = 0; i < row.length; i++) {
          row[i] = value(rs, i + 1, schema.column(i).type());
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static Object value(ResultSet rs, int i, DataType type) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    return switch (type.kind()) {
      case BOOLEAN -> rs.getBoolean(i);
      case INT8 -> rs.getByte(i);
      case INT16 -> rs.getShort(i);
      case INT32 -> rs.getInt(i);
      case INT64 -> rs.getLong(i);
      case FLOAT32 -> rs.getFloat(i);
      case FLOAT64 -> rs.getDouble(i);
      case DECIMAL -> rs.getBigDecimal(i).setScale(type.scale());
      case STRING, JSON -> rs.getString(i);
      case BYTES -> rs.getBytes(i);
      case DATE -> rs.getObject(i, LocalDate.class);
      case TIME -> rs.getObject(i, LocalTime.class);
      case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
      case TIMESTAMP_TZ -> rs.getObject(i, OffsetDateTime.class);
      case ROW, ARRAY, MAP -> JsonValues.fromJson(rs.getString(i), type);
    };
  }

  void dropAll() throws SQLException {
    if (standIn) {
      return;
    }
    for (String table : created) {
      execute("DROP TABLE IF EXISTS [" + table + "]");
    }
    created.clear();
  }

  /** Remembers a table the connector created, to drop it after the test. */
  void createdByConnector(String name) {
    created.add(table(name));
  }
}
