package io.ferry.connector.postgresql;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.BulkWriter;
import io.ferry.connector.jdbc.FencedCommit;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.RowBuffer;
import io.ferry.connector.jdbc.WriteMode;
import io.ferry.spi.DirtyRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * PostgreSQL's bulk path: {@code COPY ... FROM STDIN} through the driver's {@link CopyIn}, one COPY
 * and one commit per buffer the base hands over.
 *
 * <p>Format: binary ({@link CopyBinaryEncoder}) when every column's PostgreSQL type takes its
 * incoming Ferry type in binary exactly (it costs the server about a third less CPU than text),
 * otherwise text ({@link CopyTextEncoder}: the server parses each value by the target column's
 * type, which carries strings into uuid, enum, json, ... columns). A value binary cannot carry as
 * text would ({@link CopyBinaryEncoder.NeedsText}) makes the writer copy that buffer again as text
 * and keep to text.
 *
 * <ul>
 *   <li><b>insert</b>: COPY straight into the target.
 *   <li><b>upsert / replace</b>: COPY into a per-session temporary staging table ({@code LIKE
 *       target INCLUDING DEFAULTS}, {@code ON COMMIT DELETE ROWS}), then {@code INSERT INTO target
 *       SELECT DISTINCT ON (keys) ... FROM staging ORDER BY keys, ctid DESC ON CONFLICT (keys) DO
 *       UPDATE SET c = EXCLUDED.c}: the last row of a key within one buffer wins, as with
 *       statements.
 * </ul>
 *
 * <p>Encoded bytes go to the server every {@value #SEND_BYTES} bytes while the next rows are
 * encoded, so the server parses while the writer encodes.
 *
 * <p>A COPY stops at its first bad row, and the server names it ({@code COPY orders, line 7, column
 * note: "..."}). The writer rolls back, keeps that row aside with the server's column and reason,
 * and copies the rest again; when that succeeds it commits and only then hands the kept rows to the
 * dirty-data store, so a row is never reported twice. After {@value #MAX_RECOPIES} bad rows in one
 * buffer, or for an error that names no line (a constraint found by the staging merge), it throws
 * the data error and the base replays the buffer statement by statement.
 */
final class PgBulkWriter implements BulkWriter {
  static final int SEND_BYTES = 256 * 1024;
  static final int MAX_RECOPIES = 8;
  private static final Pattern WHERE =
      Pattern.compile("COPY .*?, line (\\d+)(?:, column (.+?)(?::|$))?", Pattern.DOTALL);

  private final Connection connection;
  private final BulkTarget target;
  private final CopyTextEncoder encoder;

  /** Null when some column is written as text only. */
  private final CopyBinaryEncoder binary;

  private boolean textOnly;
  private final String copySql;
  private final String mergeSql;
  private final List<String> columnNames;
  private final List<String> locationKeys;

  PgBulkWriter(Connection connection, BulkTarget target) throws SQLException {
    this(connection, target, true);
  }

  /**
   * @param allowBinary false to copy in text whatever the types (tests compare the formats)
   */
  PgBulkWriter(Connection connection, BulkTarget target, boolean allowBinary) throws SQLException {
    this.connection = requireNonNull(connection, "connection is null");
    this.target = requireNonNull(target, "target is null");
    List<CopyTextEncoder.ValueEncoder> encoders = new ArrayList<>();
    for (int c = 0; c < target.columns().size(); c++) {
      encoders.add(
          CopyTextEncoder.encoderFor(target.types().get(c), isJson(target.columns().get(c))));
    }
    this.encoder = new CopyTextEncoder(encoders);
    List<CopyBinaryEncoder.ValueEncoder> binaryEncoders = new ArrayList<>();
    for (int c = 0; c < target.columns().size(); c++) {
      CopyBinaryEncoder.ValueEncoder e =
          CopyBinaryEncoder.encoderFor(target.columns().get(c).typeName(), target.types().get(c));
      if (e == null) {
        binaryEncoders = null;
        break;
      }
      binaryEncoders.add(e);
    }
    this.binary =
        binaryEncoders == null || !allowBinary ? null : new CopyBinaryEncoder(binaryEncoders);
    this.textOnly = binary == null;
    this.columnNames = target.columns().stream().map(JdbcColumn::name).toList();
    this.locationKeys = target.keys().isEmpty() ? primaryKey(connection, target) : target.keys();
    StringJoiner cols = new StringJoiner(", ", "(", ")");
    columnNames.forEach(c -> cols.add(PgSql.INSTANCE.quote(c)));
    if (target.writeMode() == WriteMode.INSERT || target.writeMode() == WriteMode.TRUNCATE_INSERT) {
      this.copySql = "COPY " + target.table() + " " + cols + " FROM STDIN";
      this.mergeSql = null;
    } else {
      String staging = PgSql.INSTANCE.quote(stagingName(target));
      execute(
          "CREATE TEMPORARY TABLE IF NOT EXISTS "
              + staging
              + " (LIKE "
              + target.table()
              + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS");
      connection.commit();
      this.copySql = "COPY " + staging + " " + cols + " FROM STDIN";
      this.mergeSql = mergeSql(staging, cols.toString());
    }
  }

  /**
   * The target's primary key columns that this writer writes, to locate dirty rows of an insert
   * (whose target carries no conflict keys); empty when there is none.
   */
  private List<String> primaryKey(Connection connection, BulkTarget target) throws SQLException {
    List<String> keys = new ArrayList<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT a.attname FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY"
                + " AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum ="
                + " k.attnum WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY k.n")) {
      s.setString(1, target.table());
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
    }
    connection.commit();
    return columnNames.containsAll(keys) ? List.copyOf(keys) : List.of();
  }

  /** A name unique per target within a session: temporary tables are session-local. */
  static String stagingName(BulkTarget target) {
    return "ferry_stage_" + Integer.toHexString(target.table().hashCode());
  }

  private String mergeSql(String staging, String cols) {
    StringJoiner keys = new StringJoiner(", ");
    target.keys().forEach(k -> keys.add(PgSql.INSTANCE.quote(k)));
    StringJoiner set = new StringJoiner(", ");
    for (String c : columnNames) {
      if (!target.keys().contains(c)) {
        set.add(PgSql.INSTANCE.quote(c) + " = EXCLUDED." + PgSql.INSTANCE.quote(c));
      }
    }
    String plainCols = cols.substring(1, cols.length() - 1);
    return "INSERT INTO "
        + target.table()
        + " "
        + cols
        + " SELECT DISTINCT ON ("
        + keys
        + ") "
        + plainCols
        + " FROM "
        + staging
        + " ORDER BY "
        + keys
        + ", ctid DESC ON CONFLICT ("
        + keys
        + ") "
        + (set.length() == 0 ? "DO NOTHING" : "DO UPDATE SET " + set);
  }

  private static boolean isJson(JdbcColumn column) {
    String t = column.typeName().toLowerCase(Locale.ROOT);
    return t.equals("json") || t.equals("jsonb");
  }

  /** Whether the writer copies in binary (until a value needs text). */
  boolean binary() {
    return !textOnly;
  }

  @Override
  public void load(RowBuffer rows) throws SQLException {
    if (!textOnly) {
      try {
        loadOnce(rows);
        return;
      } catch (CopyBinaryEncoder.NeedsText e) {
        // Nothing of this buffer was committed: copy it again, and everything after, as text.
        connection.rollback();
        textOnly = true;
      }
    }
    loadOnce(rows);
  }

  private void loadOnce(RowBuffer rows) throws SQLException {
    List<Integer> order = new ArrayList<>(rows.size());
    for (int r = 0; r < rows.size(); r++) {
      order.add(r);
    }
    List<DirtyRow> dirty = new ArrayList<>();
    while (true) {
      try {
        copy(rows, order, dirty);
        if (mergeSql != null && !order.isEmpty()) {
          execute(mergeSql);
        }
        FencedCommit.commit(connection, target.context().fence());
        dirty.forEach(target.context().dirtyRows()::accept);
        return;
      } catch (SQLException e) {
        rollbackQuietly(e);
        BadRow bad = dirty.size() < MAX_RECOPIES ? badRow(e, order.size()) : null;
        if (bad == null) {
          throw e;
        }
        int row = order.remove(bad.line() - 1);
        dirty.add(dirtyRow(rows, row, bad.column(), bad.reason()));
      }
    }
  }

  /**
   * One COPY of the rows in {@code order}, in binary unless text is needed; rows that cannot be
   * encoded go to {@code dirty}. In binary the server numbers the tuples as it numbers text lines.
   */
  private void copy(RowBuffer rows, List<Integer> order, List<DirtyRow> dirty) throws SQLException {
    CopyEncoder out = textOnly ? encoder : binary;
    CopyIn copy =
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(textOnly ? copySql : copySql + " WITH (FORMAT binary)");
    try {
      out.start();
      CopyTextEncoder.Values2D values = rows::get;
      for (int i = 0; i < order.size(); i++) {
        int r = order.get(i);
        try {
          out.appendRow(values, r);
        } catch (CopyTextEncoder.EncodeException e) {
          // Not sent: drop it from this and every further attempt.
          order.remove(i--);
          String column = columnNames.get(e.column);
          dirty.add(
              dirtyRow(rows, r, column, "cannot encode the value for COPY: " + e.getMessage()));
          continue;
        }
        if (out.length() >= SEND_BYTES) {
          copy.writeToCopy(out.buffer(), 0, out.length());
          out.reset();
        }
      }
      out.finish();
      if (out.length() > 0) {
        copy.writeToCopy(out.buffer(), 0, out.length());
      }
      copy.endCopy();
    } finally {
      out.reset();
      if (copy.isActive()) {
        try {
          copy.cancelCopy();
        } catch (SQLException ignored) {
          // The COPY already failed; the rollback that follows ends it either way.
        }
      }
    }
  }

  private DirtyRow dirtyRow(RowBuffer rows, int row, String column, String reason) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int c = 0; c < columnNames.size(); c++) {
      values.put(columnNames.get(c), rows.get(row, c));
    }
    int index = column == null ? -1 : columnNames.indexOf(column);
    StringBuilder location = new StringBuilder(target.ref().toString());
    if (!locationKeys.isEmpty()) {
      StringJoiner key = new StringJoiner(", ", " ", "");
      for (String k : locationKeys) {
        int i = columnNames.indexOf(k);
        key.add(k + "=" + (i < 0 ? "?" : rows.get(row, i)));
      }
      location.append(key);
    }
    return new DirtyRow(
        location.toString(),
        values,
        index < 0 ? null : column,
        index < 0 ? null : rows.get(row, index),
        index < 0 ? reason : "column " + column + ": " + reason);
  }

  /** The line (1-based within the COPY) and column the server's error context names, or null. */
  static BadRow badRow(SQLException e, int lines) {
    if (!PgErrors.isRowError(e) || !(e instanceof PSQLException p)) {
      return null;
    }
    ServerErrorMessage m = p.getServerErrorMessage();
    if (m == null || m.getWhere() == null) {
      return null;
    }
    Matcher matcher = WHERE.matcher(m.getWhere());
    if (!matcher.find()) {
      return null;
    }
    int line = Integer.parseInt(matcher.group(1));
    if (line < 1 || line > lines) {
      return null;
    }
    String column = matcher.group(2) != null ? matcher.group(2) : m.getColumn();
    String reason =
        m.getMessage()
            + (m.getDetail() == null ? "" : " (" + m.getDetail() + ")")
            + " [SQLState "
            + m.getSQLState()
            + "]";
    return new BadRow(line, column, reason);
  }

  record BadRow(int line, String column, String reason) {}

  private void rollbackQuietly(SQLException cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }
}
