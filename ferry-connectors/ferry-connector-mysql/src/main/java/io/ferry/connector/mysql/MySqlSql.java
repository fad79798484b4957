package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.SqlBuilder;
import io.ferry.connector.jdbc.TypeMapping;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * MySQL's and MariaDB's SQL: backtick quoting, {@code ON DUPLICATE KEY UPDATE} upserts, {@code
 * REPLACE}, and InnoDB tables in utf8mb4 for {@code createTable}.
 */
final class MySqlSql implements SqlBuilder {
  static final MySqlSql INSTANCE = new MySqlSql();

  private MySqlSql() {}

  /** MySQL and MariaDB: {@code ALTER TABLE t MODIFY COLUMN c type}. */
  @Override
  public java.util.Optional<String> alterColumnTypeSql(
      String table, String column, String nativeType) {
    return java.util.Optional.of(
        "ALTER TABLE " + table + " MODIFY COLUMN " + quote(column) + " " + nativeType);
  }

  @Override
  public String quote(String identifier) {
    return '`' + identifier.replace("`", "``") + '`';
  }

  /**
   * InnoDB, utf8mb4 with the binary collation (text keys compare as exactly as the source's did,
   * case and trailing spaces included), text and bytes keys as varchar(255)/varbinary(255).
   */
  @Override
  public String createTableSql(
      String table, List<Column> columns, List<String> keys, TypeMapping types) {
    StringJoiner body = new StringJoiner(", ", "(", ")");
    for (Column c : columns) {
      boolean key = keys.contains(c.name());
      String nativeType;
      try {
        nativeType = MySqlType.nativeType(c.type(), key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "column "
                + c.name()
                + ": "
                + e.getMessage()
                + "; convert it with a cast transform, e.g. {type: cast, columns: {"
                + c.name()
                + ": \"decimal(65,30)\"}} (values that do not fit become dirty rows), or create"
                + " the table yourself",
            e);
      }
      boolean notNull = !c.nullable() || key;
      if (notNull && nativeType.endsWith(" null")) {
        nativeType = nativeType.substring(0, nativeType.length() - " null".length());
      }
      body.add(quote(c.name()) + " " + nativeType + (notNull ? " NOT NULL" : ""));
    }
    return "CREATE TABLE "
        + table
        + " "
        + withPrimaryKey(body, keys)
        + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  }

  /**
   * False, although both servers accept {@code (a, b) > (?, ?)}: MariaDB (10.11 checked with
   * EXPLAIN) scans the whole index for a row-value comparison, while the base's portable expansion
   * {@code (a > ?) OR (a = ? AND b > ?)} gets a range scan. MySQL 5.7+ would range-scan both.
   */
  @Override
  public boolean supportsRowValueComparison() {
    return false;
  }

  /**
   * {@code INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c)}: the form MySQL 5.7/8.x and MariaDB
   * share (MySQL 8.0.19's {@code AS new} alias is not in MariaDB; {@code VALUES()} only earns MySQL
   * 8.0.20+ a deprecation note).
   */
  @Override
  public Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
    return Optional.of(insertSql(table, columns) + onDuplicateKeyUpdate(columns, keys));
  }

  /**
   * {@code INSERT ... VALUES (..), (..) ON DUPLICATE KEY UPDATE c = VALUES(c)}: {@code VALUES(c)}
   * is the value the row at hand would have inserted, so each row updates its own key's row.
   */
  @Override
  public Optional<String> upsertSql(
      String table, List<String> columns, List<String> keys, int rows) {
    return Optional.of(insertSql(table, columns, rows) + onDuplicateKeyUpdate(columns, keys));
  }

  String onDuplicateKeyUpdate(List<String> columns, List<String> keys) {
    StringJoiner set = new StringJoiner(", ", " ON DUPLICATE KEY UPDATE ", "");
    for (String c : columns) {
      if (!keys.contains(c)) {
        set.add(quote(c) + " = VALUES(" + quote(c) + ")");
      }
    }
    if (set.length() == " ON DUPLICATE KEY UPDATE ".length()) {
      // Every column is a key column: nothing to update, keep the row.
      String k = quote(keys.isEmpty() ? columns.get(0) : keys.get(0));
      set.add(k + " = " + k);
    }
    return set.toString();
  }

  @Override
  public Optional<String> replaceSql(String table, List<String> columns, List<String> keys) {
    return Optional.of("REPLACE" + insertSql(table, columns).substring("INSERT".length()));
  }

  /**
   * Strings compare as the code points of their utf8mb4 bytes, whatever the column's character set
   * and collation (which may ignore case, accents or trailing spaces).
   */
  @Override
  public Optional<String> keyOrder(String quoted, DataType type) {
    return Optional.of(
        switch (type.kind()) {
          case STRING -> "CAST(CONVERT(" + quoted + " USING utf8mb4) AS BINARY)";
          default -> quoted;
        });
  }

  /**
   * Integers, decimals hashed at their own scale, dates and DATETIMEs hashed at their own precision
   * are the column itself: {@code CONCAT} (and {@code COALESCE} with a text) writes them as their
   * own text, digits as {@code CAST AS CHAR} would, a DATETIME with exactly its fractional digits,
   * without the cost of a cast per value (a third of the checksum's row text on the benchmark
   * table). A DATETIME hashed with fewer fractional digits is cut with {@code LEFT}; decimals
   * hashed by value lose trailing fractional zeros; TIMESTAMP columns (TIMESTAMP_TZ) convert from
   * the session's zone, which Ferry's sessions set, to UTC. NULL stays NULL: no expression turns it
   * into a text.
   */
  @Override
  public Optional<String> canonicalText(
      String q, JdbcColumn column, DataType stored, DataType hashed) {
    int fraction = hashed.precision() == 0 ? 0 : hashed.precision() + 1;
    String text =
        switch (hashed.kind()) {
          case BOOLEAN -> "((" + q + ") <> 0)";
          case INT8, INT16, INT32, INT64 -> isInteger(stored) ? q : "CAST(" + q + " AS CHAR)";
          case DECIMAL -> decimalText(q, stored, hashed);
          case STRING -> utf8Text(q, column);
          case BYTES -> "LOWER(HEX(" + q + "))";
          case DATE -> stored.kind() == TypeKind.DATE ? q : "CAST(" + q + " AS CHAR)";
          case TIME -> "LEFT(TIME_FORMAT(" + q + ", '%H:%i:%s.%f'), " + (8 + fraction) + ")";
          case TIMESTAMP ->
              stored.kind() == TypeKind.TIMESTAMP && stored.precision() == hashed.precision()
                  ? q
                  : "LEFT(CAST(" + q + " AS CHAR), " + (19 + fraction) + ")";
          case TIMESTAMP_TZ ->
              "LEFT(DATE_FORMAT(CONVERT_TZ("
                  + q
                  + ", @@session.time_zone, '+00:00'), '%Y-%m-%d %H:%i:%s.%f'), "
                  + (19 + fraction)
                  + ")";
          default -> null;
        };
    return Optional.ofNullable(text);
  }

  /**
   * A string's UTF-8 text. A utf8mb4 column's text is its bytes already: {@code COLLATE
   * utf8mb4_bin} only gives every such column of the row one collation (columns of two collations
   * could not be concatenated), at no cost per value, where {@code CONVERT(col USING utf8mb4)}
   * copied each value (0.7-1.0 of the ~4.8 CPU-seconds of the bench table's checksum). Any other or
   * unknown character set is converted.
   */
  private static String utf8Text(String q, JdbcColumn column) {
    return "utf8mb4".equals(column.charset())
        ? q + " COLLATE utf8mb4_bin"
        : "CONVERT(" + q + " USING utf8mb4)";
  }

  private static boolean isInteger(DataType type) {
    return switch (type.kind()) {
      case INT8, INT16, INT32, INT64 -> true;
      default -> false;
    };
  }

  /**
   * A decimal hashed at its own scale, or by value at scale 0, is the column (its own text in
   * {@code CONCAT}); by value, a scale above 0 loses its trailing fractional zeros and then a
   * trailing point. Null (no checksum) for a scale other than its own.
   */
  private static String decimalText(String q, DataType stored, DataType hashed) {
    if (stored.kind() != TypeKind.DECIMAL) {
      return null;
    }
    if (!hashed.isUnconstrainedDecimal()) {
      return hashed.scale() == stored.scale() ? q : null;
    }
    return stored.scale() == 0
        ? q
        : "TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(" + q + " AS CHAR)))";
  }

  @Override
  public Optional<String> utf8Length(String text) {
    return Optional.of("LENGTH(" + text + ")");
  }

  @Override
  public String concat(List<String> parts) {
    return "CONCAT(" + String.join(", ", parts) + ")";
  }

  @Override
  public Optional<String> md5Sum(String text) {
    return Optional.of("SUM(CAST(CONV(LEFT(MD5(" + text + "), 15), 16, 10) AS UNSIGNED))");
  }

  /**
   * MySQL has no TIMESTAMP WITH TIME ZONE literal: a TIMESTAMP_TZ bound is the UTC wall clock
   * converted to the session's zone, the zone TIMESTAMP columns are compared in.
   */
  @Override
  public String literal(Object value) {
    if (value instanceof java.time.OffsetDateTime t) {
      return "CONVERT_TZ(TIMESTAMP '"
          + Literals.timestamp(t.withOffsetSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime())
          + "', '+00:00', @@session.time_zone)";
    }
    return SqlBuilder.super.literal(value);
  }

  @Override
  public Optional<String> offsetOneRow() {
    return Optional.of(" LIMIT 1 OFFSET ?");
  }
}
