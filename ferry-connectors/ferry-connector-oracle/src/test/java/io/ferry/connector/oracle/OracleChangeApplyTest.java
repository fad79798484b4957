package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.ChangeApplyChecks;
import io.ferry.connector.jdbc.JdbcTestDatabase;
import io.ferry.spi.Connector;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The change writer through the Oracle dialect (its MERGE upsert from {@code dual}, DELETE by key)
 * against H2 in MODE=Oracle: inserts, updates including of the key, deletes, soft deletes and added
 * columns, each read back. H2 cannot type the MERGE's bare binds ({@code SELECT ? "ID" FROM dual}),
 * which Oracle types from the values bound, so here each is cast to its column's type, as {@link
 * OracleMergeShapeTest} does; the statement is otherwise the dialect's own. See {@link
 * OracleTestDatabase} for where else H2 differs from Oracle.
 */
class OracleChangeApplyTest extends ChangeApplyChecks {
  private final OracleTestDatabase database = OracleTestDatabase.h2CaseInsensitive("oracle-cdc");

  /** The types of the columns the checks' tables have, as H2 spells Oracle's. */
  private static final Map<String, String> TYPES =
      Map.of(
          "ID", "NUMBER(19)",
          "PART", "VARCHAR2(10)",
          "NAME", "VARCHAR2(20)",
          "NOTE", "VARCHAR2(20)",
          "QTY", "NUMBER(19)",
          "IS_DELETED", "NUMBER(1)",
          "DELETED_AT", "TIMESTAMP(6) WITH TIME ZONE");

  /** The dialect's SQL with the MERGE's binds cast to their columns' types. */
  private static final class TypedBinds extends OracleSql {
    @Override
    public Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
      return super.upsertSql(table, columns, keys)
          .map(
              merge -> {
                for (String column : columns) {
                  String type = TYPES.get(column.toUpperCase(Locale.ROOT));
                  if (type == null) {
                    continue; // a statement only built (Sink#appliesChanges), never run
                  }
                  String bind = "? " + quote(column);
                  if (!merge.contains(bind)) {
                    throw new IllegalStateException("no bind '" + bind + "' in " + merge);
                  }
                  merge = merge.replace(bind, "CAST(? AS " + type + ") " + quote(column));
                }
                return merge;
              });
    }
  }

  @Override
  protected JdbcTestDatabase db() {
    return database;
  }

  @Override
  protected Connector connector() {
    return new OracleConnector(
        new OracleDialect()
            .withSessionSetup(OracleTestDatabase::h2Session)
            .withSql(new TypedBinds()));
  }

  @Override
  protected String createTable(String name) {
    return "CREATE TABLE " + name + " (id NUMBER(19) PRIMARY KEY, name VARCHAR2(20))";
  }
}
