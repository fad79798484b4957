package io.ferry.connector.sqlserver;

import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.BulkWriter;
import io.ferry.connector.jdbc.ComposedDialect;
import io.ferry.connector.jdbc.Dialect;
import io.ferry.connector.jdbc.WriteMode;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Option;
import io.ferry.spi.Options;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQL Server 2012 and later, and Azure SQL. Inserts go through the bulk copy API ({@link
 * SqlServerBulkWriter}); upsert and replace are batched {@code MERGE ... USING (VALUES (?, ...))}
 * statements. Reads stream with the driver's adaptive response buffering.
 */
public final class SqlServerDialect extends ComposedDialect {
  private static final Logger LOG = LoggerFactory.getLogger(SqlServerDialect.class);

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
  private final boolean tableLock;

  public SqlServerDialect() {
    this(Encrypt.TRUE, false, false);
  }

  private SqlServerDialect(Encrypt encrypt, boolean trustServerCertificate, boolean tableLock) {
    super(
        new SqlServerSessions(encrypt, trustServerCertificate),
        SqlServerErrors.CODES,
        SqlServerTypeMapping.INSTANCE,
        SqlServerSql.INSTANCE);
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
      ps.setString(1, SqlServerSql.INSTANCE.qualifiedName(table));
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
    return super.rowEstimate(connection, table);
  }

  // ---- writing -------------------------------------------------------------------------------

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
      ps.setString(1, SqlServerSql.INSTANCE.qualifiedName(table));
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          String comment = rs.getString(1);
          return comment == null || comment.isBlank() ? Optional.empty() : Optional.of(comment);
        }
      }
      return Optional.empty();
    } catch (SQLException e) {
      LOG.debug("sys.extended_properties not readable for {}: {}", table, e.getMessage());
      return super.tableComment(connection, table);
    }
  }
}
