package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The SQL text a database needs: quoted names, key-range shapes, and the statements the sink writes
 * with. One part of a {@link Dialect} ({@link Dialect#sql()}); the defaults are standard SQL
 * ({@link #STANDARD}).
 *
 * <p>Statement methods receive the table already qualified and quoted ({@code table}, from {@link
 * #qualifiedName}) and column names unquoted: quote them with {@link #quote}. Values are always
 * bound as {@code ?} parameters in the order of the {@code columns} argument, never written into
 * the SQL. Implementations are shared by threads: keep them immutable.
 */
public interface SqlBuilder {
  /** Standard SQL: double-quoted names, INSERT only, no upsert or replace. */
  SqlBuilder STANDARD = new SqlBuilder() {};

  /** An identifier quoted for SQL: standard double quotes, embedded quotes doubled. */
  default String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** The table's name for SQL: {@code schema.table}, each part quoted. */
  default String qualifiedName(TableRef table) {
    return table.schema() == null
        ? quote(table.name())
        : quote(table.schema()) + "." + quote(table.name());
  }

  /**
   * Whether composite-key ranges are written as row values, {@code (a, b) > (?, ?)}, which the
   * database turns into an index range scan (MySQL 5.7+, MariaDB, PostgreSQL), instead of the
   * portable expansion {@code ((a > ?) OR (a = ? AND b > ?))}. Used by split reads and by a resumed
   * sink's DELETE. Default: false.
   */
  default boolean supportsRowValueComparison() {
    return false;
  }

  /**
   * A query returning the key columns of every row of {@code table} that passes {@code where},
   * ordered by them ascending: the planner streams it and keeps every k-th key as a split boundary,
   * so memory stays bounded. Override to read an index-only or sampled form; the order must stay.
   *
   * @param keyColumns the key columns, unquoted, in key order
   * @param where the user's filter, or null
   */
  default String sampleSql(String table, List<String> keyColumns, String where) {
    StringJoiner keys = new StringJoiner(", ");
    for (String k : keyColumns) {
      keys.add(quote(k));
    }
    return "SELECT "
        + keys
        + " FROM "
        + table
        + (where == null ? "" : " WHERE " + where)
        + " ORDER BY "
        + keys;
  }

  /** {@code INSERT INTO table (c1, c2) VALUES (?, ?)}. */
  default String insertSql(String table, List<String> columns) {
    return insertSql(table, columns, 1);
  }

  /**
   * {@code INSERT INTO table (c1, c2) VALUES (?, ?), (?, ?)}: {@code rows} rows of parameters,
   * bound row after row. The base of the multi-row {@link #upsertSql(String, List, List, int)}.
   */
  default String insertSql(String table, List<String> columns, int rows) {
    StringJoiner names = new StringJoiner(", ", "(", ")");
    StringJoiner params = new StringJoiner(", ", "(", ")");
    for (String c : columns) {
      names.add(quote(c));
      params.add("?");
    }
    String row = params.toString();
    StringBuilder sql = new StringBuilder(32 + rows * (row.length() + 2));
    sql.append("INSERT INTO ").append(table).append(' ').append(names).append(" VALUES ");
    for (int r = 0; r < rows; r++) {
      sql.append(r == 0 ? "" : ", ").append(row);
    }
    return sql.toString();
  }

  /**
   * A statement that inserts a row or updates the row whose {@code keys} match, with one {@code ?}
   * per column of {@code columns}, bound in that order. Empty when the database has none: {@code
   * writeMode: upsert} is then a check problem. Default: empty. {@link MergeSql} builds the
   * standard {@code MERGE} forms.
   *
   * @param keys the conflict key columns, a subset of {@code columns}
   */
  default Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
    return Optional.empty();
  }

  /**
   * The upsert of {@link #upsertSql} for {@code rows} rows in one statement, parameters bound row
   * after row (the cdc change writer's fast path: one statement and round trip per chunk instead of
   * one per row). The rows of one statement never repeat a key. Empty when the database has no
   * multi-row form: the change writer then sends {@link #upsertSql} once per row in a JDBC batch.
   * Default: empty.
   */
  default Optional<String> upsertSql(
      String table, List<String> columns, List<String> keys, int rows) {
    return Optional.empty();
  }

  /**
   * Like {@link #upsertSql} but the matching row is replaced as a whole (MySQL {@code REPLACE}).
   * Default: empty.
   */
  default Optional<String> replaceSql(String table, List<String> columns, List<String> keys) {
    return Optional.empty();
  }

  /**
   * Adds a nullable column (a cdc run following a schema change, or a soft-delete column). Default:
   * {@code ALTER TABLE table ADD column type}, which every supported database takes.
   */
  default String addColumnSql(String table, String column, String nativeType) {
    return "ALTER TABLE " + table + " ADD " + quote(column) + " " + nativeType;
  }

  /**
   * Changes a column's type to a wider one (a cdc run following a schema change); empty when the
   * dialect has no such statement. Default: standard {@code ALTER TABLE table ALTER COLUMN column
   * SET DATA TYPE type}.
   */
  default Optional<String> alterColumnTypeSql(String table, String column, String nativeType) {
    return Optional.of(
        "ALTER TABLE " + table + " ALTER COLUMN " + quote(column) + " SET DATA TYPE " + nativeType);
  }

  /** Empties the table for {@code truncate-insert}. Default: {@code TRUNCATE TABLE table}. */
  default String truncateSql(String table) {
    return "TRUNCATE TABLE " + table;
  }

  /**
   * {@code CREATE TABLE} for {@code createTable}: each column with {@code types}' {@link
   * TypeMapping#nativeType}, NOT NULL where the column is not nullable or is a key, and a primary
   * key of {@code keys} when not empty.
   *
   * @param types the dialect's type mapping, for the column types
   * @throws IllegalArgumentException naming the column, when a column's type has no native type
   *     here (the sink reports it as a problem of {@code createTable})
   */
  default String createTableSql(
      String table, List<Column> columns, List<String> keys, TypeMapping types) {
    StringJoiner body = new StringJoiner(", ", "(", ")");
    for (Column c : columns) {
      boolean notNull = !c.nullable() || keys.contains(c.name());
      String type;
      try {
        type = types.nativeType(c.type());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("column " + c.name() + ": " + e.getMessage(), e);
      }
      body.add(quote(c.name()) + " " + type + (notNull ? " NOT NULL" : ""));
    }
    return "CREATE TABLE " + table + " " + withPrimaryKey(body, keys);
  }

  /**
   * {@code body} with a {@code PRIMARY KEY (keys)} entry added when {@code keys} is not empty: for
   * {@link #createTableSql} overrides.
   */
  default StringJoiner withPrimaryKey(StringJoiner body, List<String> keys) {
    if (!keys.isEmpty()) {
      StringJoiner pk = new StringJoiner(", ", "PRIMARY KEY (", ")");
      keys.forEach(k -> pk.add(quote(k)));
      body.add(pk.toString());
    }
    return body;
  }

  /**
   * An expression of key column {@code quoted} that orders and compares in Ferry's key order
   * ({@link io.ferry.spi.Source#openOrdered}): strings by code points whatever the column's
   * collation. Empty when the database cannot (standard SQL has no portable binary collation for
   * strings); the column itself for every other kind.
   */
  default Optional<String> keyOrder(String quoted, DataType type) {
    return type.kind() == TypeKind.STRING ? Optional.empty() : Optional.of(quoted);
  }

  /**
   * An expression giving the canonical text of {@link io.ferry.spi.RangeChecksum} of column {@code
   * quoted}, NULL for NULL. Empty when the database cannot build it for that type. Default: empty.
   * Each row's text is hashed once, so the expression should be the cheapest the database has for
   * the text: the column's own text where it is already canonical (the type is known here, no
   * per-value branch). The expression is only used inside {@link #concat} (and in {@code
   * COALESCE(expression, 'N')} there): where the dialect's concatenation converts a value of the
   * column's type to its canonical text itself, the expression may be the column, not a text.
   *
   * @param column the column as described here (its character set, where the dialect reads it)
   * @param stored the column's own type here (its decimal scale, its fractional digits)
   * @param hashed the type the column is hashed as: its kind; for temporal kinds the fractional
   *     digits kept (at most the stored ones); for decimals the scale written, or the unconstrained
   *     decimal for the value without trailing fractional zeros
   */
  default Optional<String> canonicalText(
      String quoted, JdbcColumn column, DataType stored, DataType hashed) {
    return Optional.empty();
  }

  /**
   * The number of bytes, in UTF-8, of text expression {@code text} (a string column's canonical
   * text); empty when the database cannot. Default: empty.
   */
  default Optional<String> utf8Length(String text) {
    return Optional.empty();
  }

  /** The concatenation of text expressions. Default: standard {@code ||}. */
  default String concat(List<String> parts) {
    return "(" + String.join(" || ", parts) + ")";
  }

  /**
   * The sum, as an exact integer, over the rows of the query, of the number that the first 15 hex
   * digits of the MD5 of text expression {@code text} make (the hash is computed once per row);
   * empty when the database cannot.
   */
  default Optional<String> md5Sum(String text) {
    return Optional.empty();
  }

  /**
   * A statement run in the checksum query's own transaction just before it (a {@code SET LOCAL}
   * that ends with the transaction), or empty (the default).
   */
  default Optional<String> checksumSetup() {
    return Optional.empty();
  }

  /**
   * A typed value written as an SQL literal, for the cursor bounds of incremental reads, which
   * become part of the source's filter (docs/incremental.md). Only these types, parsed values never
   * text from a job: {@link Long}, {@link Integer}, {@link java.math.BigInteger}, {@link
   * java.math.BigDecimal}, {@link java.time.LocalDate}, {@link java.time.LocalDateTime}, {@link
   * java.time.OffsetDateTime}. Default: standard {@code DATE '...'}, {@code TIMESTAMP '...'} and
   * {@code TIMESTAMP WITH TIME ZONE '...'} literals.
   *
   * @throws IllegalArgumentException for any other type
   */
  default String literal(Object value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof java.math.BigInteger) {
      return value.toString();
    }
    if (value instanceof java.math.BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof java.time.LocalDate d) {
      return "DATE '" + Literals.date(d) + "'";
    }
    if (value instanceof java.time.LocalDateTime t) {
      return "TIMESTAMP '" + Literals.timestamp(t) + "'";
    }
    if (value instanceof java.time.OffsetDateTime t) {
      return "TIMESTAMP WITH TIME ZONE '"
          + Literals.timestamp(t.toLocalDateTime())
          + " "
          + Literals.offset(t.getOffset())
          + "'";
    }
    throw new IllegalArgumentException(
        "no SQL literal for a " + (value == null ? "null" : value.getClass().getSimpleName()));
  }

  /** The text of temporal literals, from typed values only. */
  final class Literals {
    private static final java.time.format.DateTimeFormatter TIMESTAMP =
        new java.time.format.DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true)
            .toFormatter(java.util.Locale.ROOT);

    private Literals() {}

    /** {@code yyyy-MM-dd}; years before 1 or after 9999 are refused. */
    public static String date(java.time.LocalDate d) {
      checkYear(d.getYear());
      return d.format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE);
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.fraction]}. */
    public static String timestamp(java.time.LocalDateTime t) {
      checkYear(t.getYear());
      return t.format(TIMESTAMP);
    }

    /** {@code +HH:MM}. */
    public static String offset(java.time.ZoneOffset o) {
      return o.getTotalSeconds() == 0 ? "+00:00" : o.getId();
    }

    private static void checkYear(int year) {
      if (year < 1 || year > 9999) {
        throw new IllegalArgumentException("year " + year + " is out of SQL's range");
      }
    }
  }

  /**
   * What follows an ORDER BY to keep only the row after skipping as many as one parameter says:
   * standard {@code OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY}; empty when the database has no form.
   */
  default Optional<String> offsetOneRow() {
    return Optional.of(" OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY");
  }
}
