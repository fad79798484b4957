package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.Option;
import io.ferry.spi.Options;
import java.sql.Connection;
import java.sql.DataTruncation;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * What one database family does differently; everything else is the shared JDBC base. A dialect
 * implements {@link #name()} and overrides only what differs: every other method has a default that
 * works for a standard-SQL database with a JDBC 4.2 driver (the {@link GenericDialect}).
 *
 * <p>Conventions:
 *
 * <ul>
 *   <li>SQL-building methods receive the table already qualified and quoted ({@code table}) and
 *       column names unquoted: quote them with {@link #quote}. Values are always bound as {@code ?}
 *       parameters, never written into the SQL.
 *   <li>Methods taking a {@link Connection} never close or commit it unless they say so.
 *   <li>A dialect instance is shared by every thread of a source or sink: keep it immutable.
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
   * time zone, the same one {@link #initSession} gets), instead of remembering it from a call. The
   * base calls this one; the default delegates to {@link #configure(Options)}.
   */
  default Dialect configure(Options options, ConnectorContext context) {
    return configure(options);
  }

  // ---- connections ---------------------------------------------------------------------------

  /**
   * Whether {@link #url} can build a URL from {@code host}/{@code port}/{@code database}. When
   * false, the connector offers no such options and {@code url} is required.
   */
  default boolean buildsUrls() {
    return false;
  }

  /**
   * The JDBC URL for a host, an optional port (the dialect's default port when empty) and an
   * optional database (null). Only called when {@link #buildsUrls()}.
   */
  default String url(String host, OptionalInt port, String database) {
    throw new UnsupportedOperationException(name() + " builds no JDBC URLs; give url");
  }

  /**
   * The JDBC URL naming several servers of one cluster (the {@code hosts} option), in the driver's
   * multi-host form, for an optional database (null); the dialect's README says how the driver
   * picks a server. Empty when the dialect has no such form (the default): {@code hosts} is then a
   * problem on {@code hosts} telling to give {@code url}. Only called when {@link #buildsUrls()}.
   *
   * @param servers at least one, in the order given; a server without a port gets the dialect's
   *     default port (build each part with {@link ServerAddress#toUrlPart(int)})
   */
  default Optional<String> clusterUrl(List<ServerAddress> servers, String database) {
    return Optional.empty();
  }

  /**
   * Driver properties for a {@link #clusterUrl}, e.g. PostgreSQL's {@code
   * targetServerType=primary}: applied over {@link #driverProperties()} and {@link
   * #connectTimeoutProperties}; the {@code properties} option overrides them. Default: none.
   */
  default Map<String, String> clusterProperties(List<ServerAddress> servers) {
    return Map.of();
  }

  /**
   * Driver properties the dialect needs for speed or correctness (e.g. {@code
   * rewriteBatchedStatements}); the {@code properties} option overrides them key by key.
   */
  default Map<String, String> driverProperties() {
    return Map.of();
  }

  /**
   * Driver properties that make the driver itself give up connecting after {@code connectTimeout}
   * (the {@code connectTimeout} option), so an unreachable host fails within about that time
   * instead of the driver's own default, e.g. MariaDB {@code connectTimeout} in milliseconds,
   * PostgreSQL {@code connectTimeout} in seconds. With {@code hosts}, {@code connectTimeout} is the
   * option's value divided by the number of servers (each server's share), so the driver tries the
   * whole list in time. Applied over {@link #driverProperties()}; the {@code properties} option
   * overrides both. The pool and the live check also stop waiting after {@code connectTimeout}
   * whatever the driver does. Default: none.
   */
  default Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
    return Map.of();
  }

  /**
   * Prepares every connection Ferry takes from its pool: at least set the session time zone to
   * {@code zone} where the database has one, so that zone-less values are read and written the same
   * whatever the JVM's or server's default. Called on each checkout; keep it to one round trip.
   */
  default void initSession(Connection connection, ZoneId zone) throws SQLException {}

  /**
   * Whether trying again, after a reconnect, can succeed: a lost connection, a deadlock, a
   * serialization failure. Default: {@link java.sql.SQLTransientException} and {@link
   * java.sql.SQLRecoverableException}, SQLState class {@code 08} (connection), {@code 40001}
   * (serialization), {@code 40P01} (PostgreSQL deadlock), vendor code 1213 (MySQL deadlock) and
   * 1205 (lock wait timeout). Never an authentication failure or an unavailable database (which
   * pools report as transient connection failures): retrying cannot fix the options.
   */
  default boolean isRetriable(SQLException e) {
    return SqlStates.isRetriable(e) && !isAuthenticationFailure(e) && !isDatabaseUnavailable(e);
  }

  /**
   * The reason to show for a failed connection attempt instead of the driver's message, when that
   * message misleads about what to fix; null keeps the driver's. Used for the live check's problems
   * and for connection failures while a run works. Default: null.
   */
  default String connectionFailureReason(SQLException e) {
    return null;
  }

  /** Whether the database refused the credentials: never retried. Default: SQLState class 28. */
  default boolean isAuthenticationFailure(SQLException e) {
    return SqlStates.hasClass(e, "28");
  }

  /**
   * Whether the server has no such database, or refuses the user access to it: a live check reports
   * it on {@code database} (or {@code url}). Default: SQLState {@code 3D000} (invalid catalog name,
   * PostgreSQL's "database does not exist").
   */
  default boolean isDatabaseUnavailable(SQLException e) {
    return SqlStates.hasState(e, "3D000");
  }

  /**
   * Whether a failed write is caused by the data of some row (a value too long, a constraint, a
   * conversion), so replaying the batch row by row isolates the bad rows. Default: SQLState class
   * {@code 22} (data exception) and {@code 23} (integrity constraint violation).
   */
  default boolean isDataError(SQLException e) {
    return SqlStates.hasClass(e, "22") || SqlStates.hasClass(e, "23");
  }

  /**
   * Whether a warning the database raised for a write says that a value was stored other than it
   * was sent: cut, rounded, or replaced by a zero date. The base looks at the warnings of every
   * batch and every replayed row; a batch with such a warning is rolled back and replayed row by
   * row, and each row with one is rolled back and goes to the dirty-data store with the warning as
   * the reason, naming the column {@link #faultyColumn} finds in it. Default: a {@link
   * java.sql.DataTruncation}.
   */
  default boolean changedValue(SQLWarning warning) {
    return warning instanceof DataTruncation;
  }

  /**
   * Whether the warnings of an executed JDBC batch of {@code mode}'s statement cover every row of
   * the batch. When false (a driver that pipelines the batch as separate statements keeps only the
   * last one's warnings), the base executes the batch's rows one statement at a time in one
   * transaction instead, so that no {@link #changedValue} warning goes unseen; that costs a round
   * trip per row. Default: true.
   *
   * @param mode never {@link WriteMode#TRUNCATE_INSERT} (its statements are inserts)
   */
  default boolean batchWarningsComplete(WriteMode mode) {
    return true;
  }

  /**
   * The target column a data error names, or null when the message names none. Default: the column
   * of {@code columns} named earliest in the message after a double quote, single quote or
   * backtick.
   */
  default String faultyColumn(SQLException e, List<String> columns) {
    return SqlStates.quotedColumn(e, columns);
  }

  // ---- names ---------------------------------------------------------------------------------

  /** An identifier quoted for SQL: standard double quotes, embedded quotes doubled. */
  default String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** The table's name for SQL: {@code schema.table}, each part quoted. */
  default String qualifiedName(TableRef table) {
    return table.schema() == null
        ? quote(table.name())
        : quote(table.schema()) + "." + quote(table.name());
  }

  /**
   * Whether the driver's {@link DatabaseMetaData} calls what Ferry names a schema a catalog
   * (MySQL/MariaDB: a database). The base then passes the schema as the catalog argument.
   */
  default boolean schemasAreCatalogs() {
    return false;
  }

  // ---- types ---------------------------------------------------------------------------------

  /** The Ferry type of a column's values. Default: {@link StandardTypes#ferryType}. */
  default DataType ferryType(JdbcColumn column) {
    return StandardTypes.ferryType(column);
  }

  /**
   * Reads a column as values of {@code type} (what {@link #ferryType} returned for it). Called once
   * per column and split. Default: {@link StandardTypes#reader}.
   */
  default ColumnReader reader(JdbcColumn column, DataType type) {
    return StandardTypes.reader(type);
  }

  /**
   * Binds non-null values of the incoming {@code type} to parameters for the {@code target} column.
   * Called once per column and writer. Default: {@link StandardTypes#binder}.
   */
  default ColumnBinder binder(DataType type, JdbcColumn target) {
    return StandardTypes.binder(type);
  }

  /**
   * The column type {@code createTable} uses for {@code type}. Default: standard SQL.
   *
   * @throws IllegalArgumentException when the database has no type for it (a decimal wider than it
   *     allows), saying what to do instead
   */
  default String nativeType(DataType type) {
    return StandardTypes.nativeType(type);
  }

  /**
   * The columns of a table as the dialect's own catalog describes them, given what {@link
   * DatabaseMetaData#getColumns} said ({@code columns}, in table order). Called wherever the base
   * describes a table (source, sink target, catalog), before {@link #ferryType}; return the list
   * with corrected entries (same names, same order), e.g. MariaDB's {@code json}, reported as
   * {@code LONGTEXT}, with the type name {@code json}. Keep it to one query per table. Default:
   * {@code columns}.
   */
  default List<JdbcColumn> refineColumns(
      Connection connection, TableRef table, List<JdbcColumn> columns) throws SQLException {
    return columns;
  }

  /** The native type the catalog shows, e.g. {@code varchar(32)}. */
  default String nativeTypeText(JdbcColumn column) {
    return StandardTypes.nativeTypeText(column);
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
   * Whether composite-key ranges are written as row values, {@code (a, b) > (?, ?)}, which the
   * database turns into an index range scan (MySQL 5.7+, MariaDB, PostgreSQL), instead of the
   * portable expansion {@code ((a > ?) OR (a = ? AND b > ?))}. Used by split reads and by a resumed
   * sink's DELETE. Default: false.
   */
  default boolean supportsRowValueComparison() {
    return false;
  }

  /**
   * A query returning the key columns of every row of {@code table} that passes {@code where},
   * ordered by them ascending: the planner streams it and keeps every k-th key as a split boundary,
   * so memory stays bounded. Override to read an index-only or sampled form; the order must stay.
   *
   * @param keyColumns the key columns, unquoted, in key order
   * @param where the user's filter, or null
   */
  default String sampleSql(String table, List<String> keyColumns, String where) {
    StringJoiner keys = new StringJoiner(", ");
    for (String k : keyColumns) {
      keys.add(quote(k));
    }
    return "SELECT "
        + keys
        + " FROM "
        + table
        + (where == null ? "" : " WHERE " + where)
        + " ORDER BY "
        + keys;
  }

  /**
   * The table's row count estimate for progress and for choosing how to split. Prefer the
   * database's statistics (cheap); empty when there are none. Default: {@code SELECT COUNT(*)},
   * exact but a full scan on some databases.
   */
  default OptionalLong rowEstimate(Connection connection, TableRef table) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + qualifiedName(table))) {
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

  /** {@code INSERT INTO table (c1, c2) VALUES (?, ?)}. */
  default String insertSql(String table, List<String> columns) {
    StringJoiner names = new StringJoiner(", ", "(", ")");
    StringJoiner params = new StringJoiner(", ", "(", ")");
    for (String c : columns) {
      names.add(quote(c));
      params.add("?");
    }
    return "INSERT INTO " + table + " " + names + " VALUES " + params;
  }

  /**
   * A statement that inserts a row or updates the row whose {@code keys} match, with one {@code ?}
   * per column of {@code columns}, bound in that order. Empty when the dialect has none: {@code
   * writeMode: upsert} is then a check problem. Default: empty.
   *
   * @param keys the conflict key columns, a subset of {@code columns}
   */
  default Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
    return Optional.empty();
  }

  /**
   * Like {@link #upsertSql} but the matching row is replaced as a whole (MySQL {@code REPLACE}).
   * Default: empty.
   */
  default Optional<String> replaceSql(String table, List<String> columns, List<String> keys) {
    return Optional.empty();
  }

  /** Empties the table for {@code truncate-insert}. Default: {@code TRUNCATE TABLE table}. */
  default String truncateSql(String table) {
    return "TRUNCATE TABLE " + table;
  }

  /**
   * {@code CREATE TABLE} for {@code createTable}: each column with {@link #nativeType}, NOT NULL
   * where the column is not nullable or is a key, and a primary key of {@code keys} when not empty.
   *
   * @throws IllegalArgumentException naming the column, when a column's type has no native type
   *     here (the sink reports it as a problem of {@code createTable})
   */
  default String createTableSql(String table, List<Column> columns, List<String> keys) {
    StringJoiner body = new StringJoiner(", ", "(", ")");
    for (Column c : columns) {
      boolean notNull = !c.nullable() || keys.contains(c.name());
      String type;
      try {
        type = nativeType(c.type());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("column " + c.name() + ": " + e.getMessage(), e);
      }
      body.add(quote(c.name()) + " " + type + (notNull ? " NOT NULL" : ""));
    }
    if (!keys.isEmpty()) {
      StringJoiner pk = new StringJoiner(", ", "PRIMARY KEY (", ")");
      keys.forEach(k -> pk.add(quote(k)));
      body.add(pk.toString());
    }
    return "CREATE TABLE " + table + " " + body;
  }

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
