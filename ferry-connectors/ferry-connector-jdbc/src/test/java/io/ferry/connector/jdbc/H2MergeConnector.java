package io.ferry.connector.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test dialect module on H2, written the way dialect modules are: it gives the base an upsert
 * statement (H2's {@code MERGE INTO ... KEY (...)}) and a bulk writer (one multi-row INSERT per
 * buffer), so the base's upsert and bulk paths run against a real SQL engine. The generic dialect
 * itself has neither.
 */
final class H2MergeConnector extends JdbcConnector {
  /** Whether the bulk path declares itself unavailable, as a server with it disabled would. */
  static final class H2MergeDialect extends GenericDialect {
    final boolean bulkAvailable;
    final AtomicInteger bulkLoads = new AtomicInteger();

    H2MergeDialect(boolean bulkAvailable) {
      this.bulkAvailable = bulkAvailable;
    }

    @Override
    public String name() {
      return "h2-merge";
    }

    /** H2's own MERGE ... KEY form. */
    private static final SqlBuilder SQL =
        new SqlBuilder() {
          @Override
          public Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
            StringJoiner names = new StringJoiner(", ", "(", ")");
            StringJoiner params = new StringJoiner(", ", "(", ")");
            for (String c : columns) {
              names.add(quote(c));
              params.add("?");
            }
            StringJoiner key = new StringJoiner(", ", "(", ")");
            keys.forEach(k -> key.add(quote(k)));
            return Optional.of(
                "MERGE INTO " + table + " " + names + " KEY " + key + " VALUES " + params);
          }
        };

    @Override
    public SqlBuilder sql() {
      return SQL;
    }

    @Override
    public Optional<BulkWriter> bulkWriter(Connection connection, BulkTarget target)
        throws SQLException {
      if (!bulkAvailable) {
        throw new BulkUnavailableException("bulk loading is switched off on this server (test)");
      }
      if (target.writeMode() != WriteMode.INSERT) {
        return Optional.empty();
      }
      List<String> names = target.columns().stream().map(JdbcColumn::name).toList();
      return Optional.of(
          rows -> {
            StringBuilder sql = new StringBuilder(SQL.insertSql(target.table(), names));
            String tuple = sql.substring(sql.indexOf("VALUES ") + "VALUES ".length());
            for (int r = 1; r < rows.size(); r++) {
              sql.append(", ").append(tuple);
            }
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
              int p = 1;
              for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < rows.arity(); c++) {
                  ps.setObject(p++, rows.get(r, c));
                }
              }
              ps.executeUpdate();
              connection.commit();
            }
            bulkLoads.incrementAndGet();
          });
    }
  }

  H2MergeConnector(H2MergeDialect dialect) {
    super(dialect);
  }

  @Override
  public String name() {
    return "h2-merge";
  }

  @Override
  public String description() {
    return "H2 with MERGE upserts and multi-row bulk inserts, for tests of the JDBC base.";
  }
}
