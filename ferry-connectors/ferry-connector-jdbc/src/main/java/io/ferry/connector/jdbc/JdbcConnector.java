package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog;
import io.ferry.spi.Connector;
import io.ferry.spi.MiningLog;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.Objects;
import java.util.Optional;

/**
 * A database connector: the shared JDBC source, sink and catalog driven by one {@link Dialect}. A
 * dialect module subclasses it with a no-argument constructor, names it, and lists it in {@code
 * META-INF/services/io.ferry.spi.Connector}:
 *
 * <pre>{@code
 * public final class MySqlConnector extends JdbcConnector {
 *   public MySqlConnector() {
 *     super(new MySqlDialect());
 *   }
 *
 *   public String name() {
 *     return "mysql";
 *   }
 *
 *   public String description() {
 *     return "Reads and writes MySQL and MariaDB tables; bulk writes with LOAD DATA.";
 *   }
 * }
 * }</pre>
 *
 * <p>Roles: source ({@link JdbcOptions#sourceOptions}), sink ({@link JdbcOptions#sinkOptions}) and
 * catalog ({@link JdbcOptions#catalogOptions}), each with the dialect's extra options.
 */
public abstract class JdbcConnector implements Connector {
  private final Dialect dialect;

  protected JdbcConnector(Dialect dialect) {
    this.dialect = Objects.requireNonNull(dialect, "dialect is null");
  }

  /**
   * The dialect, unconfigured (see {@link Dialect#configure(io.ferry.spi.Options,
   * io.ferry.spi.ConnectorContext)}).
   */
  public final Dialect dialect() {
    return dialect;
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(
        Role.of(
            JdbcOptions.sourceOptions(dialect),
            (options, context) ->
                ShardedSource.open(dialect.configure(options, context), options, context)));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(
        Role.of(
            JdbcOptions.sinkOptions(dialect),
            (options, context) ->
                new JdbcSink(dialect.configure(options, context), options, context)));
  }

  /**
   * A mining-log store in a table of this connector's database ({@link JdbcMiningLog}), for
   * connectors whose dialect it was written for (PostgreSQL, MySQL/MariaDB): they return it from
   * {@link #miningLog()}.
   */
  protected final Role<MiningLog> miningLogRole() {
    return Role.of(
        JdbcMiningLog.options(dialect),
        (options, context) ->
            new JdbcMiningLog(dialect.configure(options, context), options, context));
  }

  @Override
  public Optional<Role<Catalog>> catalog() {
    return Optional.of(
        Role.of(
            JdbcOptions.catalogOptions(dialect),
            (options, context) ->
                new JdbcCatalog(dialect.configure(options, context), options, context)));
  }
}
