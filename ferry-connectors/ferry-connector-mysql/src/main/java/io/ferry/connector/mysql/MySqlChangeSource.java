package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.Dialect;
import io.ferry.connector.jdbc.JdbcDrivers;
import io.ferry.connector.jdbc.JdbcOptions;
import io.ferry.connector.jdbc.ServerAddress;
import io.ferry.connector.mysql.MySqlDialect.ZeroDates;
import io.ferry.spi.Catalog;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCategory;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Option;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MySQL/MariaDB binlog change source: rows read from the binary log with {@code
 * io.debezium:mysql-binlog-connector-java}, their values converted to the Ferry values the batch
 * source reads for the same columns. Positions are {@link BinlogPosition}s. Schema decisions: see
 * docs/adr/0005-binlog-schema.md; options, prerequisites and limits: the module's README.
 */
final class MySqlChangeSource implements ChangeSource {
  private static final Logger LOG = LoggerFactory.getLogger(MySqlChangeSource.class);

  /** The binlog no longer holds the position (purged, RESET MASTER): only a new snapshot helps. */
  /** A statement of the change source (status, grants, settings) the server refused. */
  static final ErrorCode SQL = ErrorCode.external("mysql.sql", false);

  static final ErrorCode BINLOG_GONE =
      new ErrorCode("mysql.binlog-gone", ErrorCategory.EXTERNAL, false);

  /** The binlog connection broke: reopening at the last position continues. */
  static final ErrorCode BINLOG_CONNECTION = ErrorCode.external("mysql.binlog-connection", true);

  /** The server is not set up for change capture (binlog off, wrong format, missing grant). */
  static final ErrorCode NOT_READY = ErrorCode.user("mysql.cdc-prerequisite");

  enum Startup {
    /** A snapshot, then the log from the position taken before it (the engine's part). */
    INITIAL,
    /** Changes committed from now on. */
    LATEST,
    /** From {@code binlogFile}/{@code binlogPosition}, or from {@code gtid} (MariaDB). */
    POSITION,
    /** From the first change committed at or after {@code timestamp}. */
    TIMESTAMP
  }

  static final Option<List<String>> TABLES =
      Option.list("tables")
          .description(
              "The tables to capture, each table (in database) or database.table. With include,"
                  + " both are captured.")
          .build();

  static final Option<List<String>> INCLUDE =
      Option.list("include")
          .description(
              "Patterns of database.table names to capture, * for any characters, e.g."
                  + " shop.order_*; tables created later that match are captured too.")
          .build();

  static final Option<List<String>> EXCLUDE =
      Option.list("exclude")
          .description("Patterns of database.table names not to capture, e.g. shop.tmp_*.")
          .build();

  static final Option<Startup> STARTUP =
      Option.enumeration("startup", Startup.class)
          .defaultValue(Startup.INITIAL)
          .description(
              "Where reading the log starts without a checkpoint: initial (a snapshot, then the"
                  + " log), latest (changes from now on), position (binlogFile and"
                  + " binlogPosition, or gtid), timestamp (the first change at or after"
                  + " timestamp).")
          .build();

  static final Option<String> BINLOG_FILE =
      Option.string("binlogFile")
          .description("startup: position: the binlog file, e.g. mysql-bin.000003.")
          .build();

  static final Option<Long> BINLOG_POSITION =
      Option.longInteger("binlogPosition")
          .description(
              "startup: position: the byte offset in binlogFile where a transaction starts"
                  + " (SHOW MASTER STATUS's Position), default 4.")
          .build();

  static final Option<String> GTID =
      Option.string("gtid")
          .description(
              "startup: position on MariaDB: a GTID position such as 0-1-42 (gtid_binlog_pos);"
                  + " reading starts after that transaction.")
          .build();

  static final Option<String> TIMESTAMP =
      Option.string("timestamp")
          .description(
              "startup: timestamp: an instant (2026-05-01T08:00:00Z) or a local date-time in the"
                  + " job's zone; the first change committed at or after it is read first.")
          .build();

  static final Option<Long> SERVER_ID =
      Option.longInteger("serverId")
          .description(
              "The replica server id Ferry's binlog connection uses: unique among the server's"
                  + " replicas and change readers, different from the server's own server_id."
                  + " Default: derived from the job name.")
          .build();

  static OptionSet options(Dialect dialect) {
    List<Option<?>> options = JdbcOptions.connectionOptions(dialect);
    options.addAll(dialect.extraSourceOptions());
    options.addAll(
        List.of(
            TABLES,
            INCLUDE,
            EXCLUDE,
            STARTUP,
            BINLOG_FILE,
            BINLOG_POSITION,
            GTID,
            TIMESTAMP,
            SERVER_ID));
    return OptionSet.of(options);
  }

  private final Options options;
  private final ConnectorContext context;
  private final Catalog catalog;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final long serverId;
  private final BinlogValues values;
  private final List<Pattern> include;
  private final List<Pattern> exclude;
  private final List<TableRef> listed;

  MySqlChangeSource(Catalog catalog, Options options, ConnectorContext context) {
    this.options = options;
    this.context = context;
    this.catalog = catalog;
    String url = options.get(JdbcOptions.URL);
    if (options.has(JdbcOptions.HOSTS)) {
      throw FerryException.option(
          ErrorCode.OPTION_INVALID,
          "hosts",
          "change capture reads one server's binlog: give host (the primary) instead of hosts");
    }
    if (url != null) {
      // jdbc:mariadb://host:port/db?...
      String rest = url.replaceFirst("^jdbc:[a-z]+:(//)?", "");
      int slash = rest.indexOf('/');
      ServerAddress a = ServerAddress.parse(slash < 0 ? rest : rest.substring(0, slash));
      this.host = a.host();
      this.port = a.port().orElse(MySqlSessions.DEFAULT_PORT);
      String db = slash < 0 ? "" : rest.substring(slash + 1).replaceFirst("\\?.*$", "");
      this.database = db.isEmpty() ? null : db;
    } else {
      this.host = options.get(JdbcOptions.HOST);
      this.port =
          options.has(JdbcOptions.PORT)
              ? options.get(JdbcOptions.PORT)
              : MySqlSessions.DEFAULT_PORT;
      this.database = options.get(JdbcOptions.DATABASE);
    }
    this.user = options.get(JdbcOptions.USER);
    this.password = options.get(JdbcOptions.PASSWORD);
    this.serverId =
        options.has(SERVER_ID)
            ? options.get(SERVER_ID)
            : 100_000 + Math.floorMod((long) context.jobName().hashCode(), 1_000_000_000L);
    ZeroDates zeroDates = options.get(MySqlDialect.ZERO_DATES);
    this.values = new BinlogValues(zeroDates, context.zone());
    this.include = patterns(options.get(INCLUDE));
    this.exclude = patterns(options.get(EXCLUDE));
    List<TableRef> refs = new ArrayList<>();
    for (String t : options.get(TABLES) == null ? List.<String>of() : options.get(TABLES)) {
      int dot = t.indexOf('.');
      refs.add(
          dot < 0
              ? new TableRef(database, t)
              : new TableRef(t.substring(0, dot), t.substring(dot + 1)));
    }
    this.listed = List.copyOf(refs);
    if (listed.isEmpty() && include.isEmpty()) {
      throw FerryException.option(
          ErrorCode.OPTION_MISSING, "tables", "name the tables to capture: tables or include");
    }
    for (TableRef r : listed) {
      if (r.schema() == null) {
        throw FerryException.option(
            ErrorCode.OPTION_INVALID,
            "tables",
            "'" + r.name() + "' names no database: write database.table, or set database");
      }
    }
  }

  private static List<Pattern> patterns(List<String> globs) {
    List<Pattern> out = new ArrayList<>();
    for (String g : globs == null ? List.<String>of() : globs) {
      StringBuilder re = new StringBuilder();
      for (char c : g.toCharArray()) {
        re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
      }
      out.add(Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE));
    }
    return out;
  }

  /** Whether the log's changes of {@code db.table} are captured. */
  boolean captures(String db, String table) {
    String full = db + "." + table;
    for (Pattern p : exclude) {
      if (p.matcher(full).matches()) {
        return false;
      }
    }
    for (TableRef r : listed) {
      if (r.schema().equalsIgnoreCase(db) && r.name().equals(table)) {
        return true;
      }
    }
    for (Pattern p : include) {
      if (p.matcher(full).matches()) {
        return true;
      }
    }
    return false;
  }

  // ---- connections ----------------------------------------------------------------------------

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  String user() {
    return user == null ? "" : user;
  }

  String password() {
    return password == null ? "" : password;
  }

  long serverId() {
    return serverId;
  }

  ConnectorContext context() {
    return context;
  }

  BinlogValues values() {
    return values;
  }

  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user());
    p.setProperty("password", password());
    p.setProperty(
        "connectTimeout", String.valueOf(options.get(JdbcOptions.CONNECT_TIMEOUT).toMillis()));
    // The driver object itself: DriverManager knows only drivers of the application class path,
    // not those of this connector's own class loader in a distribution.
    String url = "jdbc:mariadb://" + host + ":" + port + "/";
    return JdbcDrivers.connect(url, p);
  }

  private String where() {
    return host + ":" + port;
  }

  private FerryException sqlError(String action, SQLException e) {
    boolean lost = e.getSQLState() != null && e.getSQLState().startsWith("08");
    return new FerryException(
        lost ? BINLOG_CONNECTION : SQL,
        action + " on " + where() + " failed: " + e.getMessage(),
        e);
  }

  // ---- check ----------------------------------------------------------------------------------

  @Override
  public List<OptionProblem> check() {
    List<OptionProblem> problems = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      Map<String, String> vars = new LinkedHashMap<>();
      try (ResultSet rs =
          s.executeQuery(
              "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format',"
                  + " 'binlog_row_image', 'binlog_row_metadata', 'server_id', 'version',"
                  + " 'binlog_transaction_compression', 'log_bin_compress')")) {
        while (rs.next()) {
          vars.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
        }
      }
      if (!"ON".equalsIgnoreCase(vars.get("log_bin")) && !"1".equals(vars.get("log_bin"))) {
        problems.add(
            new OptionProblem(
                "log_bin",
                "the binary log is off on "
                    + where()
                    + "; change capture reads it: start the server with log_bin (e.g."
                    + " log-bin=mysql-bin in [mysqld] of my.cnf) and restart it"));
      }
      if (!"ROW".equalsIgnoreCase(vars.get("binlog_format"))) {
        problems.add(
            new OptionProblem(
                "binlog_format",
                "is "
                    + vars.get("binlog_format")
                    + "; change capture needs ROW: set binlog_format=ROW in my.cnf ([mysqld]) and"
                    + " SET GLOBAL binlog_format = 'ROW' (sessions started before keep theirs)"));
      }
      if (!"FULL".equalsIgnoreCase(vars.get("binlog_row_image"))) {
        problems.add(
            new OptionProblem(
                "binlog_row_image",
                "is "
                    + vars.get("binlog_row_image")
                    + "; change capture needs FULL (whole rows before and after a change): set"
                    + " binlog_row_image=FULL in my.cnf and SET GLOBAL binlog_row_image = 'FULL'"));
      }
      String metadata = vars.get("binlog_row_metadata");
      if (metadata == null) {
        problems.add(
            new OptionProblem(
                "binlog_row_metadata",
                "the server ("
                    + vars.get("version")
                    + ") has no binlog_row_metadata; change capture needs MariaDB 10.5+ or MySQL"
                    + " 8.0.1+ with binlog_row_metadata=FULL"));
      } else if (!"FULL".equalsIgnoreCase(metadata)) {
        problems.add(
            new OptionProblem(
                "binlog_row_metadata",
                "is "
                    + metadata
                    + "; change capture needs FULL (row events carry column names): set"
                    + " binlog_row_metadata=FULL in my.cnf and SET GLOBAL binlog_row_metadata ="
                    + " 'FULL'"));
      }
      if ("ON".equalsIgnoreCase(vars.get("binlog_transaction_compression"))) {
        problems.add(
            new OptionProblem(
                "binlog_transaction_compression",
                "is ON; Ferry cannot read compressed transactions: SET GLOBAL"
                    + " binlog_transaction_compression = OFF (and in my.cnf)"));
      }
      if ("ON".equalsIgnoreCase(vars.get("log_bin_compress"))) {
        problems.add(
            new OptionProblem(
                "log_bin_compress",
                "is ON; Ferry cannot read MariaDB's compressed binlog events: SET GLOBAL"
                    + " log_bin_compress = OFF (and in my.cnf)"));
      }
      grants(s, problems);
      long own = vars.get("server_id") == null ? 0 : Long.parseLong(vars.get("server_id"));
      if (own == serverId) {
        problems.add(
            new OptionProblem(
                "serverId",
                serverId + " is the server's own server_id; give serverId another number"));
      }
      try (ResultSet rs = s.executeQuery("SHOW SLAVE HOSTS")) {
        while (rs.next()) {
          if (rs.getLong("Server_id") == serverId) {
            problems.add(
                new OptionProblem(
                    "serverId",
                    "a replica or change reader with server id "
                        + serverId
                        + " is already connected to "
                        + where()
                        + "; each needs its own: give serverId another number"));
          }
        }
      } catch (SQLException e) {
        // Without REPLICATION MASTER ADMIN the list cannot be read: the grant check says what.
      }
      for (TableRef t : listed) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME ="
                    + " ?")) {
          ps.setString(1, t.schema());
          ps.setString(2, t.name());
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              problems.add(new OptionProblem("tables", "no table " + t + " on " + where()));
            }
          }
        }
      }
    } catch (SQLException e) {
      problems.add(
          new OptionProblem(
              host == null ? "url" : "host",
              "cannot connect to " + where() + ": " + e.getMessage()));
    }
    return problems;
  }

  private static void grants(Statement s, List<OptionProblem> problems) throws SQLException {
    StringBuilder all = new StringBuilder();
    try (ResultSet rs = s.executeQuery("SHOW GRANTS")) {
      while (rs.next()) {
        String g = rs.getString(1).toUpperCase(Locale.ROOT);
        if (g.contains(" ON *.*")) {
          all.append(g).append('\n');
        }
      }
    }
    String g = all.toString();
    boolean everything = g.contains("ALL PRIVILEGES ON *.*");
    if (!everything && !g.contains("REPLICATION SLAVE") && !g.contains("REPLICATION REPLICA")) {
      problems.add(
          new OptionProblem(
              "user",
              "lacks REPLICATION SLAVE, needed to read the binlog: GRANT REPLICATION SLAVE ON *.*"
                  + " TO the user"));
    }
    if (!everything
        && !g.contains("REPLICATION CLIENT")
        && !g.contains("BINLOG MONITOR")
        && !g.contains("SUPER")) {
      problems.add(
          new OptionProblem(
              "user",
              "lacks REPLICATION CLIENT (MariaDB 10.5+: BINLOG MONITOR), needed for SHOW MASTER"
                  + " STATUS and SHOW BINARY LOGS: GRANT REPLICATION CLIENT ON *.* TO the user"));
    }
  }

  // ---- tables ---------------------------------------------------------------------------------

  @Override
  public List<TableRef> tables() {
    List<TableRef> out = new ArrayList<>(listed);
    if (!include.isEmpty()) {
      for (String schema : catalog.schemas()) {
        if (SYSTEM_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT))) {
          continue;
        }
        for (TableRef t : catalog.tables(schema)) {
          if (captures(schema, t.name()) && !out.contains(t)) {
            out.add(new TableRef(schema, t.name()));
          }
        }
      }
    }
    return out;
  }

  private static final Set<String> SYSTEM_SCHEMAS =
      Set.of("mysql", "information_schema", "performance_schema", "sys");

  /**
   * The table as it is now: the Ferry types of the connector's catalog (the batch source's), the
   * rest from information_schema. Null when it does not exist.
   */
  BinlogValues.Table describe(TableRef ref) {
    Catalog.TableInfo info;
    try {
      info = catalog.table(ref);
    } catch (FerryException e) {
      if (e.code().equals(ErrorCode.NOT_FOUND)) {
        return null;
      }
      throw e;
    }
    Map<String, String[]> extra = new LinkedHashMap<>();
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME,"
                    + " CHARACTER_OCTET_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
                    + " ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
      ps.setString(1, ref.schema());
      ps.setString(2, ref.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          extra.put(
              rs.getString(1),
              new String[] {rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)});
        }
      }
    } catch (SQLException e) {
      throw sqlError("describing " + ref, e);
    }
    List<BinlogValues.ColumnDef> defs = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    for (Catalog.ColumnInfo ci : info.columns()) {
      String[] x = extra.get(ci.name());
      if (x == null) {
        throw new FerryException(
            ErrorCode.INTERNAL, "column " + ci.name() + " of " + ref + " vanished while described");
      }
      String dataType = x[0].toLowerCase(Locale.ROOT);
      String columnType = x[1];
      int octets = dataType.equals("binary") && x[3] != null ? (int) Long.parseLong(x[3]) : 0;
      defs.add(
          new BinlogValues.ColumnDef(
              ci.name(),
              ci.type(),
              dataType,
              columnType.toLowerCase(Locale.ROOT),
              BinlogValues.charset(x[2]),
              BinlogValues.members(columnType),
              octets));
      columns.add(new Column(ci.name(), ci.type(), ci.nullable()));
    }
    Schema schema = Schema.of(columns).withKey(info.primaryKey());
    return new BinlogValues.Table(
        new TableRef(info.ref().schema() == null ? ref.schema() : info.ref().schema(), ref.name()),
        schema,
        defs);
  }

  // ---- positions ------------------------------------------------------------------------------

  @Override
  public Position currentPosition() {
    return current().toPosition();
  }

  BinlogPosition current() {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      String file;
      long pos;
      try (ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
        if (!rs.next()) {
          throw new FerryException(
              NOT_READY,
              "SHOW MASTER STATUS on "
                  + where()
                  + " returned nothing: the binary log is off (log_bin); start the server with"
                  + " log-bin and binlog_format=ROW");
        }
        file = rs.getString(1);
        pos = rs.getLong(2);
      }
      String gtid = null;
      try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
        if (rs.next()) {
          gtid = rs.getString(1);
        }
      } catch (SQLException e) {
        // MySQL: no gtid_binlog_pos; file and offset are the position.
      }
      return new BinlogPosition(file, pos, 0, gtid == null || gtid.isEmpty() ? null : gtid, 0);
    } catch (SQLException e) {
      throw sqlError("SHOW MASTER STATUS", e);
    }
  }

  @Override
  public Position startPosition() {
    Startup startup = options.get(STARTUP);
    return switch (startup) {
      case INITIAL, LATEST -> currentPosition();
      case POSITION -> {
        if (options.has(BINLOG_FILE)) {
          long pos = options.has(BINLOG_POSITION) ? options.get(BINLOG_POSITION) : 4;
          yield BinlogPosition.at(options.get(BINLOG_FILE), pos, 0).toPosition();
        }
        if (options.has(GTID)) {
          yield BinlogPosition.ofGtid(options.get(GTID)).toPosition();
        }
        throw FerryException.option(
            ErrorCode.OPTION_MISSING,
            "binlogFile",
            "startup: position needs binlogFile (and binlogPosition) or gtid");
      }
      case TIMESTAMP -> {
        if (!options.has(TIMESTAMP)) {
          throw FerryException.option(
              ErrorCode.OPTION_MISSING, "timestamp", "startup: timestamp needs timestamp");
        }
        yield new BinlogTimeScan(this)
            .firstAtOrAfter(instant(options.get(TIMESTAMP), context.zone()))
            .toPosition();
      }
    };
  }

  static Instant instant(String text, ZoneId zone) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text.replace(' ', 'T')).atZone(zone).toInstant();
      } catch (DateTimeParseException e2) {
        throw FerryException.option(
            ErrorCode.OPTION_INVALID,
            "timestamp",
            "'"
                + text
                + "' is not a date-time such as 2026-05-01T08:00:00Z or 2026-05-01 08:00:00");
      }
    }
  }

  /**
   * The binlog files the server has, oldest first, with their sizes. A position in a file not
   * listed, or beyond its size, is gone.
   */
  Map<String, Long> binaryLogs() {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
      Map<String, Long> files = new LinkedHashMap<>();
      while (rs.next()) {
        files.put(rs.getString(1), rs.getLong(2));
      }
      return files;
    } catch (SQLException e) {
      throw sqlError("SHOW BINARY LOGS", e);
    }
  }

  FerryException gone(BinlogPosition at, String why) {
    Map<String, Long> files;
    try {
      files = binaryLogs();
    } catch (FerryException e) {
      files = Map.of();
    }
    String oldest = files.isEmpty() ? "none" : files.keySet().iterator().next();
    return new FerryException(
        BINLOG_GONE,
        "the binlog of "
            + where()
            + " no longer holds position "
            + at
            + " ("
            + why
            + "; its oldest binlog file is "
            + oldest
            + "): changes after it are lost to this run. Recover with a new snapshot (run the"
            + " task again from scratch with startup: initial), and keep binlogs longer"
            + " (binlog_expire_logs_seconds / expire_logs_days) than a run may stand still");
  }

  /** Binlog file, group offset, rows of the group ({@link BinlogPosition#compare}). */
  @Override
  public java.util.Optional<java.util.Comparator<Position>> positionOrder() {
    return java.util.Optional.of(new Order());
  }

  /** {@link BinlogPosition#compare} on encoded positions. */
  static final class Order implements java.util.Comparator<Position> {
    @Override
    public int compare(Position a, Position b) {
      return BinlogPosition.compare(BinlogPosition.of(a), BinlogPosition.of(b));
    }
  }

  /** False when the position's binlog file is no longer listed, or shorter than its offset. */
  @Override
  public boolean holds(Position position) {
    BinlogPosition at = BinlogPosition.of(position);
    if (at.file() == null) {
      return true; // a GTID: the server says when it opens
    }
    Long size = binaryLogs().get(at.file());
    return size != null && at.offset() <= size;
  }

  @Override
  public ChangeReader open(Position after) {
    BinlogPosition at = BinlogPosition.of(after);
    if (at.file() != null) {
      Map<String, Long> files = binaryLogs();
      Long size = files.get(at.file());
      if (size == null) {
        throw gone(at, "file " + at.file() + " was purged or the log was reset");
      }
      if (at.offset() > size) {
        throw gone(at, at.file() + " is only " + size + " bytes long: the log was reset");
      }
    }
    LOG.info("reading the binlog of {} from {}", where(), at);
    return new BinlogReader(this, at);
  }

  @Override
  public void close() {
    catalog.close();
  }
}
