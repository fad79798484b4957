package io.ferry.connector.jdbc;

import io.ferry.spi.Catalog;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Options;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The catalog role: schemas, tables, columns with native and Ferry types, primary keys, indexes,
 * row estimates and comments, read through {@link DatabaseMetaData} and the dialect's hooks.
 */
final class JdbcCatalog implements Catalog {
  private static final Set<String> TABLE_TYPES =
      Set.of("TABLE", "BASE TABLE", "VIEW", "PARTITIONED TABLE");

  private final Dialect dialect;
  private final JdbcPool pool;
  private final RetryPolicy retry;

  JdbcCatalog(Dialect dialect, Options options, ConnectorContext context) {
    this.dialect = dialect;
    ConnectionSettings settings = ConnectionSettings.of(options, dialect, context.localFiles());
    this.pool = new JdbcPool(settings, dialect, context.zone(), JdbcPool.name(context, "catalog"));
    this.retry = new RetryPolicy(dialect);
  }

  @Override
  public List<String> schemas() {
    return call(
        "listing schemas",
        c -> {
          List<String> schemas = new ArrayList<>();
          DatabaseMetaData meta = c.getMetaData();
          try (ResultSet rs =
              dialect.schemasAreCatalogs() ? meta.getCatalogs() : meta.getSchemas()) {
            while (rs.next()) {
              schemas.add(rs.getString(1));
            }
          }
          return schemas;
        });
  }

  @Override
  public List<TableRef> tables(String schema) {
    return call(
        "listing the tables of " + schema,
        c -> {
          List<TableRef> tables = new ArrayList<>();
          DatabaseMetaData meta = c.getMetaData();
          try (ResultSet rs =
              dialect.schemasAreCatalogs()
                  ? meta.getTables(schema, null, "%", null)
                  : meta.getTables(null, schema, "%", null)) {
            while (rs.next()) {
              String type = rs.getString("TABLE_TYPE");
              if (type != null && TABLE_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
                tables.add(new TableRef(schema, rs.getString("TABLE_NAME")));
              }
            }
          }
          return tables;
        });
  }

  @Override
  public TableInfo table(TableRef table) {
    return call(
        "describing " + table,
        c -> {
          TableRef resolved =
              TableMetadata.resolve(c, dialect, table)
                  .orElseThrow(
                      () ->
                          new FerryException(
                              ErrorCode.NOT_FOUND,
                              "no table " + table + " on " + pool.settings().description()));
          List<ColumnInfo> columns = new ArrayList<>();
          for (TableMetadata.DescribedColumn d : TableMetadata.columns(c, dialect, resolved)) {
            JdbcColumn column = d.column();
            columns.add(
                new ColumnInfo(
                    column.name(),
                    dialect.types().nativeTypeText(column),
                    dialect.types().toColumnMapping(column).type(),
                    column.nullable(),
                    d.defaultValue(),
                    d.comment()));
          }
          List<String> primaryKey = TableMetadata.primaryKey(c, dialect, resolved);
          return new TableInfo(
              resolved,
              columns,
              primaryKey,
              TableMetadata.indexes(c, dialect, resolved, primaryKey),
              dialect.rowEstimate(c, resolved),
              dialect.tableComment(c, resolved).orElse(null));
        });
  }

  private <T> T call(String action, ConnectionWork<T> work) {
    try {
      return retry.run(
          () -> {
            try (Connection c = pool.connection()) {
              return work.run(c);
            }
          });
    } catch (SQLException e) {
      throw JdbcErrors.translate(dialect, e, pool.settings(), action);
    }
  }

  @FunctionalInterface
  private interface ConnectionWork<T> {
    T run(Connection connection) throws SQLException;
  }

  @Override
  public void close() {
    pool.close();
  }
}
