package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.JdbcConnector;
import io.ferry.connector.postgresql.cdc.PgCdcOptions;
import io.ferry.connector.postgresql.cdc.PgChangeSource;
import io.ferry.spi.Catalog;
import io.ferry.spi.ChangeSource;
import java.util.Optional;

/**
 * The {@code postgresql} connector: the shared JDBC source, sink and catalog with {@link
 * PgDialect}, and the change source (logical replication through Debezium, {@link PgChangeSource}).
 */
public final class PostgresConnector extends JdbcConnector {
  public PostgresConnector() {
    super(new PgDialect());
  }

  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String description() {
    return "Reads and writes PostgreSQL tables: key-range splits on streaming cursors, a shared"
        + " exported snapshot, COPY bulk writes and staging-table upserts.";
  }

  /** Logical replication ({@code pgoutput}) read by Debezium's embedded engine. */
  @Override
  public Optional<Role<ChangeSource>> changeSource() {
    return Optional.of(
        Role.of(
            PgCdcOptions.options(),
            (options, context) ->
                new PgChangeSource(
                    options,
                    context,
                    raw -> {
                      Role<Catalog> catalog = catalog().orElseThrow();
                      return catalog.create(catalog.options().parse(raw), context);
                    })));
  }

  /** A shared-mining log in a table of this database (docs/shared-mining.md). */
  @Override
  public Optional<Role<io.ferry.spi.MiningLog>> miningLog() {
    return Optional.of(miningLogRole());
  }
}
