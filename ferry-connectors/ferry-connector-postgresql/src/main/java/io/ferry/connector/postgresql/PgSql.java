package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.SqlBuilder;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/** PostgreSQL's SQL: row-value key ranges and {@code INSERT ... ON CONFLICT} upserts. */
final class PgSql implements SqlBuilder {
  static final PgSql INSTANCE = new PgSql();

  private PgSql() {}

  /** PostgreSQL range-scans an index for {@code (a, b) > (?, ?)}; the OR expansion it does not. */
  @Override
  public boolean supportsRowValueComparison() {
    return true;
  }

  @Override
  public Optional<String> upsertSql(String table, List<String> columns, List<String> keys) {
    return upsertSql(table, columns, keys, 1);
  }

  /**
   * {@code INSERT ... VALUES (..), (..) ON CONFLICT (k) DO UPDATE SET c = EXCLUDED.c}: {@code
   * EXCLUDED} is the row at hand. PostgreSQL refuses a statement that meets one key twice; the
   * change writer never sends one.
   */
  @Override
  public Optional<String> upsertSql(
      String table, List<String> columns, List<String> keys, int rows) {
    StringJoiner k = new StringJoiner(", ", "(", ")");
    keys.forEach(c -> k.add(quote(c)));
    StringJoiner set = new StringJoiner(", ");
    for (String c : columns) {
      if (!keys.contains(c)) {
        set.add(quote(c) + " = EXCLUDED." + quote(c));
      }
    }
    return Optional.of(
        insertSql(table, columns, rows)
            + " ON CONFLICT "
            + k
            + (set.length() == 0 ? " DO NOTHING" : " DO UPDATE SET " + set));
  }

  /**
   * The same statement as upsert: every written column takes the new value; columns the sink does
   * not write keep theirs (PostgreSQL has no delete-and-insert REPLACE).
   */
  @Override
  public Optional<String> replaceSql(String table, List<String> columns, List<String> keys) {
    return upsertSql(table, columns, keys);
  }
}
