package io.ferry.connector.postgresql.cdc;

import io.ferry.connector.jdbc.JdbcDrivers;
import io.ferry.connector.jdbc.JdbcOptions;
import io.ferry.connector.postgresql.cdc.PgCdcOptions.Startup;
import io.ferry.spi.Catalog;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The PostgreSQL change source: logical replication ({@code pgoutput}) read by Debezium's embedded
 * engine ({@link PgChangeReader}), with Debezium's offsets kept in Ferry's checkpoint ({@link
 * PgOffsetStore}, {@link PgLogOffsets}). Ferry takes the snapshot with its batch source, so
 * Debezium runs with {@code snapshot.mode=no_data}: {@link #currentPosition()} creates the slot and
 * the publication when missing and returns the server's current LSN, taken before the snapshot.
 */
public final class PgChangeSource implements ChangeSource {
  /** The slot is gone, or no longer holds the position: only a new snapshot recovers. */
  public static final ErrorCode POSITION_LOST =
      ErrorCode.external("postgresql.cdc.position-lost", false);

  /** What Ferry writes on a publication it created, so that {@link #drop()} drops only those. */
  static final String CREATED_BY_FERRY = "created by Ferry";

  private final Options options;
  private final ConnectorContext context;
  private final Function<Map<String, Object>, Catalog> catalogs;
  private List<Catalog.TableRef> tables;

  /**
   * @param catalogs creates the connector's JDBC catalog from raw options: captured tables get the
   *     same Ferry schema as the batch source reads
   */
  public PgChangeSource(
      Options options, ConnectorContext context, Function<Map<String, Object>, Catalog> catalogs) {
    this.options = options;
    this.context = context;
    this.catalogs = catalogs;
  }

  String host() {
    return options.get(PgCdcOptions.HOST);
  }

  int port() {
    Integer port = options.get(JdbcOptions.PORT);
    return port == null ? 5432 : port;
  }

  String database() {
    return options.get(PgCdcOptions.DATABASE);
  }

  String user() {
    String user = options.get(JdbcOptions.USER);
    return user == null ? "postgres" : user;
  }

  String password() {
    return options.get(JdbcOptions.PASSWORD);
  }

  String slot() {
    return options.get(PgCdcOptions.SLOT);
  }

  String publication() {
    return options.get(PgCdcOptions.PUBLICATION);
  }

  long heartbeatMillis() {
    return options.get(PgCdcOptions.HEARTBEAT_INTERVAL).toMillis();
  }

  ConnectorContext context() {
    return context;
  }

  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user());
    if (password() != null) {
      p.setProperty("password", password());
    }
    p.setProperty("ApplicationName", "ferry-cdc");
    p.setProperty("connectTimeout", "10");
    // The driver object itself: DriverManager knows only drivers of the application class path,
    // not those of this connector's own class loader in a distribution.
    String url = "jdbc:postgresql://" + host() + ":" + port() + "/" + database();
    return JdbcDrivers.connect(url, p);
  }

  /** A catalog of the connector's batch side for this source's server. */
  Catalog catalog() {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("host", host());
    raw.put("port", port());
    raw.put("database", database());
    raw.put("user", user());
    if (password() != null) {
      raw.put("password", password());
    }
    return catalogs.apply(raw);
  }

  /** A captured table's Ferry columns and key, exactly as the batch source reads them. */
  Schema schema(Catalog catalog, Catalog.TableRef table) {
    Catalog.TableInfo info = catalog.table(table);
    return info.schema().withKey(info.primaryKey());
  }

  @Override
  public List<OptionProblem> check() {
    List<OptionProblem> problems = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      String walLevel = scalar(s, "SHOW wal_level");
      if (!"logical".equals(walLevel)) {
        problems.add(
            new OptionProblem(
                "host",
                "the server's wal_level is "
                    + walLevel
                    + ", logical decoding needs wal_level = logical: set it in postgresql.conf"
                    + " (or ALTER SYSTEM SET wal_level = logical) and restart the server"
                    + " (on Amazon RDS: rds.logical_replication = 1 in the parameter group)"));
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT r.rolsuper OR r.rolreplication OR EXISTS (SELECT 1 FROM pg_roles g JOIN"
                  + " pg_auth_members m ON m.roleid = g.oid WHERE m.member = r.oid AND g.rolname ="
                  + " 'rds_replication') FROM pg_roles r WHERE r.rolname = current_user")) {
        if (rs.next() && !rs.getBoolean(1)) {
          problems.add(
              new OptionProblem(
                  "user",
                  "the role "
                      + user()
                      + " may not read replication slots: ALTER ROLE "
                      + user()
                      + " REPLICATION (on Amazon RDS: GRANT rds_replication TO "
                      + user()
                      + ")"));
        }
      }
      boolean slotExists = slotExists(c);
      if (!slotExists) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT current_setting('max_replication_slots')::int - (SELECT count(*) FROM"
                    + " pg_replication_slots), current_setting('max_replication_slots')::int")) {
          rs.next();
          if (rs.getInt(1) <= 0) {
            problems.add(
                new OptionProblem(
                    "slot",
                    "every replication slot is taken (max_replication_slots = "
                        + rs.getInt(2)
                        + "): drop an unused one (SELECT pg_drop_replication_slot(name)) or raise"
                        + " max_replication_slots and restart the server"));
          }
        }
      }
      List<Catalog.TableRef> resolved = resolveTables(c);
      if (resolved.isEmpty()) {
        problems.add(
            new OptionProblem("tables", "no table matches " + options.get(PgCdcOptions.TABLES)));
      }
      if (publicationExists(c)) {
        List<Catalog.TableRef> missing = new ArrayList<>(resolved);
        missing.removeAll(publishedTables(c));
        if (!missing.isEmpty() && !createdByFerry(c)) {
          problems.add(
              new OptionProblem(
                  "publication",
                  "the publication "
                      + publication()
                      + " does not include "
                      + missing
                      + ": ALTER PUBLICATION "
                      + publication()
                      + " ADD TABLE ..., or name another publication (Ferry creates a missing one)"));
        }
      } else {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT has_database_privilege(current_user, current_database(), 'CREATE')")) {
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
              problems.add(
                  new OptionProblem(
                      "publication",
                      "the publication "
                          + publication()
                          + " does not exist and "
                          + user()
                          + " may not create it: GRANT CREATE ON DATABASE "
                          + database()
                          + " TO "
                          + user()
                          + " (and own the captured tables), or create it: CREATE PUBLICATION "
                          + publication()
                          + " FOR TABLE ..."));
            }
          }
        }
      }
    } catch (SQLException e) {
      problems.add(new OptionProblem("host", "cannot check the server: " + e.getMessage()));
    }
    return problems;
  }

  private static String scalar(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  public synchronized List<Catalog.TableRef> tables() {
    if (tables == null) {
      try (Connection c = connect()) {
        tables = resolveTables(c);
      } catch (SQLException e) {
        throw new FerryException(
            ErrorCode.CONNECTION, "cannot list the tables: " + e.getMessage(), e);
      }
      if (tables.isEmpty()) {
        throw FerryException.option(
            ErrorCode.NOT_FOUND, "tables", "no table matches " + options.get(PgCdcOptions.TABLES));
      }
    }
    return tables;
  }

  private List<Catalog.TableRef> resolveTables(Connection c) throws SQLException {
    List<Catalog.TableRef> out = new ArrayList<>();
    List<String> all = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid ="
                    + " c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN"
                    + " ('pg_catalog', 'information_schema') ORDER BY 1, 2")) {
      while (rs.next()) {
        all.add(rs.getString(1) + "." + rs.getString(2));
      }
    }
    for (String entry : options.get(PgCdcOptions.TABLES)) {
      String qualified = entry.contains(".") ? entry : "public." + entry;
      Pattern p = Pattern.compile(glob(qualified));
      for (String name : all) {
        if (p.matcher(name).matches()) {
          int dot = name.indexOf('.');
          Catalog.TableRef ref =
              new Catalog.TableRef(name.substring(0, dot), name.substring(dot + 1));
          if (!out.contains(ref)) {
            out.add(ref);
          }
        }
      }
    }
    return out;
  }

  private static String glob(String text) {
    return java.util.Arrays.stream(text.split("\\*", -1))
        .map(Pattern::quote)
        .collect(java.util.stream.Collectors.joining(".*"));
  }

  boolean slotExists(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, slot());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private boolean publicationExists(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
      ps.setString(1, publication());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private List<Catalog.TableRef> publishedTables(Connection c) throws SQLException {
    List<Catalog.TableRef> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?")) {
      ps.setString(1, publication());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Catalog.TableRef(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return out;
  }

  private boolean createdByFerry(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT obj_description(oid, 'pg_publication') FROM pg_publication WHERE pubname = ?")) {
      ps.setString(1, publication());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && CREATED_BY_FERRY.equals(rs.getString(1));
      }
    }
  }

  /** Creates the publication (for the captured tables) and the slot when they are missing. */
  private void prepare(Connection c) throws SQLException {
    List<Catalog.TableRef> captured = tables();
    String list = String.join(", ", captured.stream().map(PgChangeSource::quoted).toList());
    try (Statement s = c.createStatement()) {
      if (!publicationExists(c)) {
        s.execute("CREATE PUBLICATION " + ident(publication()) + " FOR TABLE " + list);
        s.execute(
            "COMMENT ON PUBLICATION " + ident(publication()) + " IS '" + CREATED_BY_FERRY + "'");
      } else if (createdByFerry(c)) {
        List<Catalog.TableRef> published = publishedTables(c);
        if (!(published.containsAll(captured) && captured.containsAll(published))) {
          s.execute("ALTER PUBLICATION " + ident(publication()) + " SET TABLE " + list);
        }
      }
      if (!slotExists(c)) {
        try (PreparedStatement ps =
            c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
          ps.setString(1, slot());
          ps.execute();
        }
      }
    }
  }

  static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  static String quoted(Catalog.TableRef t) {
    return ident(t.schema()) + "." + ident(t.name());
  }

  /**
   * Creates the slot and the publication when missing, then the server's current LSN: every
   * transaction that commits after this call is in the slot from here on.
   */
  @Override
  public Position currentPosition() {
    try (Connection c = connect()) {
      c.setAutoCommit(true);
      prepare(c);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
        rs.next();
        return PgLogOffsets.ofLsn(rs.getLong(1));
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.CONNECTION,
          "cannot prepare the replication slot " + slot() + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public Position startPosition() {
    if (options.get(PgCdcOptions.STARTUP) == Startup.POSITION) {
      String lsn = options.get(PgCdcOptions.START_POSITION);
      if (lsn == null) {
        throw FerryException.option(
            ErrorCode.OPTION_MISSING,
            "startPosition",
            "startup: position needs startPosition (an LSN)");
      }
      long parsed;
      try {
        parsed = PgLogOffsets.parseLsn(lsn);
      } catch (IllegalArgumentException e) {
        throw FerryException.option(ErrorCode.OPTION_INVALID, "startPosition", e.getMessage());
      }
      try (Connection c = connect()) {
        prepare(c);
      } catch (SQLException e) {
        throw new FerryException(ErrorCode.CONNECTION, e.getMessage(), e);
      }
      return PgLogOffsets.ofLsn(parsed);
    }
    return currentPosition();
  }

  /**
   * Fails with {@link #POSITION_LOST} when the slot is gone or has already released WAL beyond
   * {@code after}.
   */
  void checkHeld(Position after) {
    long lsn = PgLogOffsets.lsn(after);
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT confirmed_flush_lsn - '0/0'::pg_lsn FROM pg_replication_slots WHERE"
                    + " slot_name = ?")) {
      ps.setString(1, slot());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new FerryException(
              POSITION_LOST,
              "the replication slot "
                  + slot()
                  + " does not exist (dropped?): the changes after "
                  + after
                  + " are gone. Recover with a new snapshot (start the run again with startup:"
                  + " initial); Ferry creates the slot again");
        }
        long confirmed = rs.getLong(1);
        if (lsn >= 0 && confirmed > lsn) {
          throw new FerryException(
              POSITION_LOST,
              "the replication slot "
                  + slot()
                  + " has released the log up to "
                  + PgLogOffsets.lsnText(confirmed)
                  + ", beyond the position "
                  + after
                  + ": changes in between are gone. Recover with a new snapshot (startup: initial)");
        }
      }
    } catch (SQLException e) {
      throw new FerryException(ErrorCode.CONNECTION, "cannot read the slot: " + e.getMessage(), e);
    }
  }

  /** Commit LSN, then the change's LSN ({@link PgLogOffsets#compare}). */
  @Override
  public java.util.Optional<java.util.Comparator<Position>> positionOrder() {
    return java.util.Optional.of(PgLogOffsets::compare);
  }

  /** False when the slot is gone or has released the log past the position. */
  @Override
  public boolean holds(Position position) {
    try {
      checkHeld(position);
      return true;
    } catch (FerryException e) {
      if (e.code().equals(POSITION_LOST)) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public ChangeReader open(Position after) {
    checkHeld(after);
    return new PgChangeReader(this, after);
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Drops the slot, and the publication when Ferry created it (the task that owns the source is
   * deleted): a reader still using the slot is ended first.
   */
  @Override
  public void drop() {
    try (Connection c = connect()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name ="
                  + " ? AND active_pid IS NOT NULL")) {
        ps.setString(1, slot());
        ps.execute();
      }
      dropSlot(c, 50); // a terminated reader releases its slot a moment later
      if (publicationExists(c) && createdByFerry(c)) {
        dropPublication(c);
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.CONNECTION, "cannot drop the slot " + slot() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The slot unless a reader uses it (its process id is named), then with {@code publication} the
   * publication when Ferry created it (one the user created, perhaps for other subscribers, is
   * kept).
   */
  @Override
  public List<Retained> dropRetained(boolean publication) {
    String where = " on " + database() + " at " + host() + ":" + port();
    List<Retained> out = new ArrayList<>();
    try (Connection c = connect()) {
      String slotName = "replication slot " + slot() + where;
      Integer reader = null;
      boolean exists = false;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
        ps.setString(1, slot());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            exists = true;
            int pid = rs.getInt(1);
            reader = rs.wasNull() ? null : pid;
          }
        }
      }
      if (!exists) {
        out.add(
            new Retained(
                slotName,
                Retained.Outcome.ABSENT,
                "no such slot on the server (dropped already, or the job never started)"));
      } else if (reader != null) {
        out.add(
            new Retained(
                slotName,
                Retained.Outcome.KEPT,
                "in use by server process "
                    + reader
                    + " (a running job?): stop the job, then drop it again"));
      } else {
        dropSlot(c, 0);
        out.add(new Retained(slotName, Retained.Outcome.DROPPED, null));
      }
      if (publication) {
        String pubName = "publication " + publication() + where;
        if (!publicationExists(c)) {
          out.add(new Retained(pubName, Retained.Outcome.ABSENT, "no such publication"));
        } else if (!createdByFerry(c)) {
          out.add(
              new Retained(
                  pubName,
                  Retained.Outcome.KEPT,
                  "Ferry did not create it (it may serve others): DROP PUBLICATION "
                      + ident(publication())
                      + " if nothing else uses it"));
        } else if (reader != null) {
          out.add(
              new Retained(pubName, Retained.Outcome.KEPT, "kept with the slot that is in use"));
        } else {
          dropPublication(c);
          out.add(new Retained(pubName, Retained.Outcome.DROPPED, null));
        }
      }
    } catch (SQLException e) {
      throw new FerryException(
          ErrorCode.CONNECTION,
          "cannot drop the slot " + slot() + where + ": " + e.getMessage(),
          e);
    }
    return out;
  }

  /** Drops the slot while it exists, waiting for a reader ending (55006) up to {@code attempts}. */
  private void dropSlot(Connection c, int attempts) throws SQLException {
    for (int attempt = 0; slotExists(c); attempt++) {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
        ps.setString(1, slot());
        ps.execute();
      } catch (SQLException e) {
        if (attempt >= attempts || !"55006".equals(e.getSQLState())) {
          throw e;
        }
        sleep();
      }
    }
  }

  private void dropPublication(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP PUBLICATION " + ident(publication()));
    }
  }
}
