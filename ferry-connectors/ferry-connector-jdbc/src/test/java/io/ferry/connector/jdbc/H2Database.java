package io.ferry.connector.jdbc;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * A fresh H2 in-memory database per instance, for the generic connector's tests: the {@link
 * JdbcTestDatabase} defaults, with H2's own column types for fixtures.
 */
final class H2Database extends JdbcTestDatabase {
  final String url;

  H2Database(String name) {
    this.url = "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  @Override
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Override
  public Map<String, Object> options() {
    Map<String, Object> options = new HashMap<>();
    options.put("url", url);
    return options;
  }

  /** Creates {@code "table"} with H2's type for each column and {@code key} as primary key. */
  void create(String table, Schema schema, String... key) throws SQLException {
    StringJoiner body = new StringJoiner(", ", "(", ")");
    for (Column c : schema.columns()) {
      body.add('"' + c.name() + "\" " + h2Type(c.type()) + (c.nullable() ? "" : " NOT NULL"));
    }
    if (key.length > 0) {
      StringJoiner pk = new StringJoiner(", ", "PRIMARY KEY (", ")");
      for (String k : key) {
        pk.add('"' + k + '"');
      }
      body.add(pk.toString());
    }
    execute("CREATE TABLE \"" + table + "\" " + body);
  }

  static String h2Type(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> "BOOLEAN";
      case INT8 -> "TINYINT";
      case INT16 -> "SMALLINT";
      case INT32 -> "INTEGER";
      case INT64 -> "BIGINT";
      case FLOAT32 -> "REAL";
      case FLOAT64 -> "DOUBLE PRECISION";
      case DECIMAL -> "DECIMAL(" + type.precision() + "," + type.scale() + ")";
      case STRING -> "VARCHAR";
      case BYTES -> "VARBINARY";
      case DATE -> "DATE";
      case TIME -> "TIME(" + type.precision() + ")";
      case TIMESTAMP -> "TIMESTAMP(" + type.precision() + ")";
      case TIMESTAMP_TZ -> "TIMESTAMP(" + type.precision() + ") WITH TIME ZONE";
      default -> throw new IllegalArgumentException("no H2 column for " + type);
    };
  }

  static BigDecimal decimal(String text) {
    return new BigDecimal(text);
  }
}
