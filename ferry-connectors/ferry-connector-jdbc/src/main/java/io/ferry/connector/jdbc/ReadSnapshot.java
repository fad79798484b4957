package io.ferry.connector.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One consistent view of the database shared by every reader of a source (option {@code snapshot:
 * true}), made by {@link Dialect#snapshot}. PostgreSQL exports a snapshot that each reader imports;
 * MySQL/MariaDB opens consistent-snapshot transactions together and hands them out.
 *
 * <p>Opened when the source plans its splits, closed when the source closes.
 */
public interface ReadSnapshot extends AutoCloseable {
  /**
   * A connection that reads the snapshot, for one split reader, with its session already set up.
   * The reader closes it when the split is done or before it reconnects after a failure.
   *
   * @throws SQLException when no further connection can join the snapshot (a MySQL snapshot after a
   *     lost connection): the read fails rather than reading outside the snapshot
   */
  Connection connection() throws SQLException;

  /** Ends the snapshot (the exporting transaction, connections not handed out). */
  @Override
  void close() throws SQLException;
}
