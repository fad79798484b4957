package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.BulkUnavailableException;
import io.ferry.connector.jdbc.BulkWriter;
import io.ferry.connector.jdbc.ColumnBinder;
import io.ferry.connector.jdbc.ColumnReader;
import io.ferry.connector.jdbc.Dialect;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.ReadSnapshot;
import io.ferry.connector.jdbc.ServerAddress;
import io.ferry.connector.jdbc.SqlStates;
import io.ferry.connector.jdbc.StandardTypes;
import io.ferry.connector.jdbc.WriteMode;
import io.ferry.connector.support.Values;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.Option;
import io.ferry.spi.Options;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MySQL 5.7/8.x and MariaDB 10.x+ through MariaDB Connector/J 3: streaming reads with a positive
 * fetch size over server-side prepared statements (the binary protocol keeps FLOAT exact), {@code
 * LOAD DATA LOCAL INFILE} from an in-memory stream for every write mode, consistent-snapshot
 * transactions opened together for {@code snapshot: true}, and the type decisions of {@link
 * MySqlType}.
 */
final class MySqlDialect implements Dialect {
  private static final Logger LOG = LoggerFactory.getLogger(MySqlDialect.class);

  static final int DEFAULT_PORT = 3306;

  /**
   * Strict, so a value the column cannot hold fails instead of being cut; no zero auto-increment
   * surprise; engine substitution refused. Backslash escapes stay on: LOAD DATA relies on them.
   */
  static final String SQL_MODE =
      "STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO";

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

  /** The job's time zone, from {@link #configure(Options, ConnectorContext)}; UTC unconfigured. */
  private final ZoneId zone;

  /**
   * The offset sessions use instead of {@link #zone} on a server without time zone tables: the
   * zone's offset when this instance was configured, the same for every connection of it.
   */
  private final ZoneOffset fallbackOffset;

  /**
   * Whether the server turned out not to know {@link #zone}'s name (error 1298), so sessions run at
   * {@link #fallbackOffset}. Learnt from the server on the first connection; it only ever turns
   * true, and it belongs to this configured instance (one source, sink or catalog), not to the
   * connector's shared dialect.
   */
  private final AtomicBoolean serverLacksZone = new AtomicBoolean();

  MySqlDialect() {
    this(true, ZeroDates.ERROR, ZoneOffset.UTC);
  }

  private MySqlDialect(boolean tinyInt1IsBoolean, ZeroDates zeroDates, ZoneId zone) {
    this.tinyInt1IsBoolean = tinyInt1IsBoolean;
    this.zeroDates = zeroDates;
    this.zone = zone;
    this.fallbackOffset = zone.getRules().getOffset(Instant.now());
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
    return new MySqlDialect(tinyInt1, zero, context == null ? zone : context.zone());
  }

  // ---- connections --------------------------------------------------------------------------

  @Override
  public boolean buildsUrls() {
    return true;
  }

  @Override
  public String url(String host, OptionalInt port, String database) {
    return "jdbc:mariadb://"
        + ServerAddress.of(host, port).toUrlPart(DEFAULT_PORT)
        + "/"
        + (database == null ? "" : database);
  }

  /**
   * {@code jdbc:mariadb:sequential://h1:3306,h2:3306/db}: Connector/J's {@code sequential} mode
   * connects to the first server that answers, in the order given, and fails over the same way when
   * a connection is lost; every connection of a source or sink goes to that one server, so writes
   * and a snapshot's readers stay together. For load balancing ({@code loadbalance}) or
   * primary/replica routing ({@code replication}), give {@code url}.
   */
  @Override
  public Optional<String> clusterUrl(List<ServerAddress> servers, String database) {
    return Optional.of(
        "jdbc:mariadb:sequential://"
            + ServerAddress.toUrlPart(servers, DEFAULT_PORT)
            + "/"
            + (database == null ? "" : database));
  }

  /**
   * {@code retriesAllDown} = the number of servers: each is tried once per connection attempt (then
   * each denied one once more, 250 ms apart), instead of the driver's 120 attempts, which keep a
   * connection to a cluster that is all down waiting for half a minute.
   */
  @Override
  public Map<String, String> clusterProperties(List<ServerAddress> servers) {
    return Map.of("retriesAllDown", String.valueOf(servers.size()));
  }

  @Override
  public Map<String, String> driverProperties() {
    return Map.of(
        // LOAD DATA LOCAL INFILE from the statement's stream.
        "allowLocalInfile", "true",
        // Reads run as server-side prepared statements: the binary protocol sends FLOAT as 4
        // bytes (the text protocol rounds it to 6 digits) and integers without parsing.
        "useServerPrepStmts", "true",
        // tinyint(1) is reported as BOOLEAN (also by getColumns); tinyInt1IsBoolean decides.
        "tinyInt1isBit", "true",
        "yearIsDateType", "false");
  }

  /** MariaDB Connector/J's {@code connectTimeout}, in milliseconds (its default is 30 s). */
  @Override
  public Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
    return Map.of("connectTimeout", String.valueOf(connectTimeout.toMillis()));
  }

  /**
   * One round trip: character set, time zone, strict sql_mode, every warning kept (LOAD DATA
   * problems are reported as warnings), a long net_write_timeout so a slow sink does not make the
   * server drop a streaming read.
   */
  @Override
  public void initSession(Connection connection, ZoneId jobZone) throws SQLException {
    // jobZone is the context's zone this instance was configured with.
    ZoneId named = zone.normalized();
    try (Statement s = connection.createStatement()) {
      if (named instanceof ZoneOffset o) {
        s.execute(sessionSql(offsetText(o)));
        return;
      }
      if (!serverLacksZone.get()) {
        try {
          s.execute(sessionSql(zone.getId()));
          return;
        } catch (SQLException e) {
          if (e.getErrorCode() != 1298) {
            throw e;
          }
          if (serverLacksZone.compareAndSet(false, true)) {
            LOG.warn(
                "the server does not know time zone '{}' (load its time zone tables with"
                    + " mysql_tzinfo_to_sql); sessions use the fixed offset {} instead, so"
                    + " TIMESTAMP values are exact instants but carry that offset, and NOW() or"
                    + " TIMESTAMP literals in filters follow it",
                zone.getId(),
                offsetText(fallbackOffset));
          }
        }
      }
      s.execute(sessionSql(offsetText(fallbackOffset)));
    }
  }

  private static String sessionSql(String zone) {
    return "SET NAMES utf8mb4, time_zone = '"
        + zone.replace("'", "''")
        + "', sql_mode = '"
        + SQL_MODE
        + "', max_error_count = 65535, net_write_timeout = 600";
  }

  private static String offsetText(ZoneOffset offset) {
    String id = offset.getId();
    return id.equals("Z") ? "+00:00" : id;
  }

  /**
   * The zone sessions convert TIMESTAMP values in: the job zone, or {@link #fallbackOffset} once
   * the server said it does not know the zone's name (always before any value is read or written:
   * every connection runs {@link #initSession} first).
   */
  ZoneId sessionZone() {
    return serverLacksZone.get() ? fallbackOffset : zone;
  }

  /**
   * Lost connections (SQLState 08, client errors 2006/2013, MariaDB's 1927 "connection was
   * killed"), server shutdown (1053), interrupted queries (1317), too many connections (1040),
   * deadlocks (1213) and lock wait timeouts (1205). Access denied (1045, SQLState 28000) never.
   */
  @Override
  public boolean isRetriable(SQLException e) {
    if (isAuthenticationFailure(e)) {
      return false;
    }
    return Dialect.super.isRetriable(e)
        || SqlStates.hasVendorCode(e, 2006)
        || SqlStates.hasVendorCode(e, 2013)
        || SqlStates.hasVendorCode(e, 1927)
        || SqlStates.hasVendorCode(e, 1053)
        || SqlStates.hasVendorCode(e, 1317)
        || SqlStates.hasVendorCode(e, 1040);
  }

  @Override
  public boolean isAuthenticationFailure(SQLException e) {
    return Dialect.super.isAuthenticationFailure(e) || SqlStates.hasVendorCode(e, 1045);
  }

  /** Also 1049 (unknown database) and 1044 (access denied to the database), SQLState 42000. */
  @Override
  public boolean isDatabaseUnavailable(SQLException e) {
    return Dialect.super.isDatabaseUnavailable(e)
        || SqlStates.hasVendorCode(e, 1049)
        || SqlStates.hasVendorCode(e, 1044);
  }

  /** Also the value errors MySQL reports with SQLState HY000 (1366 incorrect value, 1265...). */
  @Override
  public boolean isDataError(SQLException e) {
    if (Dialect.super.isDataError(e)) {
      return true;
    }
    for (int code : new int[] {1366, 1265, 1292, 1406, 1264, 1048, 1062, 1452, 1411, 3140, 4025}) {
      if (SqlStates.hasVendorCode(e, code)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every warning and note but two that say nothing about the values stored: 1287, a deprecated
   * syntax ({@code VALUES()} in {@code ON DUPLICATE KEY UPDATE} on MySQL 8.0.20+), and 1592, a
   * statement unsafe for statement-based binary logging. The strict sql_mode turns most bad values
   * into errors, but not all: a bound date the server cannot read is stored as {@code 0000-00-00}
   * with warning 1292, a datetime cut to a date column only raises note 1265, and LOAD DATA LOCAL
   * (always IGNORE) and upserts downgrade errors to warnings.
   */
  @Override
  public boolean changedValue(SQLWarning warning) {
    int code = warning.getErrorCode();
    return code != DEPRECATED_SYNTAX && code != UNSAFE_FOR_BINLOG;
  }

  /**
   * Only for inserts: MariaDB Connector/J sends an INSERT batch as one bulk command whose warnings
   * name every row, but pipelines {@code INSERT ... ON DUPLICATE KEY UPDATE} and {@code REPLACE}
   * batches as separate statements and keeps the last one's warnings alone (checked with MariaDB
   * 10.11 and Connector/J 3.5). Batched upserts and replaces therefore run a statement per row; the
   * bulk path (LOAD DATA into a staging table) is not affected.
   */
  @Override
  public boolean batchWarningsComplete(WriteMode mode) {
    return mode == WriteMode.INSERT;
  }

  private static final int DEPRECATED_SYNTAX = 1287;
  private static final int UNSAFE_FOR_BINLOG = 1592;

  // ---- names --------------------------------------------------------------------------------

  @Override
  public String quote(String identifier) {
    return '`' + identifier.replace("`", "``") + '`';
  }

  @Override
  public boolean schemasAreCatalogs() {
    return true;
  }

  // ---- types --------------------------------------------------------------------------------

  @Override
  public DataType ferryType(JdbcColumn column) {
    return MySqlType.of(column).ferryType(tinyInt1IsBoolean);
  }

  /**
   * What {@code getColumns} hides, from {@code information_schema} in one query: MariaDB's {@code
   * json} (a {@code longtext} with a {@code CHECK (json_valid(col))}) gets the type name {@code
   * json}, and a signed {@code tinyint(1)} the driver did not report as BOOLEAN gets {@code
   * BOOLEAN}, so {@link #ferryType} sees them as a result set's metadata shows them. MySQL reports
   * its own {@code json} type already (and its CHECK_CONSTRAINTS has no TABLE_NAME, so the query
   * falls back to the columns alone).
   */
  @Override
  public List<JdbcColumn> refineColumns(
      Connection connection, TableRef table, List<JdbcColumn> columns) throws SQLException {
    Map<String, String> columnTypes = new HashMap<>();
    Set<String> jsonChecked = new HashSet<>();
    try {
      describe(connection, table, true, columnTypes, jsonChecked);
    } catch (SQLException e) {
      if (isRetriable(e)) {
        throw e;
      }
      describe(connection, table, false, columnTypes, jsonChecked);
    }
    List<JdbcColumn> refined = new ArrayList<>(columns.size());
    for (JdbcColumn c : columns) {
      String columnType = columnTypes.getOrDefault(c.name(), "");
      String typeName = c.typeName();
      if (jsonChecked.contains(c.name()) && columnType.equals("longtext")) {
        typeName = "JSON";
      } else if (columnType.equals("tinyint(1)")
          && !typeName.equalsIgnoreCase("BOOLEAN")
          && !typeName.equalsIgnoreCase("BIT")) {
        typeName = "BOOLEAN";
      }
      refined.add(
          typeName.equals(c.typeName())
              ? c
              : new JdbcColumn(
                  c.name(),
                  c.sqlType(),
                  typeName,
                  c.precision(),
                  c.scale(),
                  c.nullable(),
                  c.unsigned()));
    }
    return refined;
  }

  private static void describe(
      Connection connection,
      TableRef table,
      boolean withChecks,
      Map<String, String> columnTypes,
      Set<String> jsonChecked)
      throws SQLException {
    String sql =
        withChecks
            ? "SELECT c.COLUMN_NAME, LOWER(c.COLUMN_TYPE), cc.CHECK_CLAUSE"
                + " FROM information_schema.COLUMNS c"
                + " LEFT JOIN information_schema.CHECK_CONSTRAINTS cc"
                + " ON cc.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND cc.TABLE_NAME = c.TABLE_NAME"
                + " AND LOWER(cc.CHECK_CLAUSE) LIKE CONCAT('%json_valid(`', LOWER(c.COLUMN_NAME),"
                + " '`)%')"
                + " WHERE c.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND c.TABLE_NAME = ?"
            : "SELECT c.COLUMN_NAME, LOWER(c.COLUMN_TYPE), NULL FROM information_schema.COLUMNS c"
                + " WHERE c.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND c.TABLE_NAME = ?";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columnTypes.put(rs.getString(1), rs.getString(2));
          if (rs.getString(3) != null) {
            jsonChecked.add(rs.getString(1));
          }
        }
      }
    }
  }

  @Override
  public ColumnReader reader(JdbcColumn column, DataType type) {
    MySqlType mysql = MySqlType.of(column);
    if (!type.equals(mysql.ferryType(tinyInt1IsBoolean))) {
      return StandardTypes.reader(type);
    }
    return switch (mysql.read(tinyInt1IsBoolean)) {
      case BOOLEAN_FROM_INT ->
          (rs, i) -> {
            int v = rs.getInt(i);
            if (rs.wasNull()) {
              return null;
            }
            if (v == 0 || v == 1) {
              return v == 1;
            }
            throw new IllegalArgumentException(
                v + " in tinyint(1) is not a boolean (0 or 1); set tinyInt1IsBoolean: false");
          };
      case BOOLEAN_FROM_BIT -> StandardTypes.reader(DataType.BOOLEAN);
      case INT8 -> StandardTypes.reader(DataType.INT8);
      case INT16 -> StandardTypes.reader(DataType.INT16);
      case INT32 -> StandardTypes.reader(DataType.INT32);
      case INT64 -> StandardTypes.reader(DataType.INT64);
      case UNSIGNED_INT64 ->
          (rs, i) -> {
            BigDecimal v = rs.getBigDecimal(i);
            return v == null ? null : v.setScale(0);
          };
      case YEAR ->
          (rs, i) -> {
            short v = rs.getShort(i);
            return rs.wasNull() ? null : v;
          };
      case FLOAT32 ->
          (rs, i) -> {
            float v = rs.getFloat(i);
            return rs.wasNull() ? null : v;
          };
      case FLOAT64 ->
          (rs, i) -> {
            double v = rs.getDouble(i);
            return rs.wasNull() ? null : v;
          };
      case DECIMAL ->
          type.precision() <= 18 ? compactDecimal(type.scale()) : StandardTypes.reader(type);
      case STRING, BYTES -> StandardTypes.reader(type);
      // Temporal values are read with the driver's typed getters, which decode the binary row
      // straight into java.time objects. Reading them as text instead made the driver format each
      // value with a DateTimeFormatter only for MySqlTemporal to parse it back: a fifth of the
      // reader's time. The text path remains for the rare values the getters cannot show as they
      // are (see dateFromText), so zero dates and their messages stay what they were.
      case DATE ->
          (rs, i) -> {
            LocalDate v;
            try {
              v = rs.getObject(i, LocalDate.class);
            } catch (DateTimeException e) {
              return dateFromText(rs, i);
            }
            if (v == null) {
              return dateFromText(rs, i);
            }
            return v.getYear() != 0 ? v : zeroDate(v.toString());
          };
      case DATETIME ->
          (rs, i) -> {
            LocalDateTime v;
            try {
              v = rs.getObject(i, LocalDateTime.class);
            } catch (DateTimeException e) {
              return dateTimeFromText(rs, i);
            }
            if (v == null) {
              return dateTimeFromText(rs, i);
            }
            return v.getYear() != 0 ? v : zeroDate(zeroYearText(v));
          };
      case TIMESTAMP ->
          (rs, i) -> {
            // The wall clock of the session zone, as the text was: the driver converts nothing.
            LocalDateTime v;
            try {
              v = rs.getObject(i, LocalDateTime.class);
            } catch (DateTimeException e) {
              v = null;
            }
            if (v == null) {
              Object text = dateTimeFromText(rs, i);
              if (!(text instanceof LocalDateTime local)) {
                return null;
              }
              v = local;
            }
            return v.atZone(sessionZone()).toOffsetDateTime();
          };
      case TIME ->
          (rs, i) -> {
            // A Duration, not a LocalTime: the driver wraps 838:59:59 and -01:00:00 into a day.
            Duration d = rs.getObject(i, Duration.class);
            if (d == null) {
              return null;
            }
            if (d.isNegative() || d.compareTo(DAY) >= 0) {
              // 24:00:00 is the end of the day; any other time outside a day makes the text path
              // throw, naming the value as MySQL shows it.
              return d.equals(DAY) ? Values.END_OF_DAY : MySqlTemporal.time(rs.getString(i));
            }
            return LocalTime.ofNanoOfDay(d.toNanos());
          };
    };
  }

  /**
   * DECIMAL of at most 18 digits. The server sends a DECIMAL as its text ({@code -1234.50}, with
   * exactly the column's scale) also in binary rows, and the driver's {@code getBigDecimal} makes a
   * String of it and then has {@code BigDecimal} parse a copy of its chars. Here the String's
   * digits become the unscaled long directly and {@link BigDecimal#valueOf(long, int)} wraps it,
   * about half the work. Text of any other shape (never sent for these columns) is parsed by {@code
   * BigDecimal}; either way the result is the one {@link StandardTypes#reader} gives.
   */
  private static ColumnReader compactDecimal(int scale) {
    return (rs, i) -> {
      String s = rs.getString(i);
      if (s == null) {
        return null;
      }
      BigDecimal v = parseDecimal(s);
      if (v.scale() == scale) {
        return v;
      }
      try {
        return v.setScale(scale);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            v.toPlainString() + " has more than " + scale + " decimal places");
      }
    };
  }

  /** {@code new BigDecimal(s)}, without its general parser for plain text of up to 18 digits. */
  static BigDecimal parseDecimal(String s) {
    int n = s.length();
    int p = n > 0 && s.charAt(0) == '-' ? 1 : 0;
    // At most 18 digits and a point: the unscaled value cannot overflow a long.
    if (n - p > 19 || n == p) {
      return new BigDecimal(s);
    }
    long unscaled = 0;
    int digits = 0;
    int point = -1;
    for (; p < n; p++) {
      char c = s.charAt(p);
      if (c >= '0' && c <= '9') {
        unscaled = unscaled * 10 + (c - '0');
        digits++;
      } else if (c == '.' && point < 0) {
        point = digits;
      } else {
        return new BigDecimal(s);
      }
    }
    if (digits == 0 || digits > 18) {
      return new BigDecimal(s);
    }
    return BigDecimal.valueOf(
        s.charAt(0) == '-' ? -unscaled : unscaled, point < 0 ? 0 : digits - point);
  }

  private static final Duration DAY = Duration.ofDays(1);

  /** A DATETIME in year 0 as MySQL shows it, for the zero-date message. */
  private static String zeroYearText(LocalDateTime v) {
    String text =
        String.format(
            "%04d-%02d-%02d %02d:%02d:%02d",
            v.getYear(),
            v.getMonthValue(),
            v.getDayOfMonth(),
            v.getHour(),
            v.getMinute(),
            v.getSecond());
    return v.getNano() == 0 ? text : text + String.format(".%06d", v.getNano() / 1000);
  }

  /**
   * A DATE the typed getter returned as null or threw on, from its text.
   *
   * <p>What MariaDB Connector/J 3.5's binary getters do with the values Java's time types cannot
   * hold (checked against MariaDB 10.11): a zero date ('0000-00-00', '0000-00-00 00:00:00') comes
   * back as null, with wasNull() true as for SQL NULL; a zero month or day ('2024-00-10') throws
   * DateTimeException; a zero year with a real month and day ('0000-01-01') comes back as year 0. A
   * null or a throw sends the value down this text path, which tells NULL from a zero date
   * (getString is null only for NULL) and builds the same values and messages as before. Year 0 is
   * a zero date named by the getter's value: the driver's text of a DATETIME(6) in year 0 says year
   * 1 ('0001-02-03 04:05:06.000000'), which the text path used to read as a real date. A TIMESTAMP
   * cannot hold year 0. Every other value is taken as the getter returned it.
   */
  private Object dateFromText(ResultSet rs, int i) throws SQLException {
    String s = text(rs, i);
    if (s == null) {
      return null;
    }
    try {
      return MySqlTemporal.date(s);
    } catch (MySqlTemporal.ZeroDate e) {
      return zeroDate(s);
    }
  }

  /** The same for DATETIME and TIMESTAMP. */
  private Object dateTimeFromText(ResultSet rs, int i) throws SQLException {
    String s = text(rs, i);
    if (s == null) {
      return null;
    }
    try {
      return MySqlTemporal.dateTime(s);
    } catch (MySqlTemporal.ZeroDate e) {
      return zeroDate(s);
    }
  }

  /**
   * The value's text. The driver's binary decoding cannot show a date with a zero month or day
   * ('2024-00-10', allowed without NO_ZERO_IN_DATE): it throws, and the value counts as a zero
   * date.
   */
  private static String text(ResultSet rs, int i) throws SQLException {
    try {
      return rs.getString(i);
    } catch (DateTimeException e) {
      return "0000-00-00 (a zero month or day)";
    }
  }

  private Object zeroDate(String text) {
    if (zeroDates == ZeroDates.NULL) {
      return null;
    }
    throw new IllegalArgumentException(
        "zero date '" + text + "' has no calendar value; set zeroDates: null to read it as NULL");
  }

  /**
   * Standard setters, with what MySQL would otherwise change silently rejected (the row goes to the
   * dirty-data store): fractional seconds finer than the column keeps (MySQL rounds), NaN and
   * infinities of numbers, dates and timestamps, dates outside the years 0001 to 9999 (BC dates;
   * see {@link MySqlTemporal#checkStorable(LocalDate)}), unpaired surrogates (the driver writes
   * '?'). TIMESTAMP_TZ is written as the wall clock of the session zone, which is what a TIMESTAMP
   * column converts from; TIME 24:00:00 as that text, which TIME columns hold.
   */
  @Override
  public ColumnBinder binder(DataType type, JdbcColumn target) {
    int digits = MySqlType.of(target).fraction();
    boolean timeTarget = isTimeColumn(target);
    int unit = timeTarget ? (int) Math.pow(10, 9 - digits) : 1000;
    return switch (type.kind()) {
      case FLOAT32 ->
          (ps, i, v) -> {
            float f = (Float) v;
            if (Float.isNaN(f) || Float.isInfinite(f)) {
              throw new IllegalArgumentException(f + " cannot be stored in MySQL");
            }
            ps.setFloat(i, f);
          };
      case FLOAT64 ->
          (ps, i, v) -> {
            double d = (Double) v;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
              throw new IllegalArgumentException(d + " cannot be stored in MySQL");
            }
            ps.setDouble(i, d);
          };
      case STRING, JSON ->
          (ps, i, v) -> {
            String s = (String) v;
            checkSurrogates(s);
            ps.setString(i, s);
          };
      case DATE ->
          (ps, i, v) -> {
            LocalDate d = (LocalDate) v;
            MySqlTemporal.checkStorable(d);
            ps.setObject(i, d);
          };
      case TIME ->
          (ps, i, v) -> {
            if (Values.isEndOfDay(v)) {
              ps.setString(i, Values.specialText(v));
              return;
            }
            LocalTime t = (LocalTime) v;
            checkFraction(t.getNano(), unit, v, digits);
            ps.setObject(i, t);
          };
      case TIMESTAMP ->
          (ps, i, v) -> {
            LocalDateTime t = (LocalDateTime) v;
            MySqlTemporal.checkStorable(t);
            checkFraction(t.getNano(), unit, v, digits);
            ps.setObject(i, t);
          };
      case TIMESTAMP_TZ ->
          (ps, i, v) -> {
            LocalDateTime t = MySqlTemporal.storableWallClock((OffsetDateTime) v, sessionZone());
            checkFraction(t.getNano(), unit, v, digits);
            ps.setObject(i, t);
          };
      default -> StandardTypes.binder(type);
    };
  }

  private static boolean isTimeColumn(JdbcColumn column) {
    String name = MySqlType.of(column).dataType();
    return name.equals("datetime") || name.equals("timestamp") || name.equals("time");
  }

  private static void checkFraction(int nanos, int unit, Object value, int digits) {
    if (nanos % unit != 0) {
      throw new IllegalArgumentException(
          value + " has more fractional-second digits than the column keeps (" + digits + ")");
    }
  }

  private static void checkSurrogates(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          throw new IllegalArgumentException(
              "contains an unpaired UTF-16 surrogate at index " + i + " (not Unicode)");
        }
      }
    }
  }

  @Override
  public String nativeType(DataType type) {
    return MySqlType.nativeType(type, false);
  }

  /**
   * InnoDB, utf8mb4 with the binary collation (text keys compare as exactly as the source's did,
   * case and trailing spaces included), text and bytes keys as varchar(255)/varbinary(255).
   */
  @Override
  public String createTableSql(String table, List<Column> columns, List<String> keys) {
    StringJoiner body = new StringJoiner(", ", "(", ")");
    for (Column c : columns) {
      boolean key = keys.contains(c.name());
      String nativeType;
      try {
        nativeType = MySqlType.nativeType(c.type(), key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "column "
                + c.name()
                + ": "
                + e.getMessage()
                + "; convert it with a cast transform, e.g. {type: cast, columns: {"
                + c.name()
                + ": \"decimal(65,30)\"}} (values that do not fit become dirty rows), or create"
                + " the table yourself",
            e);
      }
      boolean notNull = !c.nullable() || key;
      if (notNull && nativeType.endsWith(" null")) {
        nativeType = nativeType.substring(0, nativeType.length() - " null".length());
      }
      body.add(quote(c.name()) + " " + nativeType + (notNull ? " NOT NULL" : ""));
    }
    if (!keys.isEmpty()) {
      StringJoiner pk = new StringJoiner(", ", "PRIMARY KEY (", ")");
      keys.forEach(k -> pk.add(quote(k)));
      body.add(pk.toString());
    }
    return "CREATE TABLE "
        + table
        + " "
        + body
        + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  }

  // ---- reading ------------------------------------------------------------------------------

  /**
   * False, although both servers accept {@code (a, b) > (?, ?)}: MariaDB (10.11 checked with
   * EXPLAIN) scans the whole index for a row-value comparison, while the base's portable expansion
   * {@code (a > ?) OR (a = ? AND b > ?)} gets a range scan. MySQL 5.7+ would range-scan both.
   */
  @Override
  public boolean supportsRowValueComparison() {
    return false;
  }

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

  /**
   * {@code INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c)}: the form MySQL 5.7/8.x and MariaDB
   * share (MySQL 8.0.19's {@code AS new} alias is not in MariaDB; {@code VALUES()} only earns MySQL
   * 8.0.20+ a deprecation note).
   */
  @Override
  public Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
    return Optional.of(insertSql(table, columns) + onDuplicateKeyUpdate(columns, keys));
  }

  String onDuplicateKeyUpdate(List<String> columns, List<String> keys) {
    StringJoiner set = new StringJoiner(", ", " ON DUPLICATE KEY UPDATE ", "");
    for (String c : columns) {
      if (!keys.contains(c)) {
        set.add(quote(c) + " = VALUES(" + quote(c) + ")");
      }
    }
    if (set.length() == " ON DUPLICATE KEY UPDATE ".length()) {
      // Every column is a key column: nothing to update, keep the row.
      String k = quote(keys.isEmpty() ? columns.get(0) : keys.get(0));
      set.add(k + " = " + k);
    }
    return set.toString();
  }

  @Override
  public Optional<String> replaceSql(String table, List<String> columns, List<String> keys) {
    return Optional.of("REPLACE" + insertSql(table, columns).substring("INSERT".length()));
  }

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
    return Optional.of(new LoadDataWriter(this, connection, target, mode));
  }
}
