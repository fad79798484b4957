package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.MergeSql;
import io.ferry.connector.jdbc.SqlBuilder;
import io.ferry.connector.jdbc.TypeMapping;
import io.ferry.spi.Column;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/** SQL Server's SQL: bracket quoting, MERGE from a VALUES row for upsert and replace. */
final class SqlServerSql implements SqlBuilder {
  static final SqlServerSql INSTANCE = new SqlServerSql();

  private final MergeSql merge = new MergeSql(this, MergeSql.Source.VALUES);

  private SqlServerSql() {}

  /** {@code [name]}, a closing bracket doubled. */
  /** SQL Server: {@code ALTER TABLE t ALTER COLUMN c type} (NULL kept: the type alone). */
  @Override
  public java.util.Optional<String> alterColumnTypeSql(
      String table, String column, String nativeType) {
    return java.util.Optional.of(
        "ALTER TABLE " + table + " ALTER COLUMN " + quote(column) + " " + nativeType);
  }

  /** SQL Server has no DATE or TIMESTAMP literal: a CAST of ISO text (its unambiguous form). */
  @Override
  public String literal(Object value) {
    if (value instanceof java.time.LocalDate d) {
      return "CAST('" + Literals.date(d).replace("-", "") + "' AS DATE)";
    }
    if (value instanceof java.time.LocalDateTime t) {
      return "CAST('" + Literals.timestamp(t).replace(' ', 'T') + "' AS DATETIME2)";
    }
    if (value instanceof java.time.OffsetDateTime t) {
      return "CAST('"
          + Literals.timestamp(t.toLocalDateTime()).replace(' ', 'T')
          + Literals.offset(t.getOffset())
          + "' AS DATETIMEOFFSET)";
    }
    return SqlBuilder.super.literal(value);
  }

  @Override
  public String quote(String identifier) {
    return '[' + identifier.replace("]", "]]") + ']';
  }

  /**
   * {@code MERGE INTO t AS t USING (VALUES (?, ?)) AS s ([k], [c]) ON t.[k] = s.[k] WHEN MATCHED
   * THEN UPDATE SET t.[c] = s.[c] WHEN NOT MATCHED THEN INSERT ([k], [c]) VALUES (s.[k], s.[c]);}
   *
   * <p>Without {@code HOLDLOCK}: two writers inserting the same new key at once make one of them
   * fail with a duplicate key (2627), a data error, so the base replays that batch row by row and
   * the replayed MERGE updates the row the other writer inserted. HOLDLOCK would serialize every
   * batch on key-range locks instead and deadlock concurrent writers.
   */
  @Override
  public Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
    return Optional.of(merge.sql(table, columns, keys));
  }

  /** The MERGE of {@link #upsertSql}: it sets every written column, replacing the row's values. */
  @Override
  public Optional<String> replaceSql(String table, List<String> columns, List<String> keys) {
    return Optional.of(merge.sql(table, columns, keys));
  }

  /** As the default, with index-friendly widths for key columns (NVARCHAR(450), VARBINARY(900)). */
  @Override
  public String createTableSql(
      String table, List<Column> columns, List<String> keys, TypeMapping types) {
    StringJoiner body = new StringJoiner(", ", "(", ")");
    for (Column c : columns) {
      boolean key = keys.contains(c.name());
      body.add(
          quote(c.name())
              + " "
              + SqlServerTypes.nativeType(c.type(), key)
              + (!c.nullable() || key ? " NOT NULL" : " NULL"));
    }
    return "CREATE TABLE " + table + " " + withPrimaryKey(body, keys);
  }
}
