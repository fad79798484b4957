package io.ferry.connector.postgresql.cdc;

import io.ferry.connector.jdbc.JdbcOptions;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import java.time.Duration;
import java.util.List;

/** The options of the PostgreSQL change source (README: change data capture). */
public final class PgCdcOptions {
  private PgCdcOptions() {}

  /** Where a run without a checkpoint and without a snapshot starts. */
  public enum Startup {
    /**
     * The engine copies the captured tables first (the snapshot), then applies the changes
     * committed after the position it took before the copy.
     */
    INITIAL,
    /** Changes committed from now on. */
    LATEST,
    /** From the LSN in {@code startPosition}. */
    POSITION
  }

  public static final Option<String> HOST =
      Option.string("host")
          .description("The PostgreSQL server's host name or address.")
          .required()
          .endpoint()
          .build();

  public static final Option<String> DATABASE =
      Option.string("database")
          .description("The database whose tables are captured.")
          .required()
          .build();

  public static final Option<List<String>> TABLES =
      Option.list("tables")
          .description(
              "Tables to capture: schema.table names, or patterns where * matches any part of a"
                  + " name (public.order_*); a name without a schema is in public.")
          .required()
          .build();

  public static final Option<String> SLOT =
      Option.string("slot")
          .description(
              "The logical replication slot (pgoutput) Ferry reads; created on first start, kept"
                  + " while the task exists, dropped with it.")
          .defaultValue("ferry")
          .build();

  public static final Option<String> PUBLICATION =
      Option.string("publication")
          .description(
              "The publication of the captured tables; created by Ferry when missing (and then"
                  + " dropped with the task), or an existing one that includes them.")
          .defaultValue("ferry")
          .build();

  public static final Option<Startup> STARTUP =
      Option.enumeration("startup", Startup.class)
          .description(
              "Where reading the log starts without a checkpoint: initial (a snapshot of the"
                  + " captured tables, then the changes after it), latest (changes from now on),"
                  + " position (after the LSN in startPosition).")
          .defaultValue(Startup.INITIAL)
          .build();

  public static final Option<String> START_POSITION =
      Option.string("startPosition")
          .description("The LSN to start after with startup: position, e.g. 16/B374D848.")
          .build();

  public static final Option<Duration> HEARTBEAT_INTERVAL =
      Option.duration("heartbeatInterval")
          .description(
              "How often the reader writes a heartbeat into the log, so that an idle or filtered"
                  + " slot still advances and the server can release WAL.")
          .defaultValue(Duration.ofSeconds(10))
          .build();

  /** The change source's options: connection (host, port, database, user, password) and capture. */
  public static OptionSet options() {
    return OptionSet.of(
        HOST,
        JdbcOptions.PORT,
        DATABASE,
        JdbcOptions.USER,
        JdbcOptions.PASSWORD,
        TABLES,
        SLOT,
        PUBLICATION,
        STARTUP,
        START_POSITION,
        HEARTBEAT_INTERVAL);
  }
}
