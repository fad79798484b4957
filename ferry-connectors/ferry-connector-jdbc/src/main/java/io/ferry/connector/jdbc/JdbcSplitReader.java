package io.ferry.connector.jdbc;

import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.SplitReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one split through a streaming cursor, in key order, into batches of {@code batchSize} rows.
 * It remembers the last key read (or the rows read, unkeyed): each batch's position, and where the
 * cursor is reopened after a retriable failure, so a lost connection costs a reconnect and no row.
 *
 * <p>On a connection of the source's {@link ReadSnapshot}, the reader never commits, rolls back or
 * changes the transaction (its isolation, autocommit): {@link Dialect#prepareStreaming} gets a
 * {@link SnapshotGuard}, and closing the connection is all the reader does with it when the split
 * is done or before it reconnects.
 */
final class JdbcSplitReader implements SplitReader {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSplitReader.class);

  private final JdbcSource source;
  private final ReadPlan plan;
  private final JdbcSplit split;
  private final Dialect dialect;
  private final ColumnReader[] readers;
  private final int[] keyIndexes;
  private final List<String> keyNames;
  private final List<DataType> keyTypes;
  private final Object[] row;
  private final int emitted;

  /**
   * The last key read, or null before the first row (then the split's lower bound applies). Updated
   * in place for every row: no allocation per row; positions encode it at once.
   */
  private Object[] lastKey;

  private long rowsRead;
  private long rowsAtLastBatch;
  private boolean exhausted;
  private Connection connection;

  /** Whether {@link #connection} came from the source's {@link ReadSnapshot}. */
  private boolean fromSnapshot;

  private PreparedStatement statement;
  private ResultSet cursor;

  JdbcSplitReader(JdbcSource source, ReadPlan plan, JdbcSplit split, Position after) {
    this.source = source;
    this.plan = plan;
    this.split = split;
    this.dialect = source.dialect();
    this.readers = plan.readers();
    this.keyIndexes = plan.keyIndexes();
    this.keyNames = plan.keyNames();
    this.keyTypes = plan.keyTypes();
    this.row = new Object[plan.columns().size()];
    this.emitted = plan.emitted();
    if (split.keyed() != plan.keyed()) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "split " + split.id() + " of " + plan.label() + " no longer matches the table's key");
    }
    if (after != null) {
      if (split.keyed()) {
        lastKey = ReadPosition.key(after, keyTypes);
      } else {
        rowsRead = ReadPosition.rows(after);
      }
    }
    rowsAtLastBatch = rowsRead;
  }

  @Override
  public RowBatch next() {
    if (exhausted) {
      return null;
    }
    RowBatch batch = new RowBatch(emitted, source.batchSize());
    // A failure a retry may fix is translated to a retriable error: the engine opens the split
    // again after the last batch returned.
    try {
      if (cursor == null) {
        open();
      }
      fill(batch);
    } catch (SQLException e) {
      closeCursor();
      throw JdbcErrors.translate(dialect, e, source.settings(), "reading " + where());
    }
    if (batch.isEmpty() && rowsRead == rowsAtLastBatch) {
      return null;
    }
    rowsAtLastBatch = rowsRead;
    return batch.position(position());
  }

  /** Reads rows until the batch is full or the cursor ends. */
  private void fill(RowBatch batch) throws SQLException {
    int capacity = source.batchSize();
    while (batch.size() < capacity) {
      if (!cursor.next()) {
        exhausted = true;
        closeCursor();
        return;
      }
      int bad = -1;
      String reason = null;
      for (int c = 0; c < row.length; c++) {
        try {
          row[c] = readers[c].read(cursor, c + 1);
        } catch (IllegalArgumentException | DateTimeException e) {
          // DateTimeException: a driver that cannot decode a value (MariaDB's '2024-00-10').
          if (bad < 0) {
            bad = c;
            reason = e.getMessage();
          }
          row[c] = null;
        }
      }
      rowsRead++;
      if (keyIndexes.length > 0) {
        trackKey(bad);
      }
      if (bad >= 0) {
        reportDirty(bad, reason);
      } else if (row.length == emitted) {
        batch.addRow(row);
      } else {
        int r = batch.addRow();
        for (int c = 0; c < emitted; c++) {
          batch.set(r, c, row[c]);
        }
      }
    }
  }

  private void trackKey(int bad) {
    if (lastKey == null) {
      lastKey = new Object[keyIndexes.length];
    }
    for (int k = 0; k < keyIndexes.length; k++) {
      if (keyIndexes[k] == bad) {
        throw new FerryException(
            ErrorCode.CONVERSION,
            "key column "
                + keyNames.get(k)
                + " of "
                + plan.label()
                + " cannot be read after "
                + positionText());
      }
      lastKey[k] = row[keyIndexes[k]];
    }
  }

  private void reportDirty(int column, String reason) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int c = 0; c < emitted; c++) {
      values.put(plan.columns().get(c).name(), row[c]);
    }
    Object raw;
    try {
      raw = cursor.getString(column + 1);
    } catch (SQLException | RuntimeException e) {
      // The driver cannot show the value as text either (a DateTimeException for a zero month):
      // the row still goes to the dirty-data store, with its other values and the reason.
      raw = null;
    }
    source
        .context()
        .dirtyRows()
        .accept(
            new DirtyRow(
                plan.label() + " " + positionText(),
                values,
                plan.columns().get(column).name(),
                raw,
                reason));
  }

  /** Called after at least one row was read, so a keyed split has a last key. */
  private Position position() {
    return keyIndexes.length > 0
        ? ReadPosition.ofKey(keyNames, keyTypes, lastKey)
        : ReadPosition.ofRows(rowsRead);
  }

  private String positionText() {
    if (keyIndexes.length == 0) {
      return "row " + rowsRead;
    }
    Object[] key = lastKey != null ? lastKey : split.lower();
    return key == null
        ? "start of split " + split.id()
        : ReadPosition.describe(keyNames, keyTypes, key);
  }

  private String where() {
    return plan.label() + " (split " + split.id() + ", after " + positionText() + ")";
  }

  /** Opens the cursor after the last key read (or skips the rows read, unkeyed). */
  private void open() throws SQLException {
    Object[] lower = lastKey != null ? lastKey : split.lower();
    Object[] upper = split.upper();
    String sql = plan.selectSql(dialect, lower != null, upper != null);
    fromSnapshot = source.readsSnapshot();
    connection = source.readerConnection();
    statement =
        connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    dialect.prepareStreaming(
        fromSnapshot ? SnapshotGuard.guard(connection) : connection, statement, source.fetchSize());
    int p = 1;
    int[] order = plan.bindOrder(dialect);
    ColumnBinder[] binders = plan.keyBinders();
    for (Object[] bound : new Object[][] {lower, upper}) {
      if (bound != null) {
        for (int k : order) {
          binders[k].bind(statement, p++, bound[k]);
        }
      }
    }
    cursor = statement.executeQuery();
    if (keyIndexes.length == 0) {
      // Exact only if the table did not change since the position was taken: see README.
      for (long skipped = 0; skipped < rowsRead; skipped++) {
        if (!cursor.next()) {
          break;
        }
      }
    }
  }

  private void closeCursor() {
    // Ends the read-only transaction prepareStreaming may have opened (never a snapshot's);
    // errors are moot here.
    try {
      if (cursor != null) {
        cursor.close();
      }
    } catch (SQLException e) {
      LOG.debug("closing the cursor of {}: {}", split.id(), e.getMessage());
    }
    try {
      if (statement != null) {
        statement.close();
      }
    } catch (SQLException e) {
      LOG.debug("closing the statement of {}: {}", split.id(), e.getMessage());
    }
    try {
      if (connection != null) {
        // A snapshot connection's transaction is the snapshot's: closing hands it back, and the
        // ReadSnapshot decides what that means. Only a pooled connection is rolled back here.
        if (!fromSnapshot && !connection.isClosed() && !connection.getAutoCommit()) {
          connection.rollback();
        }
        connection.close();
      }
    } catch (SQLException e) {
      LOG.debug("closing the connection of {}: {}", split.id(), e.getMessage());
    }
    cursor = null;
    statement = null;
    connection = null;
  }

  @Override
  public void close() {
    closeCursor();
  }
}
