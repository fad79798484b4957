package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.BulkUnavailableException;
import io.ferry.connector.jdbc.BulkWriter;
import io.ferry.connector.jdbc.ComposedDialect;
import io.ferry.connector.jdbc.Dialect;
import io.ferry.connector.jdbc.ReadSnapshot;
import io.ferry.connector.jdbc.WriteMode;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.Option;
import io.ferry.spi.Options;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * MySQL 5.7/8.x and MariaDB 10.x+ through MariaDB Connector/J 3: streaming reads with a positive
 * fetch size over server-side prepared statements (the binary protocol keeps FLOAT exact), {@code
 * LOAD DATA LOCAL INFILE} from an in-memory stream for every write mode, consistent-snapshot
 * transactions opened together for {@code snapshot: true}, and the type decisions of {@link
 * MySqlType}.
 */
final class MySqlDialect extends ComposedDialect {

  /** What a zero date ({@code 0000-00-00}, also with a zero month or day) becomes when read. */
  enum ZeroDates {
    /** NULL. */
    NULL,
    /** The row goes to the dirty-data store naming the column and value. */
    ERROR
  }

  static final Option<Boolean> TINY_INT1_IS_BOOLEAN =
      Option.bool("tinyInt1IsBoolean")
          .defaultValue(true)
          .description(
              "Read tinyint(1) columns as boolean (the MySQL idiom for flags); false reads them as"
                  + " int8. A tinyint(1) holding anything but 0 or 1 is then a dirty row.")
          .build();

  static final Option<ZeroDates> ZERO_DATES =
      Option.enumeration("zeroDates", ZeroDates.class)
          .defaultValue(ZeroDates.ERROR)
          .description(
              "What a zero date or datetime ('0000-00-00', '2024-00-10 00:00:00') becomes:"
                  + " 'error' sends the row to the dirty-data store naming the column and value;"
                  + " 'null' reads it as NULL.")
          .build();

  private final boolean tinyInt1IsBoolean;
  private final ZeroDates zeroDates;
  private final MySqlSessions sessions;

  MySqlDialect() {
    this(true, ZeroDates.ERROR, new MySqlSessions(ZoneOffset.UTC));
  }

  private MySqlDialect(boolean tinyInt1IsBoolean, ZeroDates zeroDates, MySqlSessions sessions) {
    super(
        sessions,
        MySqlErrors.INSTANCE,
        new MySqlTypeMapping(tinyInt1IsBoolean, zeroDates, sessions),
        MySqlSql.INSTANCE);
    this.tinyInt1IsBoolean = tinyInt1IsBoolean;
    this.zeroDates = zeroDates;
    this.sessions = sessions;
  }

  @Override
  public String name() {
    return "mysql";
  }

  // ---- options ------------------------------------------------------------------------------

  @Override
  public List<Option<?>> extraSourceOptions() {
    return List.of(TINY_INT1_IS_BOOLEAN, ZERO_DATES);
  }

  @Override
  public Dialect configure(Options options) {
    return configure(options, null);
  }

  /** The source option values (defaults for sink and catalog) and the job's zone. */
  @Override
  public Dialect configure(Options options, ConnectorContext context) {
    boolean tinyInt1 =
        options.has(TINY_INT1_IS_BOOLEAN) ? options.get(TINY_INT1_IS_BOOLEAN) : tinyInt1IsBoolean;
    ZeroDates zero = options.has(ZERO_DATES) ? options.get(ZERO_DATES) : zeroDates;
    return new MySqlDialect(
        tinyInt1, zero, new MySqlSessions(context == null ? sessions.zone() : context.zone()));
  }

  // ---- names --------------------------------------------------------------------------------

  @Override
  public boolean schemasAreCatalogs() {
    return true;
  }

  // ---- reading ------------------------------------------------------------------------------

  /**
   * MariaDB Connector/J 3 streams whenever the fetch size is positive: rows arrive in packets as
   * the reader takes them, and memory holds about one fetch's worth. Autocommit is left alone: a
   * streaming SELECT needs no transaction (and a snapshot connection already has one).
   */
  @Override
  public void prepareStreaming(Connection connection, Statement statement, int fetchSize)
      throws SQLException {
    statement.setFetchSize(Math.max(1, fetchSize));
  }

  /** {@code information_schema.TABLES.TABLE_ROWS}: InnoDB's estimate, free to read. */
  @Override
  public OptionalLong rowEstimate(Connection connection, TableRef table) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?,"
                + " DATABASE()) AND TABLE_NAME = ?")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long rows = rs.getLong(1);
          return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(rows);
        }
      }
    }
    return OptionalLong.empty();
  }

  @Override
  public boolean supportsSnapshot() {
    return true;
  }

  @Override
  public ReadSnapshot snapshot(DataSource connections, int readers) throws SQLException {
    return MySqlSnapshot.open(connections, readers);
  }

  // ---- writing ------------------------------------------------------------------------------

  @Override
  public Optional<BulkWriter> bulkWriter(Connection connection, BulkTarget target)
      throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@GLOBAL.local_infile")) {
      if (rs.next() && !rs.getBoolean(1)) {
        throw new BulkUnavailableException(
            "the server has local_infile OFF, so LOAD DATA LOCAL INFILE is refused; writing with"
                + " batched INSERT statements instead (SET GLOBAL local_infile = 1 enables the"
                + " bulk path)");
      }
    }
    WriteMode mode = target.writeMode();
    return Optional.of(new LoadDataWriter(sessions, connection, target, mode));
  }
}
