package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.Option;
import io.ferry.spi.Options;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * What one database family does differently; everything else is the shared JDBC base. A dialect
 * implements {@link #name()} and overrides only what differs: every other method has a default that
 * works for a standard-SQL database with a JDBC 4.2 driver (the {@link GenericDialect}).
 *
 * <p>A dialect is made of parts, each its own small interface with standard defaults: {@link
 * #sessions()} (URLs, driver properties, session setup), {@link #errors()} (what errors and
 * warnings mean), {@link #types()} (column mappings) and {@link #sql()} (SQL text). What stays here
 * are the dialect's options, reading (streaming, estimates, snapshots), bulk writes and the
 * catalog's comments.
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>Methods taking a {@link Connection} never close or commit it unless they say so.
 *   <li>A dialect instance, and each of its parts, is shared by every thread of a source or sink:
 *       keep it immutable.
 * </ul>
 */
public interface Dialect {
  /** The dialect's name for logs and messages, e.g. {@code mysql}, {@code postgresql}. */
  String name();

  // ---- options -------------------------------------------------------------------------------

  /** Options the source role accepts besides the common ones of {@link JdbcOptions}. */
  default List<Option<?>> extraSourceOptions() {
    return List.of();
  }

  /** Options the sink role accepts besides the common ones of {@link JdbcOptions}. */
  default List<Option<?>> extraSinkOptions() {
    return List.of();
  }

  /**
   * The dialect as one source or sink instance uses it, given that instance's parsed options (read
   * the values of {@link #extraSourceOptions()} / {@link #extraSinkOptions()} here, e.g. how to
   * treat zero dates). Called once per instance; returns {@code this} by default.
   */
  default Dialect configure(Options options) {
    return this;
  }

  /**
   * Like {@link #configure(Options)}, with the instance's context: keep what the dialect needs of
   * it in the returned copy's final fields, above all {@link ConnectorContext#zone()} (the job's
   * time zone, the same one {@link Sessions#initSession} gets), instead of remembering it from a
   * call. The base calls this one; the default delegates to {@link #configure(Options)}.
   */
  default Dialect configure(Options options, ConnectorContext context) {
    return configure(options);
  }

  // ---- the parts ------------------------------------------------------------------------------

  /**
   * How the database is reached and each session set up. Default: {@link Sessions#STANDARD} (no URL
   * building).
   */
  default Sessions sessions() {
    return Sessions.STANDARD;
  }

  /** What the database's errors and write warnings mean. Default: {@link SqlErrors#STANDARD}. */
  default SqlErrors errors() {
    return SqlErrors.STANDARD;
  }

  /** How columns are read and values written. Default: {@link TypeMapping#STANDARD}. */
  default TypeMapping types() {
    return TypeMapping.STANDARD;
  }

  /** The SQL text the base reads and writes with. Default: {@link SqlBuilder#STANDARD}. */
  default SqlBuilder sql() {
    return SqlBuilder.STANDARD;
  }

  // ---- names ---------------------------------------------------------------------------------

  /**
   * Whether the driver's {@link DatabaseMetaData} calls what Ferry names a schema a catalog
   * (MySQL/MariaDB: a database). The base then passes the schema as the catalog argument.
   */
  default boolean schemasAreCatalogs() {
    return false;
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * Makes {@code statement} stream its result in chunks of about {@code fetchSize} rows instead of
   * loading it whole. Default: autocommit off (PostgreSQL and others only use a cursor inside a
   * transaction) and {@link Statement#setFetchSize}. MySQL Connector/J streams with {@code
   * Integer.MIN_VALUE} or {@code useCursorFetch}; MariaDB with a positive fetch size.
   */
  default void prepareStreaming(Connection connection, Statement statement, int fetchSize)
      throws SQLException {
    connection.setAutoCommit(false);
    statement.setFetchSize(fetchSize);
  }

  /**
   * The table's row count estimate for progress and for choosing how to split. Prefer the
   * database's statistics (cheap); empty when there are none. Default: {@code SELECT COUNT(*)},
   * exact but a full scan on some databases.
   */
  default OptionalLong rowEstimate(Connection connection, TableRef table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + sql().qualifiedName(table))) {
      return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
    }
  }

  /**
   * Whether {@link #snapshot} gives a consistent snapshot; false makes {@code snapshot: true} a
   * check problem.
   */
  default boolean supportsSnapshot() {
    return false;
  }

  /**
   * Opens one consistent snapshot for up to {@code readers} concurrent readers, taking connections
   * from {@code connections} (the source's pool, sessions already set up). Only called when {@link
   * #supportsSnapshot()}.
   */
  default ReadSnapshot snapshot(DataSource connections, int readers) throws SQLException {
    throw new UnsupportedOperationException(name() + " has no consistent snapshot");
  }

  // ---- writing -------------------------------------------------------------------------------

  /**
   * The dialect's bulk load path for one sink writer, on its {@code connection} (autocommit off),
   * or empty when it has none for this target (e.g. none for replace). Throw {@link
   * BulkUnavailableException} when it exists but cannot work here: the sink falls back to batched
   * statements and logs the reason at WARN. See {@link BulkWriter} for failures during loads.
   * Default: empty.
   */
  default Optional<BulkWriter> bulkWriter(Connection connection, BulkTarget target)
      throws SQLException {
    return Optional.empty();
  }

  // ---- catalog -------------------------------------------------------------------------------

  /**
   * The table's comment. Default: {@code REMARKS} of {@link DatabaseMetaData#getTables}, empty when
   * blank.
   */
  default Optional<String> tableComment(Connection connection, TableRef table) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String catalog = schemasAreCatalogs() ? table.schema() : null;
    String schema = schemasAreCatalogs() ? null : table.schema();
    try (ResultSet rs = meta.getTables(catalog, schema, table.name(), null)) {
      while (rs.next()) {
        if (table.name().equals(rs.getString("TABLE_NAME"))) {
          String remarks = rs.getString("REMARKS");
          return remarks == null || remarks.isBlank() ? Optional.empty() : Optional.of(remarks);
        }
      }
    }
    return Optional.empty();
  }
}
