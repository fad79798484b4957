package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.JdbcTestDatabase;
import io.ferry.connector.jdbc.ServerAddress;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
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
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The test database: the MariaDB (or MySQL) at 127.0.0.1:3306, user root without password, or what
 * {@code FERRY_MYSQL_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD} say. Each test class
 * creates its own database {@code ferry_<random>} and drops it afterwards. Plain JDBC with the
 * session in UTC, independent of the connector's code, to write fixtures and read results back
 * ({@link JdbcTestDatabase} with backticks and MySQL's text forms).
 */
final class MariaDb extends JdbcTestDatabase {
  static final String HOST = env("FERRY_MYSQL_HOST", "127.0.0.1");
  static final int PORT = Integer.parseInt(env("FERRY_MYSQL_PORT", "3306"));
  static final String USER = env("FERRY_MYSQL_USER", "root");
  static final String PASSWORD = env("FERRY_MYSQL_PASSWORD", "");

  final String database;

  private MariaDb(String database) {
    this.database = database;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  static MariaDb create() throws SQLException {
    String name = "ferry_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
    try (Connection c = connect(null);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }
    return new MariaDb(name);
  }

  static Connection connect(String database) throws SQLException {
    Connection c =
        DriverManager.getConnection(
            "jdbc:mariadb://"
                + HOST
                + ":"
                + PORT
                + "/"
                + (database == null ? "" : database)
                + "?useServerPrepStmts=true&tinyInt1isBit=false&allowLocalInfile=true",
            USER,
            PASSWORD);
    try (Statement s = c.createStatement()) {
      s.execute("SET NAMES utf8mb4, time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES'");
    }
    return c;
  }

  @Override
  public Connection connect() throws SQLException {
    return connect(database);
  }

  @Override
  public ServerAddress server() {
    return ServerAddress.of(HOST, OptionalInt.of(PORT));
  }

  @Override
  public String databaseName() {
    return database;
  }

  @Override
  public String quote(String name) {
    return '`' + name.replace("`", "``") + '`';
  }

  @Override
  public Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("host", HOST);
    o.put("port", PORT);
    o.put("database", database);
    o.put("user", USER);
    if (!PASSWORD.isEmpty()) {
      o.put("password", PASSWORD);
    }
    return o;
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = connect(null);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database);
    }
  }

  // ---- fixture tables from Ferry schemas ---------------------------------------------------

  /** The MySQL type a fixture uses for a Ferry type (written independently of the connector). */
  static String fixtureType(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> "tinyint(1)";
      case INT8 -> "tinyint";
      case INT16 -> "smallint";
      case INT32 -> "int";
      case INT64 -> "bigint";
      case FLOAT32 -> "float";
      case FLOAT64 -> "double";
      case DECIMAL -> "decimal(" + type.precision() + "," + type.scale() + ")";
      case STRING -> "longtext";
      case BYTES -> "longblob";
      case DATE -> "date";
      case TIME -> "time(" + type.precision() + ")";
      case TIMESTAMP -> "datetime(" + type.precision() + ")";
      case TIMESTAMP_TZ -> "timestamp(" + type.precision() + ") null";
      case JSON, ARRAY, MAP, ROW -> "json";
    };
  }

  /** Creates {@code table} for {@code schema} with {@code id} as primary key and inserts rows. */
  void createAndFill(String table, Schema schema, List<Object[]> rows) throws SQLException {
    StringJoiner ddl = new StringJoiner(", ", "CREATE TABLE " + table + " (", ")");
    StringJoiner names = new StringJoiner(", ");
    StringJoiner params = new StringJoiner(", ");
    for (Column c : schema.columns()) {
      ddl.add("`" + c.name() + "` " + fixtureType(c.type()) + (c.nullable() ? "" : " NOT NULL"));
      names.add("`" + c.name() + "`");
      params.add("?");
    }
    ddl.add("PRIMARY KEY (`" + schema.column(0).name() + "`)");
    try (Connection c = connect()) {
      try (Statement s = c.createStatement()) {
        s.execute(ddl.toString());
      }
      insert(c, table, schema, rows);
    }
  }

  /** Inserts in batches of 1000 in one transaction. */
  private void insert(Connection c, String table, Schema schema, List<Object[]> rows)
      throws SQLException {
    StringJoiner names = new StringJoiner(", ");
    StringJoiner params = new StringJoiner(", ");
    for (Column col : schema.columns()) {
      names.add("`" + col.name() + "`");
      params.add("?");
    }
    c.setAutoCommit(false);
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO " + table + " (" + names + ") VALUES (" + params + ")")) {
      int n = 0;
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          bind(ps, i + 1, row[i], schema.column(i).type());
        }
        ps.addBatch();
        if (++n % 1000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
  }

  /** MySQL's text forms, the session in UTC. */
  @Override
  protected void bind(PreparedStatement ps, int i, Object v, DataType type) throws SQLException {
    if (v == null) {
      ps.setNull(i, java.sql.Types.NULL);
      return;
    }
    switch (type.kind()) {
      case TIMESTAMP_TZ ->
          ps.setString(
              i,
              ((OffsetDateTime) v)
                  .withOffsetSameInstant(ZoneOffset.UTC)
                  .toLocalDateTime()
                  .toString()
                  .replace('T', ' '));
      case TIMESTAMP -> ps.setString(i, v.toString().replace('T', ' '));
      case DATE, TIME -> ps.setString(i, v.toString());
      case DECIMAL -> ps.setBigDecimal(i, (BigDecimal) v);
      case BYTES -> ps.setBytes(i, (byte[]) v);
      case ARRAY, MAP, ROW -> ps.setString(i, JsonValues.toJson(v, type));
      default -> ps.setObject(i, v);
    }
  }

  /** Every row of {@code table} ordered by its first column, as values of {@code schema}. */
  List<Object[]> readAll(String table, Schema schema) throws SQLException {
    return read(table, schema, schema.column(0).name());
  }

  /** MySQL's text forms, the session in UTC. */
  @Override
  protected Object value(ResultSet rs, int i, DataType type) throws SQLException {
    String text = rs.getString(i);
    if (text == null) {
      return null;
    }
    return switch (type.kind()) {
      case BOOLEAN -> rs.getInt(i) != 0;
      case STRING, JSON -> text;
      case DATE -> LocalDate.parse(text);
      case TIME -> LocalTime.parse(text);
      case TIMESTAMP -> LocalDateTime.parse(text.replace(' ', 'T'));
      case TIMESTAMP_TZ -> LocalDateTime.parse(text.replace(' ', 'T')).atOffset(ZoneOffset.UTC);
      case ARRAY, MAP, ROW -> JsonValues.fromJson(text, type);
      default -> standardValue(rs, i, type);
    };
  }
}
