package io.ferry.connector.jdbc;

import io.ferry.spi.DirtyRow;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SinkWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one channel's rows on its own connection (autocommit off). Rows are copied into a {@link
 * RowBuffer} of {@code batchSize} rows; a full buffer, and every flush, is loaded by the dialect's
 * bulk writer or executed as one JDBC batch, then committed. The buffer is kept until committed: a
 * retriable failure reconnects and writes it again; a data error replays it row by row, sending the
 * rows the database rejects to the dirty-data store.
 */
final class JdbcSinkWriter implements SinkWriter {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkWriter.class);

  private final JdbcSink sink;
  private final WritePlan plan;
  private final Dialect dialect;
  private final RowBuffer buffer;
  private final int[] batchIndexes;
  private final ColumnBinder[] binders;
  private final int[] nullTypes;

  /** Rows of the buffer already committed (row-by-row replay) or already sent to dirty rows. */
  private final boolean[] done;

  /** Whether a JDBC batch's warnings cover every row of it (see {@link #executeOneByOne}). */
  private final boolean warningsOfBatchesComplete;

  private boolean anyDone;
  private long rowsBefore;
  private Connection connection;
  private PreparedStatement statement;
  private BulkWriter bulk;
  private boolean bulkOff;

  JdbcSinkWriter(JdbcSink sink, WritePlan plan) {
    this.sink = sink;
    this.plan = plan;
    this.dialect = sink.dialect();
    this.buffer = new RowBuffer(plan.columns().size(), sink.batchSize());
    this.batchIndexes = plan.batchIndexes();
    this.binders = plan.binders();
    this.nullTypes = plan.columns().stream().mapToInt(JdbcColumn::sqlType).toArray();
    this.done = new boolean[sink.batchSize()];
    this.bulkOff = !sink.bulkEnabled();
    this.warningsOfBatchesComplete =
        dialect.errors().batchWarningsComplete(plan.bulkTarget().writeMode());
  }

  @Override
  public void write(RowBatch batch) {
    int arity = buffer.arity();
    for (int r = 0; r < batch.size(); r++) {
      int row = buffer.addRow();
      for (int c = 0; c < arity; c++) {
        buffer.set(row, c, batch.get(r, batchIndexes[c]));
      }
      if (buffer.isFull()) {
        execute();
      }
    }
  }

  @Override
  public void flush() {
    if (!buffer.isEmpty()) {
      execute();
    }
  }

  /**
   * Writes and commits the buffer. A failure a retry may fix is translated to a retriable error:
   * the engine then replaces this writer and writes the split again from its checkpoint, after the
   * sink discarded what was committed past it.
   */
  private void execute() {
    try {
      if (connection == null) {
        connect();
      }
      if (bulk != null && !anyDone) {
        loadBulk();
      } else {
        executeBatched();
      }
    } catch (SQLException e) {
      disconnect();
      throw JdbcErrors.translate(
          dialect, e, sink.settings(), "writing " + buffer.size() + " rows to " + plan.label());
    }
    rowsBefore += buffer.size();
    buffer.clear();
    Arrays.fill(done, false);
    anyDone = false;
  }

  private void connect() throws SQLException {
    connection = sink.connection();
    sink.limitIdleTransactions(connection);
    connection.setAutoCommit(false);
    if (bulkOff) {
      return;
    }
    try {
      Optional<BulkWriter> writer = dialect.bulkWriter(connection, plan.bulkTarget());
      if (writer.isPresent()) {
        bulk = writer.get();
      } else {
        bulkOff = true;
        sink.bulkFallback(
            "the "
                + dialect.name()
                + " dialect has no bulk path for "
                + plan.bulkTarget().writeMode().name().toLowerCase(java.util.Locale.ROOT),
            false);
      }
    } catch (BulkUnavailableException e) {
      disableBulk(e);
    } catch (SQLException e) {
      if (dialect.errors().isRetriable(e)) {
        throw e;
      }
      disableBulk(e);
    }
  }

  private void disableBulk(SQLException reason) {
    bulkOff = true;
    bulk = null;
    sink.bulkFallback(JdbcErrors.rootMessage(reason), true);
  }

  private void loadBulk() throws SQLException {
    try {
      bulk.load(buffer);
    } catch (BulkUnavailableException e) {
      rollbackQuietly();
      closeBulk();
      disableBulk(e);
      executeBatched();
    } catch (SQLException e) {
      if (!dialect.errors().isDataError(e)) {
        throw e;
      }
      rollbackQuietly();
      LOG.debug("bulk load into {} rejected a row; writing this batch row by row", plan.label());
      replayRowByRow();
    }
  }

  private void executeBatched() throws SQLException {
    if (statement == null) {
      statement = connection.prepareStatement(plan.sql());
    }
    boolean clean;
    try {
      clean = warningsOfBatchesComplete ? executeAsBatch() : executeOneByOne();
    } catch (SQLException e) {
      if (!dialect.errors().isDataError(e)) {
        throw e;
      }
      clean = false;
    }
    if (clean) {
      FencedCommit.commit(connection, sink.context().fence());
      return;
    }
    // A row was rejected, or stored other than it was sent: find which, row by row.
    rollbackQuietly();
    statement.clearBatch();
    replayRowByRow();
  }

  /** One JDBC batch of the remaining rows; false when a warning says a value was changed. */
  private boolean executeAsBatch() throws SQLException {
    int pending = 0;
    for (int r = 0; r < buffer.size(); r++) {
      if (!done[r] && bind(r)) {
        statement.addBatch();
        pending++;
      }
    }
    if (pending == 0) {
      return true;
    }
    statement.clearWarnings();
    statement.executeBatch();
    return changedValue(statement) == null;
  }

  /**
   * The remaining rows statement by statement in one transaction, for drivers that keep only the
   * last statement's warnings of a batch ({@link SqlErrors#batchWarningsComplete}); false at the
   * first warning that says a value was changed.
   */
  private boolean executeOneByOne() throws SQLException {
    for (int r = 0; r < buffer.size(); r++) {
      if (!done[r] && bind(r)) {
        statement.clearWarnings();
        statement.executeUpdate();
        if (changedValue(statement) != null) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Writes each remaining row in its own transaction, so the good rows are written and each row the
   * database rejects, or would store other than it was sent, is rolled back and goes to the
   * dirty-data store with the database's message.
   */
  private void replayRowByRow() throws SQLException {
    if (statement == null) {
      statement = connection.prepareStatement(plan.sql());
    }
    for (int r = 0; r < buffer.size(); r++) {
      if (done[r] || !bind(r)) {
        continue;
      }
      try {
        statement.clearWarnings();
        statement.executeUpdate();
        SQLWarning changed = changedValue(statement);
        if (changed == null) {
          FencedCommit.commit(connection, sink.context().fence());
        } else {
          connection.rollback();
          dirty(
              r,
              dialect.errors().faultyColumn(changed, plan.columnNames()),
              "the database would store another value than the one sent, so the row was not"
                  + " written: "
                  + changed.getMessage());
        }
      } catch (SQLException e) {
        if (!dialect.errors().isDataError(e)) {
          throw e;
        }
        connection.rollback();
        dirty(r, dialect.errors().faultyColumn(e, plan.columnNames()), JdbcErrors.rootMessage(e));
      }
      markDone(r);
    }
  }

  /** The first warning of the last execution that says a value was changed, or null. */
  private SQLWarning changedValue(PreparedStatement executed) throws SQLException {
    for (SQLWarning w = executed.getWarnings(); w != null; w = w.getNextWarning()) {
      if (dialect.errors().changedValue(w)) {
        return w;
      }
    }
    return null;
  }

  /** Binds row {@code r}; false (and the row sent to dirty rows) when a value does not bind. */
  private boolean bind(int r) throws SQLException {
    for (int c = 0; c < binders.length; c++) {
      Object value = buffer.get(r, c);
      try {
        if (value == null) {
          statement.setNull(c + 1, nullTypes[c]);
        } else {
          binders[c].bind(statement, c + 1, value);
        }
      } catch (IllegalArgumentException | ClassCastException e) {
        statement.clearParameters();
        dirty(r, plan.columns().get(c).name(), e.getMessage());
        markDone(r);
        return false;
      }
    }
    return true;
  }

  private void markDone(int r) {
    done[r] = true;
    anyDone = true;
  }

  private void dirty(int r, String column, String reason) {
    List<String> names = plan.columnNames();
    Map<String, Object> values = new LinkedHashMap<>();
    for (int c = 0; c < names.size(); c++) {
      values.put(names.get(c), buffer.get(r, c));
    }
    Object value = column == null ? null : values.get(column);
    sink.context()
        .dirtyRows()
        .accept(
            new DirtyRow(
                location(r, values), values, column, value, reason == null ? "rejected" : reason));
  }

  private String location(int r, Map<String, Object> values) {
    if (plan.keys().isEmpty()) {
      return plan.label() + " row " + (rowsBefore + r + 1) + " of this writer";
    }
    StringBuilder sb = new StringBuilder(plan.label()).append(' ');
    for (int k = 0; k < plan.keys().size(); k++) {
      String key = plan.keys().get(k);
      sb.append(k == 0 ? "" : ", ").append(key).append('=').append(values.get(key));
    }
    return sb.toString();
  }

  private void rollbackQuietly() {
    try {
      if (connection != null && !connection.isClosed() && !connection.getAutoCommit()) {
        connection.rollback();
      }
    } catch (SQLException e) {
      LOG.debug("rollback on {} failed: {}", plan.label(), e.getMessage());
    }
  }

  private void closeBulk() {
    if (bulk != null) {
      try {
        bulk.close();
      } catch (SQLException e) {
        LOG.debug("closing the bulk writer of {}: {}", plan.label(), e.getMessage());
      }
      bulk = null;
    }
  }

  private void disconnect() {
    rollbackQuietly();
    closeBulk();
    try {
      if (statement != null) {
        statement.close();
      }
    } catch (SQLException e) {
      LOG.debug("closing the statement of {}: {}", plan.label(), e.getMessage());
    }
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException e) {
      LOG.debug("closing the connection of {}: {}", plan.label(), e.getMessage());
    }
    statement = null;
    connection = null;
  }

  @Override
  public void close() {
    disconnect();
  }
}
