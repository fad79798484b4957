package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.BulkWriter;
import io.ferry.connector.jdbc.ColumnBinder;
import io.ferry.connector.jdbc.Dialect;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.StandardTypes;
import io.ferry.connector.jdbc.WriteMode;
import io.ferry.connector.support.Values;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.Option;
import io.ferry.spi.Options;
import io.ferry.spi.TypeKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQL Server 2012 and later, and Azure SQL. Inserts go through the bulk copy API ({@link
 * SqlServerBulkWriter}); upsert and replace are batched {@code MERGE ... USING (VALUES (?, ...))}
 * statements. Reads stream with the driver's adaptive response buffering.
 */
public final class SqlServerDialect implements Dialect {
  private static final Logger LOG = LoggerFactory.getLogger(SqlServerDialect.class);

  static final int DEFAULT_PORT = 1433;

  /** The driver's {@code encrypt} values. */
  enum Encrypt implements Option.Choice {
    TRUE("true"),
    FALSE("false"),
    STRICT("strict");

    private final String choice;

    Encrypt(String choice) {
      this.choice = choice;
    }

    @Override
    public String choice() {
      return choice;
    }
  }

  static final Option<Encrypt> ENCRYPT =
      Option.enumeration("encrypt", Encrypt.class)
          .endpoint()
          .defaultValue(Encrypt.TRUE)
          .description(
              "TLS for the connection: true (encrypt, verify the certificate unless"
                  + " trustServerCertificate), false (only the login is encrypted), strict (TDS 8,"
                  + " always verified).")
          .build();

  static final Option<Boolean> TRUST_SERVER_CERTIFICATE =
      Option.bool("trustServerCertificate")
          .endpoint()
          .defaultValue(false)
          .description(
              "Accept the server's certificate without verifying it (a self-signed certificate of"
                  + " a development server); never with strict.")
          .build();

  static final Option<Boolean> TABLE_LOCK =
      Option.bool("tableLock")
          .defaultValue(false)
          .description(
              "Bulk copy takes a table lock (TABLOCK): faster, minimally logged loads into a heap"
                  + " or an empty table, but other sessions cannot write the table meanwhile.")
          .build();

  private final Encrypt encrypt;
  private final boolean trustServerCertificate;
  private final boolean tableLock;

  public SqlServerDialect() {
    this(Encrypt.TRUE, false, false);
  }

  private SqlServerDialect(Encrypt encrypt, boolean trustServerCertificate, boolean tableLock) {
    this.encrypt = encrypt;
    this.trustServerCertificate = trustServerCertificate;
    this.tableLock = tableLock;
  }

  @Override
  public String name() {
    return "sqlserver";
  }

  // ---- options -------------------------------------------------------------------------------

  @Override
  public List<Option<?>> extraSourceOptions() {
    return List.of(ENCRYPT, TRUST_SERVER_CERTIFICATE);
  }

  @Override
  public List<Option<?>> extraSinkOptions() {
    return List.of(ENCRYPT, TRUST_SERVER_CERTIFICATE, TABLE_LOCK);
  }

  @Override
  public Dialect configure(Options options) {
    return new SqlServerDialect(
        options.get(ENCRYPT), options.get(TRUST_SERVER_CERTIFICATE), options.get(TABLE_LOCK));
  }

  // ---- connections ---------------------------------------------------------------------------

  @Override
  public boolean buildsUrls() {
    return true;
  }

  /**
   * {@code jdbc:sqlserver://host:1433;databaseName=sales}. A named instance is {@code host:
   * 'db1\SQLEXPRESS'} without a port. Encryption settings travel as driver properties (see {@link
   * #driverProperties()}), so they apply to a given {@code url} too.
   */
  @Override
  public String url(String host, OptionalInt port, String database) {
    StringBuilder url = new StringBuilder("jdbc:sqlserver://").append(host);
    if (port.isPresent() || !host.contains("\\")) {
      url.append(':').append(port.orElse(DEFAULT_PORT));
    }
    if (database != null) {
      url.append(";databaseName=").append(escapeUrlValue(database));
    }
    return url.toString();
  }

  /** A connection-string value in braces when it holds a separator (the driver's own escape). */
  static String escapeUrlValue(String value) {
    return value.contains(";") || value.contains("=") || value.contains("{")
        ? "{" + value.replace("}", "}}") + "}"
        : value;
  }

  /**
   * {@code responseBuffering=adaptive} (stream results instead of reading them whole), {@code
   * sendTimeAsDatetime=false} (a time is sent as TIME, not as a 1970 datetime), and the encryption
   * options.
   */
  @Override
  public Map<String, String> driverProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("responseBuffering", "adaptive");
    properties.put("sendTimeAsDatetime", "false");
    properties.put("encrypt", encrypt.choice());
    properties.put("trustServerCertificate", Boolean.toString(trustServerCertificate));
    return Map.copyOf(properties);
  }

  /**
   * mssql-jdbc gives up logging in after {@code loginTimeout} whole seconds (at least 1: 0 would
   * mean the driver's default of 15).
   */
  @Override
  public Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
    long seconds = Math.max(1, (connectTimeout.toMillis() + 999) / 1000);
    return Map.of("loginTimeout", Long.toString(seconds));
  }

  @Override
  public boolean isRetriable(SQLException e) {
    return SqlServerErrors.CODES.isRetriable(e);
  }

  @Override
  public boolean isAuthenticationFailure(SQLException e) {
    return SqlServerErrors.CODES.isAuthenticationFailure(e);
  }

  @Override
  public boolean isDataError(SQLException e) {
    return SqlServerErrors.CODES.isDataError(e);
  }

  // ---- names ---------------------------------------------------------------------------------

  /** {@code [name]}, a closing bracket doubled. */
  @Override
  public String quote(String identifier) {
    return '[' + identifier.replace("]", "]]") + ']';
  }

  // ---- types ---------------------------------------------------------------------------------

  @Override
  public DataType ferryType(JdbcColumn column) {
    return SqlServerTypes.ferryType(column);
  }

  /**
   * Temporal values as the default binds them, after {@link SqlServerTemporal} checked that the
   * column's type holds them; a character column gets the text of 24:00:00 and the infinities.
   */
  @Override
  public ColumnBinder binder(DataType type, JdbcColumn target) {
    ColumnBinder standard = StandardTypes.binder(type);
    return switch (type.kind()) {
      case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> {
        if (SqlServerTypes.ferryType(target).kind() == TypeKind.STRING) {
          yield (ps, i, v) -> {
            String special = Values.specialText(v);
            if (special != null) {
              ps.setString(i, special);
            } else {
              standard.bind(ps, i, v);
            }
          };
        }
        yield (ps, i, v) -> {
          SqlServerTemporal.checkStorable(v);
          standard.bind(ps, i, v);
        };
      }
      default -> standard;
    };
  }

  @Override
  public String nativeType(DataType type) {
    return SqlServerTypes.nativeType(type, false);
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * The row count SQL Server keeps per partition ({@code sys.partitions} of the heap or clustered
   * index): exact after a load, no scan. {@code COUNT(*)} when the view cannot be read.
   */
  @Override
  public OptionalLong rowEstimate(Connection connection, TableRef table) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT SUM(p.rows) FROM sys.partitions p"
                + " WHERE p.object_id = OBJECT_ID(?) AND p.index_id IN (0, 1)")) {
      ps.setString(1, qualifiedName(table));
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          long rows = rs.getLong(1);
          if (!rs.wasNull()) {
            return OptionalLong.of(rows);
          }
        }
      }
    } catch (SQLException e) {
      LOG.debug("sys.partitions not readable for {}: {}", table, e.getMessage());
    }
    return Dialect.super.rowEstimate(connection, table);
  }

  // ---- writing -------------------------------------------------------------------------------

  /**
   * {@code MERGE INTO t AS t USING (VALUES (?, ?)) AS s ([k], [c]) ON t.[k] = s.[k] WHEN MATCHED
   * THEN UPDATE SET t.[c] = s.[c] WHEN NOT MATCHED THEN INSERT ([k], [c]) VALUES (s.[k], s.[c]);}
   *
   * <p>Without {@code HOLDLOCK}: two writers inserting the same new key at once make one of them
   * fail with a duplicate key (2627), a data error, so the base replays that batch row by row and
   * the replayed MERGE updates the row the other writer inserted. HOLDLOCK would serialize every
   * batch on key-range locks instead and deadlock concurrent writers.
   */
  @Override
  public Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
    return Optional.of(merge(table, columns, keys));
  }

  /** The MERGE of {@link #upsertSql}: it sets every written column, replacing the row's values. */
  @Override
  public Optional<String> replaceSql(String table, List<String> columns, List<String> keys) {
    return Optional.of(merge(table, columns, keys));
  }

  String merge(String table, List<String> columns, List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("MERGE needs at least one key column");
    }
    StringJoiner params = new StringJoiner(", ", "(", ")");
    StringJoiner names = new StringJoiner(", ", "(", ")");
    StringJoiner values = new StringJoiner(", ", "(", ")");
    StringJoiner update = new StringJoiner(", ");
    for (String c : columns) {
      params.add("?");
      names.add(quote(c));
      values.add("s." + quote(c));
      if (!keys.contains(c)) {
        update.add("t." + quote(c) + " = s." + quote(c));
      }
    }
    StringJoiner on = new StringJoiner(" AND ");
    for (String k : keys) {
      on.add("t." + quote(k) + " = s." + quote(k));
    }
    return "MERGE INTO "
        + table
        + " AS t USING (VALUES "
        + params
        + ") AS s "
        + names
        + " ON "
        + on
        + (update.length() == 0 ? "" : " WHEN MATCHED THEN UPDATE SET " + update)
        + " WHEN NOT MATCHED THEN INSERT "
        + names
        + " VALUES "
        + values
        + ";";
  }

  /** As the default, with index-friendly widths for key columns (NVARCHAR(450), VARBINARY(900)). */
  @Override
  public String createTableSql(String table, List<Column> columns, List<String> keys) {
    StringJoiner body = new StringJoiner(", ", "(", ")");
    for (Column c : columns) {
      boolean key = keys.contains(c.name());
      body.add(
          quote(c.name())
              + " "
              + SqlServerTypes.nativeType(c.type(), key)
              + (!c.nullable() || key ? " NOT NULL" : " NULL"));
    }
    if (!keys.isEmpty()) {
      StringJoiner pk = new StringJoiner(", ", "PRIMARY KEY (", ")");
      keys.forEach(k -> pk.add(quote(k)));
      body.add(pk.toString());
    }
    return "CREATE TABLE " + table + " " + body;
  }

  /**
   * The bulk copy API for inserts (and truncate-insert, which the base has already truncated); none
   * for upsert and replace, which run as batched MERGE statements.
   */
  @Override
  public Optional<BulkWriter> bulkWriter(Connection connection, BulkTarget target)
      throws SQLException {
    if (target.writeMode() != WriteMode.INSERT) {
      return Optional.empty();
    }
    return Optional.of(SqlServerBulkWriter.open(connection, target, tableLock));
  }

  // ---- catalog -------------------------------------------------------------------------------

  /** The {@code MS_Description} extended property, where SQL Server tools keep comments. */
  @Override
  public Optional<String> tableComment(Connection connection, TableRef table) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT CAST(value AS NVARCHAR(4000)) FROM sys.extended_properties"
                + " WHERE class = 1 AND major_id = OBJECT_ID(?) AND minor_id = 0"
                + " AND name = 'MS_Description'")) {
      ps.setString(1, qualifiedName(table));
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          String comment = rs.getString(1);
          return comment == null || comment.isBlank() ? Optional.empty() : Optional.of(comment);
        }
      }
      return Optional.empty();
    } catch (SQLException e) {
      LOG.debug("sys.extended_properties not readable for {}: {}", table, e.getMessage());
      return Dialect.super.tableComment(connection, table);
    }
  }
}
