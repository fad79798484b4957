package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.MergeSql;
import io.ferry.connector.jdbc.SqlBuilder;
import io.ferry.connector.jdbc.TypeMapping;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/** Oracle's SQL: quoted names without escapes, MERGE from {@code dual} for upsert and replace. */
class OracleSql implements SqlBuilder {
  static final OracleSql INSTANCE = new OracleSql();

  private final MergeSql merge = new MergeSql(this, MergeSql.Source.SELECT_FROM_DUAL);

  /** Only the {@link #INSTANCE}, and stand-ins for tests. */
  OracleSql() {}

  /**
   * {@code "name"}. Oracle quoted identifiers cannot contain a double quote or NUL at all (there is
   * no escape), so such names are refused here rather than producing broken SQL.
   */
  /** Oracle: {@code ALTER TABLE t MODIFY (c type)}. */
  @Override
  public java.util.Optional<String> alterColumnTypeSql(
      String table, String column, String nativeType) {
    return java.util.Optional.of(
        "ALTER TABLE " + table + " MODIFY (" + quote(column) + " " + nativeType + ")");
  }

  @Override
  public String quote(String identifier) {
    if (identifier.indexOf('"') >= 0 || identifier.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "Oracle identifiers cannot contain a double quote or NUL: " + identifier);
    }
    return '"' + identifier + '"';
  }

  /**
   * {@code MERGE INTO t USING (SELECT ? "K", ? "C" FROM dual) s ON (t."K" = s."K") WHEN MATCHED
   * THEN UPDATE SET t."C" = s."C" WHEN NOT MATCHED THEN INSERT ("K", "C") VALUES (s."K", s."C")}:
   * one parameter per column, in column order. When every column is a key there is nothing to
   * update and the statement only inserts missing rows.
   */
  @Override
  public Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
    return Optional.of(merge.sql(table, columns, keys));
  }

  /**
   * Oracle has no REPLACE: the MERGE of {@link #upsertSql} sets every non-key column, which
   * replaces the row as a whole (columns the sink does not write keep their values, as with
   * upsert).
   */
  @Override
  public Optional<String> replaceSql(String table, List<String> columns, List<String> keys) {
    return Optional.of(merge.sql(table, columns, keys));
  }

  /**
   * As the default, but key columns get types a primary key accepts: Oracle cannot index LOBs, so a
   * bytes key is RAW(2000) and a JSON or nested key VARCHAR2(4000 CHAR).
   */
  @Override
  public String createTableSql(
      String table, List<Column> columns, List<String> keys, TypeMapping types) {
    StringJoiner body = new StringJoiner(", ", "(", ")");
    for (Column c : columns) {
      boolean key = keys.contains(c.name());
      boolean notNull = !c.nullable() || key;
      String type = key ? keyType(c.type()) : types.nativeType(c.type());
      body.add(quote(c.name()) + " " + type + (notNull ? " NOT NULL" : ""));
    }
    return "CREATE TABLE " + table + " " + withPrimaryKey(body, keys);
  }

  /**
   * A type a primary key accepts: Oracle cannot index LOBs, so a bytes key is RAW(2000) and a JSON
   * or nested key VARCHAR2(4000 CHAR).
   */
  private static String keyType(DataType type) {
    TypeKind kind = type.kind();
    if (kind == TypeKind.BYTES) {
      return "RAW(2000)";
    }
    if (kind == TypeKind.JSON || kind.isNested()) {
      return "VARCHAR2(4000 CHAR)";
    }
    return OracleTypes.nativeType(type);
  }
}
