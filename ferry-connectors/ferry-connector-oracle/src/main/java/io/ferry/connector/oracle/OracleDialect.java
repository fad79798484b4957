package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.ComposedDialect;
import io.ferry.connector.jdbc.Dialect;
import io.ferry.connector.jdbc.ReadSnapshot;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Option;
import io.ferry.spi.Options;
import io.ferry.spi.Validator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Oracle Database (12c and later; the SQL avoids {@code FETCH FIRST} and row-value comparisons, so
 * most of it runs on 11g too). Writes use the base's batched statements, which ojdbc sends as array
 * DML: one round trip per batch. Upserts are {@code MERGE} from a one-row {@code SELECT ... FROM
 * dual}.
 */
public final class OracleDialect extends ComposedDialect {
  private static final Logger LOG = LoggerFactory.getLogger(OracleDialect.class);

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

  private final int numberScale;
  private final EmptyStrings.Policy emptyStrings;
  private final OracleSessions sessions;
  private final OracleSql sql;

  public OracleDialect() {
    this(10, EmptyStrings.NULL.policy(), new OracleSessions(false), OracleSql.INSTANCE);
  }

  private OracleDialect(
      int numberScale, EmptyStrings.Policy emptyStrings, OracleSessions sessions, OracleSql sql) {
    super(sessions, OracleErrors.CODES, new OracleTypeMapping(numberScale, emptyStrings), sql);
    this.numberScale = numberScale;
    this.emptyStrings = emptyStrings;
    this.sessions = sessions;
    this.sql = sql;
  }

  /** A dialect that sets sessions up with {@code setup} (tests against stand-ins). */
  OracleDialect withSessionSetup(OracleSessions.SessionSetup setup) {
    return new OracleDialect(numberScale, emptyStrings, sessions.withSessionSetup(setup), sql);
  }

  /**
   * A dialect whose statements {@code sql} writes: a stand-in that cannot type the MERGE's bare
   * binds gets them cast (tests against H2).
   */
  OracleDialect withSql(OracleSql sql) {
    return new OracleDialect(numberScale, emptyStrings, sessions, sql);
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
        options.get(NUMBER_SCALE),
        options.get(EMPTY_STRINGS).policy(),
        sessions.withSid(options.get(SID)),
        sql);
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
    return super.rowEstimate(connection, table);
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
  // ---- catalog -------------------------------------------------------------------------------

  /**
   * {@code ALL_TAB_COMMENTS}; the driver's getTables remarks when the view cannot be read (a
   * stand-in database).
   */
  @Override
  public Optional<String> tableComment(Connection connection, TableRef table) throws SQLException {
    if (table.schema() == null) {
      return super.tableComment(connection, table);
    }
    try {
      return dictionaryComment(connection, table);
    } catch (SQLException e) {
      LOG.debug("ALL_TAB_COMMENTS not readable for {}: {}", table, e.getMessage());
      return super.tableComment(connection, table);
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
