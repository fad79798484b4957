package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.ColumnBinder;
import io.ferry.connector.jdbc.ColumnReader;
import io.ferry.connector.jdbc.Dialect;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.ReadSnapshot;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Option;
import io.ferry.spi.Options;
import io.ferry.spi.TypeKind;
import io.ferry.spi.Validator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.StringJoiner;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Oracle Database (12c and later; the SQL avoids {@code FETCH FIRST} and row-value comparisons, so
 * most of it runs on 11g too). Writes use the base's batched statements, which ojdbc sends as array
 * DML: one round trip per batch. Upserts are {@code MERGE} from a one-row {@code SELECT ... FROM
 * dual}.
 */
public final class OracleDialect implements Dialect {
  private static final Logger LOG = LoggerFactory.getLogger(OracleDialect.class);

  static final int DEFAULT_PORT = 1521;

  static final Option<Boolean> SID =
      Option.bool("sid")
          .defaultValue(false)
          .description(
              "Treat database as an instance SID (jdbc:oracle:thin:@host:port:SID) rather than a"
                  + " service name (jdbc:oracle:thin:@//host:port/service).")
          .build();

  static final Option<Integer> NUMBER_SCALE =
      Option.integer("numberScale")
          .defaultValue(10)
          .validator(Validator.range(0, OracleTypes.MAX_NUMBER_PRECISION))
          .description(
              "Decimal places of NUMBER columns declared without precision: they read as"
                  + " decimal(38, numberScale). A value with more decimal places is a dirty row,"
                  + " never rounded.")
          .build();

  static final Option<EmptyStrings> EMPTY_STRINGS =
      Option.enumeration("emptyStrings", EmptyStrings.class)
          .defaultValue(EmptyStrings.NULL)
          .description(
              "Oracle stores an empty string (and a zero-length binary) as NULL. null: write it"
                  + " anyway, warning once per column; dirty: send the row to the dirty-data store.")
          .build();

  /** Sets up a session: Oracle's ALTER SESSION, or what a test stand-in accepts instead. */
  @FunctionalInterface
  interface SessionSetup {
    void apply(Connection connection, ZoneId zone) throws SQLException;
  }

  private final boolean sid;
  private final int numberScale;
  private final EmptyStrings.Policy emptyStrings;
  private final SessionSetup sessionSetup;

  public OracleDialect() {
    this(false, 10, EmptyStrings.NULL.policy(), OracleDialect::alterSession);
  }

  OracleDialect(
      boolean sid, int numberScale, EmptyStrings.Policy emptyStrings, SessionSetup sessionSetup) {
    this.sid = sid;
    this.numberScale = numberScale;
    this.emptyStrings = Objects.requireNonNull(emptyStrings, "emptyStrings is null");
    this.sessionSetup = Objects.requireNonNull(sessionSetup, "sessionSetup is null");
  }

  /** A dialect that sets sessions up with {@code sessionSetup} (tests against stand-ins). */
  OracleDialect withSessionSetup(SessionSetup setup) {
    return new OracleDialect(sid, numberScale, emptyStrings, setup);
  }

  @Override
  public String name() {
    return "oracle";
  }

  // ---- options -------------------------------------------------------------------------------

  @Override
  public List<Option<?>> extraSourceOptions() {
    return List.of(SID, NUMBER_SCALE);
  }

  @Override
  public List<Option<?>> extraSinkOptions() {
    return List.of(SID, EMPTY_STRINGS);
  }

  @Override
  public Dialect configure(Options options) {
    return new OracleDialect(
        options.get(SID),
        options.get(NUMBER_SCALE),
        options.get(EMPTY_STRINGS).policy(),
        sessionSetup);
  }

  // ---- connections ---------------------------------------------------------------------------

  @Override
  public boolean buildsUrls() {
    return true;
  }

  @Override
  public String url(String host, OptionalInt port, String database) {
    int p = port.orElse(DEFAULT_PORT);
    if (sid) {
      if (database == null) {
        throw new IllegalArgumentException("sid: true needs database (the SID)");
      }
      return "jdbc:oracle:thin:@" + host + ":" + p + ":" + database;
    }
    return "jdbc:oracle:thin:@//" + host + ":" + p + (database == null ? "" : "/" + database);
  }

  /**
   * {@code oracle.jdbc.timezoneAsRegion=false}: ojdbc otherwise sends the JVM's zone region at
   * logon, which a server with an older time zone file refuses (ORA-01882); Ferry sets the session
   * zone itself. {@code remarksReporting=true}: table and column comments for the catalog.
   */
  @Override
  public Map<String, String> driverProperties() {
    return Map.of("oracle.jdbc.timezoneAsRegion", "false", "remarksReporting", "true");
  }

  /** ojdbc gives up connecting after {@code oracle.net.CONNECT_TIMEOUT} milliseconds. */
  @Override
  public Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
    return Map.of("oracle.net.CONNECT_TIMEOUT", Long.toString(connectTimeout.toMillis()));
  }

  @Override
  public void initSession(Connection connection, ZoneId zone) throws SQLException {
    sessionSetup.apply(connection, zone);
  }

  /**
   * The one ALTER SESSION Ferry runs on each connection: the time zone of the job; ISO formats for
   * text conversions in user filters; and binary sorting, so that {@code ORDER BY key} and {@code
   * key > ?} agree on string keys (a linguistic NLS_SORT would order differently from the
   * comparison, and a resumed split would skip or repeat rows).
   */
  static String alterSessionSql(ZoneId zone) {
    return "ALTER SESSION SET TIME_ZONE = '"
        + oracleZone(zone)
        + "' NLS_DATE_FORMAT = 'YYYY-MM-DD HH24:MI:SS'"
        + " NLS_TIMESTAMP_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9'"
        + " NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM'"
        + " NLS_NUMERIC_CHARACTERS = '.,'"
        + " NLS_SORT = BINARY NLS_COMP = BINARY";
  }

  /** Oracle's spelling of a zone: {@code +08:00} for offsets (Oracle rejects {@code Z}). */
  static String oracleZone(ZoneId zone) {
    ZoneId normalized = zone.normalized();
    if (normalized instanceof ZoneOffset offset) {
      int seconds = offset.getTotalSeconds();
      int minutes = Math.abs(seconds) / 60;
      return String.format("%s%02d:%02d", seconds < 0 ? "-" : "+", minutes / 60, minutes % 60);
    }
    return zone.getId();
  }

  private static void alterSession(Connection connection, ZoneId zone) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(alterSessionSql(zone));
    }
  }

  @Override
  public boolean isRetriable(SQLException e) {
    return OracleErrors.CODES.isRetriable(e);
  }

  @Override
  public boolean isAuthenticationFailure(SQLException e) {
    return OracleErrors.CODES.isAuthenticationFailure(e);
  }

  @Override
  public boolean isDataError(SQLException e) {
    return OracleErrors.CODES.isDataError(e);
  }

  // ---- names ---------------------------------------------------------------------------------

  /**
   * {@code "name"}. Oracle quoted identifiers cannot contain a double quote or NUL at all (there is
   * no escape), so such names are refused here rather than producing broken SQL.
   */
  @Override
  public String quote(String identifier) {
    if (identifier.indexOf('"') >= 0 || identifier.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "Oracle identifiers cannot contain a double quote or NUL: " + identifier);
    }
    return '"' + identifier + '"';
  }

  // ---- types ---------------------------------------------------------------------------------

  @Override
  public DataType ferryType(JdbcColumn column) {
    return OracleTypes.ferryType(column, numberScale);
  }

  @Override
  public ColumnReader reader(JdbcColumn column, DataType type) {
    return OracleTypes.reader(column, type);
  }

  @Override
  public ColumnBinder binder(DataType type, JdbcColumn target) {
    return OracleTypes.binder(type, target, emptyStrings);
  }

  @Override
  public String nativeType(DataType type) {
    return OracleTypes.nativeType(type);
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * The optimizer statistics ({@code ALL_TABLES.NUM_ROWS}, as of the last {@code DBMS_STATS} run);
   * {@code COUNT(*)} when the table has none or the dictionary view cannot be read.
   */
  @Override
  public OptionalLong rowEstimate(Connection connection, TableRef table) throws SQLException {
    try {
      OptionalLong statistics = statisticsRows(connection, table);
      if (statistics.isPresent()) {
        return statistics;
      }
    } catch (SQLException e) {
      LOG.debug("no optimizer statistics for {}: {}", table, e.getMessage());
    }
    return Dialect.super.rowEstimate(connection, table);
  }

  private static OptionalLong statisticsRows(Connection connection, TableRef table)
      throws SQLException {
    String sql =
        "SELECT NUM_ROWS FROM ALL_TABLES WHERE OWNER = "
            + (table.schema() == null ? "SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA')" : "?")
            + " AND TABLE_NAME = ?";
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      int i = 1;
      if (table.schema() != null) {
        ps.setString(i++, table.schema());
      }
      ps.setString(i, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long rows = rs.getLong(1);
          if (!rs.wasNull()) {
            return OptionalLong.of(rows);
          }
        }
      }
    }
    return OptionalLong.empty();
  }

  /** Flashback to one SCN shared by every reader: see {@link FlashbackSnapshot}. */
  @Override
  public boolean supportsSnapshot() {
    return true;
  }

  @Override
  public ReadSnapshot snapshot(DataSource connections, int readers) throws SQLException {
    return FlashbackSnapshot.open(connections);
  }

  // ---- writing -------------------------------------------------------------------------------

  /**
   * {@code MERGE INTO t USING (SELECT ? "K", ? "C" FROM dual) s ON (t."K" = s."K") WHEN MATCHED
   * THEN UPDATE SET t."C" = s."C" WHEN NOT MATCHED THEN INSERT ("K", "C") VALUES (s."K", s."C")}:
   * one parameter per column, in column order. When every column is a key there is nothing to
   * update and the statement only inserts missing rows.
   */
  @Override
  public Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
    return Optional.of(merge(table, columns, keys));
  }

  /**
   * Oracle has no REPLACE: the MERGE of {@link #upsertSql} sets every non-key column, which
   * replaces the row as a whole (columns the sink does not write keep their values, as with
   * upsert).
   */
  @Override
  public Optional<String> replaceSql(String table, List<String> columns, List<String> keys) {
    return Optional.of(merge(table, columns, keys));
  }

  String merge(String table, List<String> columns, List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("MERGE needs at least one key column");
    }
    StringJoiner select = new StringJoiner(", ", "SELECT ", " FROM dual");
    StringJoiner insertColumns = new StringJoiner(", ", "(", ")");
    StringJoiner insertValues = new StringJoiner(", ", "(", ")");
    for (String c : columns) {
      select.add("? " + quote(c));
      insertColumns.add(quote(c));
      insertValues.add("s." + quote(c));
    }
    StringJoiner on = new StringJoiner(" AND ", "(", ")");
    for (String k : keys) {
      on.add("t." + quote(k) + " = s." + quote(k));
    }
    List<String> updated = new ArrayList<>();
    for (String c : columns) {
      if (!keys.contains(c)) {
        updated.add("t." + quote(c) + " = s." + quote(c));
      }
    }
    return "MERGE INTO "
        + table
        + " t USING ("
        + select
        + ") s ON "
        + on
        + (updated.isEmpty() ? "" : " WHEN MATCHED THEN UPDATE SET " + String.join(", ", updated))
        + " WHEN NOT MATCHED THEN INSERT "
        + insertColumns
        + " VALUES "
        + insertValues;
  }

  /**
   * As the default, but key columns get types a primary key accepts: Oracle cannot index LOBs, so a
   * bytes key is RAW(2000) and a JSON or nested key VARCHAR2(4000 CHAR).
   */
  @Override
  public String createTableSql(String table, List<Column> columns, List<String> keys) {
    StringJoiner body = new StringJoiner(", ", "(", ")");
    for (Column c : columns) {
      boolean key = keys.contains(c.name());
      boolean notNull = !c.nullable() || key;
      String type = key ? keyType(c.type()) : nativeType(c.type());
      body.add(quote(c.name()) + " " + type + (notNull ? " NOT NULL" : ""));
    }
    if (!keys.isEmpty()) {
      StringJoiner pk = new StringJoiner(", ", "PRIMARY KEY (", ")");
      keys.forEach(k -> pk.add(quote(k)));
      body.add(pk.toString());
    }
    return "CREATE TABLE " + table + " " + body;
  }

  private String keyType(DataType type) {
    TypeKind kind = type.kind();
    if (kind == TypeKind.BYTES) {
      return "RAW(2000)";
    }
    if (kind == TypeKind.JSON || kind.isNested()) {
      return "VARCHAR2(4000 CHAR)";
    }
    return nativeType(type);
  }

  // ---- catalog -------------------------------------------------------------------------------

  /**
   * {@code ALL_TAB_COMMENTS}; the driver's getTables remarks when the view cannot be read (a
   * stand-in database).
   */
  @Override
  public Optional<String> tableComment(Connection connection, TableRef table) throws SQLException {
    if (table.schema() == null) {
      return Dialect.super.tableComment(connection, table);
    }
    try {
      return dictionaryComment(connection, table);
    } catch (SQLException e) {
      LOG.debug("ALL_TAB_COMMENTS not readable for {}: {}", table, e.getMessage());
      return Dialect.super.tableComment(connection, table);
    }
  }

  private static Optional<String> dictionaryComment(Connection connection, TableRef table)
      throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT COMMENTS FROM ALL_TAB_COMMENTS WHERE OWNER = ? AND TABLE_NAME = ?")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          String comment = rs.getString(1);
          return comment == null || comment.isBlank() ? Optional.empty() : Optional.of(comment);
        }
      }
    }
    return Optional.empty();
  }
}
