package io.ferry.connector.jdbc;

import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Builds the {@code MERGE} that upserts one row of parameters, for databases without an {@code ON
 * CONFLICT} or {@code ON DUPLICATE KEY} form: match the target row {@code t} on the key columns,
 * update every non-key column from the source row {@code s}, or insert it. When every column is a
 * key there is nothing to update and the statement only inserts missing rows. Two syntaxes of the
 * one-row source cover the databases that need it; see {@link Source}.
 */
public final class MergeSql {
  /** How the statement writes its one-row source of parameters and what surrounds it. */
  public enum Source {
    /**
     * Oracle: {@code MERGE INTO t t USING (SELECT ? "K", ? "C" FROM dual) s ON (t."K" = s."K") ...}
     * (no {@code AS} before table aliases, the match condition in parentheses).
     */
    SELECT_FROM_DUAL,
    /**
     * SQL Server: {@code MERGE INTO t AS t USING (VALUES (?, ?)) AS s ([K], [C]) ON t.[K] = s.[K]
     * ...;} (a MERGE must end with a semicolon there).
     */
    VALUES
  }

  private final SqlBuilder names;
  private final Source source;

  /**
   * @param names quotes the column names
   * @param source the syntax of the source row
   */
  public MergeSql(SqlBuilder names, Source source) {
    this.names = Objects.requireNonNull(names, "names is null");
    this.source = Objects.requireNonNull(source, "source is null");
  }

  /**
   * The MERGE for {@code table} (qualified and quoted) with one parameter per column of {@code
   * columns}, in that order.
   *
   * @param keys the match columns, a subset of {@code columns}
   * @throws IllegalArgumentException when {@code keys} is empty
   */
  public String sql(String table, List<String> columns, List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("MERGE needs at least one key column");
    }
    StringJoiner selected = new StringJoiner(", ", "SELECT ", " FROM dual");
    StringJoiner params = new StringJoiner(", ", "(", ")");
    StringJoiner insertColumns = new StringJoiner(", ", "(", ")");
    StringJoiner insertValues = new StringJoiner(", ", "(", ")");
    StringJoiner update = new StringJoiner(", ");
    for (String c : columns) {
      String q = names.quote(c);
      selected.add("? " + q);
      params.add("?");
      insertColumns.add(q);
      insertValues.add("s." + q);
      if (!keys.contains(c)) {
        update.add("t." + q + " = s." + q);
      }
    }
    StringJoiner on = new StringJoiner(" AND ");
    for (String k : keys) {
      on.add("t." + names.quote(k) + " = s." + names.quote(k));
    }
    boolean dual = source == Source.SELECT_FROM_DUAL;
    return "MERGE INTO "
        + table
        + (dual
            ? " t USING (" + selected + ") s ON (" + on + ")"
            : " AS t USING (VALUES " + params + ") AS s " + insertColumns + " ON " + on)
        + (update.length() == 0 ? "" : " WHEN MATCHED THEN UPDATE SET " + update)
        + " WHEN NOT MATCHED THEN INSERT "
        + insertColumns
        + " VALUES "
        + insertValues
        + (dual ? "" : ";");
  }
}
