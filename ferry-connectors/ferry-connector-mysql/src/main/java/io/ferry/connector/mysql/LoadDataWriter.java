package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.BulkWriter;
import io.ferry.connector.jdbc.FencedCommit;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.RowBuffer;
import io.ferry.connector.jdbc.WriteMode;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Writes each buffer with one {@code LOAD DATA LOCAL INFILE} statement fed from memory ({@link
 * LoadDataText}), then commits. Insert uses {@code IGNORE} (what LOCAL implies anyway), replace
 * {@code REPLACE}; upsert loads into a temporary staging table of the writer's session and merges
 * with one {@code INSERT ... SELECT ... ON DUPLICATE KEY UPDATE}.
 *
 * <p>LOAD DATA LOCAL reports bad values as warnings and stores what it could (a cut string, a
 * zero): nothing may pass silently, so every warning of the load (and of the merge) rolls the whole
 * buffer back and fails it as a data error, naming lines and columns. The strict sql_mode cannot do
 * this instead: LOCAL implies IGNORE, which turns its errors into those warnings (and without
 * IGNORE one bad value would abort the whole statement without saying which rows are good). Values
 * known not to fit (a BC date, an infinity) are refused before the load by {@link LoadDataText},
 * which fails the buffer the same way. The base then writes that buffer row by row with prepared
 * statements under the strict sql_mode, whose binder and warning checks put exactly the bad rows,
 * by key, in the dirty-data store.
 */
final class LoadDataWriter implements BulkWriter {
  private static final int REPORTED_WARNINGS = 5;

  private final MySqlSessions sessions;
  private final Connection connection;
  private final BulkTarget target;
  private final LoadDataText text;
  private final String loadSql;
  private final String mergeSql;
  private final String stage;

  LoadDataWriter(MySqlSessions sessions, Connection connection, BulkTarget target, WriteMode mode)
      throws SQLException {
    this.sessions = sessions;
    this.connection = connection;
    this.target = target;
    List<JdbcColumn> columns = target.columns();
    List<Column> schema = new ArrayList<>(columns.size());
    int[] fractions = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      JdbcColumn column = columns.get(c);
      DataType type = target.types().get(c);
      schema.add(Column.of("c" + c + "_" + column.name(), type));
      String name = MySqlType.of(column).dataType();
      boolean time = name.equals("datetime") || name.equals("timestamp") || name.equals("time");
      fractions[c] = time ? Math.max(0, Math.min(6, column.scale())) : 6;
    }
    this.text = new LoadDataText(Schema.of(schema), fractions, sessions.sessionZone());
    List<String> names = columns.stream().map(JdbcColumn::name).toList();
    if (mode == WriteMode.UPSERT) {
      stage = MySqlSql.INSTANCE.quote(stageName(target.ref().name()));
      try (Statement s = connection.createStatement()) {
        s.execute("DROP TEMPORARY TABLE IF EXISTS " + stage);
        s.execute(
            "CREATE TEMPORARY TABLE "
                + stage
                + " ENGINE=InnoDB AS SELECT "
                + columnList(names)
                + " FROM "
                + target.table()
                + " WHERE 1 = 0");
      }
      loadSql = loadSql("IGNORE", stage, columns);
      mergeSql =
          "INSERT INTO "
              + target.table()
              + " "
              + "("
              + columnList(names)
              + ") SELECT "
              + columnList(names)
              + " FROM "
              + stage
              + MySqlSql.INSTANCE.onDuplicateKeyUpdate(names, target.keys());
    } else {
      stage = null;
      mergeSql = null;
      loadSql = loadSql(mode == WriteMode.REPLACE ? "REPLACE" : "IGNORE", target.table(), columns);
    }
  }

  private static String stageName(String table) {
    String name = "ferry_stage_" + table;
    return name.length() <= 64 ? name : name.substring(0, 64);
  }

  private String columnList(List<String> names) {
    StringJoiner j = new StringJoiner(", ");
    names.forEach(n -> j.add(MySqlSql.INSTANCE.quote(n)));
    return j.toString();
  }

  /**
   * Bytes go through a variable and UNHEX; BIT columns take numbers through CAST (LOAD DATA would
   * store the character '1', 0x31, in a BIT column).
   */
  private String loadSql(String duplicates, String table, List<JdbcColumn> columns) {
    StringJoiner list = new StringJoiner(", ", "(", ")");
    StringJoiner set = new StringJoiner(", ", " SET ", "");
    set.setEmptyValue("");
    for (int c = 0; c < columns.size(); c++) {
      String name = MySqlSql.INSTANCE.quote(columns.get(c).name());
      TypeKind kind = target.types().get(c).kind();
      boolean bit = MySqlType.of(columns.get(c)).dataType().equals("bit");
      if (kind == TypeKind.BYTES) {
        list.add("@v" + c);
        set.add(name + " = UNHEX(@v" + c + ")");
      } else if (bit) {
        list.add("@v" + c);
        set.add(name + " = CAST(@v" + c + " AS UNSIGNED)");
      } else {
        list.add(name);
      }
    }
    return "LOAD DATA LOCAL INFILE 'ferry.tsv' "
        + duplicates
        + " INTO TABLE "
        + table
        + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\'"
        + " LINES TERMINATED BY '\\n' "
        + list
        + set;
  }

  @Override
  public void load(RowBuffer rows) throws SQLException {
    text.clear();
    Object[] row = new Object[rows.arity()];
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < row.length; c++) {
        row[c] = rows.get(r, c);
      }
      try {
        text.addRow(row, 0);
      } catch (LoadDataText.RejectedValue e) {
        String column = e.column >= 0 ? target.columns().get(e.column).name() : null;
        throw new SQLException(
            "row "
                + (r + 1)
                + " of the batch"
                + (column == null ? "" : ", column '" + column + "'")
                + ": "
                + e.getMessage(),
            "22000");
      }
    }
    if (text.lines() == 0) {
      return;
    }
    try (Statement s = connection.createStatement()) {
      if (stage != null) {
        s.executeUpdate("DELETE FROM " + stage);
      }
      s.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(text.stream());
      s.executeUpdate(loadSql);
      checkWarnings(s.getWarnings());
      if (mergeSql != null) {
        s.executeUpdate(mergeSql);
        checkWarnings(s.getWarnings());
      }
      FencedCommit.commit(connection, target.context().fence());
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(e);
      throw e;
    }
  }

  /**
   * Every warning of the load or the merge that may mean a changed or skipped value (see {@link
   * MySqlErrors#changedValue}) fails the buffer as a data error.
   */
  private void checkWarnings(SQLWarning first) throws SQLException {
    List<LoadWarning> problems = new ArrayList<>();
    int total = 0;
    for (SQLWarning w = first; w != null; w = w.getNextWarning()) {
      if (!MySqlErrors.INSTANCE.changedValue(w)) {
        continue;
      }
      total++;
      if (problems.size() < REPORTED_WARNINGS) {
        problems.add(LoadWarning.parse(w.getErrorCode(), String.valueOf(w.getMessage())));
      }
    }
    if (problems.isEmpty()) {
      return;
    }
    StringJoiner message =
        new StringJoiner(
            "; ",
            "LOAD DATA into " + target.ref() + " reported " + total + " problem(s): ",
            total > problems.size() ? "; ..." : "");
    for (LoadWarning w : problems) {
      String where = w.line() > 0 ? "line " + w.line() + ": " : "";
      message.add(where + w.message().replaceAll("(?i)\\s*at row \\d+", ""));
    }
    int code = problems.get(0).code();
    // SQLState 22000 makes the base replay the buffer with statements that isolate the bad rows.
    throw new SQLException(message.toString(), "22000", code);
  }

  private void rollbackQuietly(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void close() throws SQLException {
    if (stage != null && !connection.isClosed()) {
      try (Statement s = connection.createStatement()) {
        s.execute("DROP TEMPORARY TABLE IF EXISTS " + stage);
      } catch (SQLException e) {
        // The session may be gone; its temporary table went with it.
      }
    }
  }

  @Override
  public String toString() {
    return "LOAD DATA into "
        + target.ref()
        + " ("
        + target.writeMode().name().toLowerCase(Locale.ROOT)
        + ")";
  }
}
