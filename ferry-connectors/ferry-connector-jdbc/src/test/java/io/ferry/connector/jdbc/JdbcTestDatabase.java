package io.ferry.connector.jdbc;

import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.sql.Connection;
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

/**
 * A database a JDBC connector's tests run against, written and read with plain JDBC (never the
 * connector's code), so tests compare the connector against an independent path. Published in this
 * module's test-jar: each dialect module subclasses it once (H2, MariaDB, PostgreSQL, H2 as Oracle
 * or SQL Server) and overrides what its database does differently: quoting, how a fixture value is
 * bound and read back, and how the database is dropped.
 */
public abstract class JdbcTestDatabase implements AutoCloseable {
  /** A new connection to this database; the caller closes it. */
  public abstract Connection connect() throws SQLException;

  /** The connector options that reach this database; add the role's own. */
  public abstract Map<String, Object> options();

  /** {@link #options()} with {@code table} set to {@link #table(String) table(name)}. */
  public Map<String, Object> options(String name) {
    Map<String, Object> options = new HashMap<>(options());
    options.put("table", table(name));
    return options;
  }

  /** The server this database is on, for tests that name it; an in-memory database has none. */
  public ServerAddress server() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no server");
  }

  /** The database's name on its server; an in-memory database has none. */
  public String databaseName() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no server");
  }

  /** The table a test calls {@code name}: prefixed where tests share a server's schema. */
  public String table(String name) {
    return name;
  }

  /** A name quoted for fixture SQL. Default: standard double quotes. */
  public String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** Runs statements on a fresh connection in auto-commit. */
  public void execute(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** The number of rows of {@code table}, a name as SQL writes it. */
  public long count(String table) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Inserts {@code rows} (values of {@code schema}) into table {@code name} in one batch. */
  public void insert(String name, Schema schema, List<Object[]> rows) throws SQLException {
    StringJoiner names = new StringJoiner(", ", "(", ")");
    StringJoiner params = new StringJoiner(", ", "(", ")");
    for (Column c : schema.columns()) {
      names.add(quote(c.name()));
      params.add("?");
    }
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO " + quote(table(name)) + " " + names + " VALUES " + params)) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          bind(ps, i + 1, row[i], schema.column(i).type());
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Binds one fixture value (null included). Default: JSON text for JSON and nested values, {@code
   * setObject} for the rest.
   */
  protected void bind(PreparedStatement ps, int index, Object value, DataType type)
      throws SQLException {
    if (value != null && type.kind() == io.ferry.spi.TypeKind.JSON) {
      ps.setString(index, (String) value);
    } else if (value != null && type.kind().isNested()) {
      ps.setString(index, JsonValues.toJson(value, type));
    } else {
      ps.setObject(index, value);
    }
  }

  /**
   * Every row of table {@code name} as values of {@code schema}, ordered by {@code orderBy}. Read
   * with a prepared statement (MariaDB then uses the binary protocol, which sends FLOAT exactly).
   */
  public List<Object[]> read(String name, Schema schema, String orderBy) throws SQLException {
    StringJoiner names = new StringJoiner(", ");
    for (Column c : schema.columns()) {
      names.add(quote(c.name()));
    }
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT " + names + " FROM " + quote(table(name)) + " ORDER BY " + quote(orderBy));
        ResultSet rs = s.executeQuery()) {
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

  /**
   * One value read back as the Java class of {@code type}, null for SQL NULL. Default: the JDBC 4.2
   * getters, decimals at the type's scale, nested values from JSON text.
   */
  protected Object value(ResultSet rs, int i, DataType type) throws SQLException {
    return rs.getObject(i) == null ? null : standardValue(rs, i, type);
  }

  /**
   * A non-null value read with the JDBC 4.2 getter for {@code type}'s Java class, decimals at the
   * type's scale, nested values from JSON text: for {@link #value} overrides and plain-JDBC
   * fixtures that read most types the standard way.
   */
  public static Object standardValue(ResultSet rs, int i, DataType type) throws SQLException {
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

  /** Drops what the database created on a shared server. Default: nothing (in-memory). */
  @Override
  public void close() throws SQLException {}
}
