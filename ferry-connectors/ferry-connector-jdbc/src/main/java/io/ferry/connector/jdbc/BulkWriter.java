package io.ferry.connector.jdbc;

import java.sql.SQLException;

/**
 * A dialect's bulk load path (PostgreSQL {@code COPY FROM STDIN}, MySQL {@code LOAD DATA LOCAL
 * INFILE} from a stream, SQL Server bulk copy), made by {@link Dialect#bulkWriter} for one sink
 * writer and its connection. The base calls {@link #load} with every full buffer and on flush.
 *
 * <p>Failures and what the base does with them:
 *
 * <ul>
 *   <li>{@link BulkUnavailableException}: the path cannot work here (a disabled server feature);
 *       the base logs the reason once at WARN and writes this and every later buffer with batched
 *       statements;
 *   <li>an SQLException the dialect calls retriable: the base reconnects, makes a new bulk writer
 *       and loads the same buffer again;
 *   <li>an SQLException the dialect calls a data error: the base writes this buffer with batched
 *       statements, which isolate the bad rows into the dirty-data store, and keeps the bulk path
 *       for later buffers;
 *   <li>anything else fails the run.
 * </ul>
 *
 * <p>Rows a bulk writer sets aside itself (a value its encoding cannot carry, a row the server
 * reports as rejected while the rest of the load is kept) go to {@code
 * target.context().dirtyRows()} of its {@link BulkTarget}, with the table and key as location, the
 * column, the value and the reason, exactly as the base reports the rows it rejects; the rest of
 * the buffer is loaded and committed. Unit-test a bulk writer with buffers from {@link
 * RowBuffer#of}.
 */
public interface BulkWriter extends AutoCloseable {
  /**
   * Loads every row of {@code rows} and commits them, or throws and leaves none of them committed
   * (roll back what was started). Must not keep {@code rows} after returning.
   */
  void load(RowBuffer rows) throws SQLException;

  /** Releases what the writer holds (staging tables, streams); not the connection. */
  @Override
  default void close() throws SQLException {}
}
