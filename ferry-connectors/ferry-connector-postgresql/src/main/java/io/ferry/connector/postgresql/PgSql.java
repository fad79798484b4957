package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.SqlBuilder;
import io.ferry.spi.DataType;
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

  /** Strings (and types read as text) compare in the "C" collation: by their UTF-8 bytes. */
  @Override
  public Optional<String> keyOrder(String quoted, DataType type) {
    return Optional.of(
        switch (type.kind()) {
          case STRING -> "(" + quoted + "::text COLLATE \"C\")";
          default -> quoted;
        });
  }

  /**
   * {@code char(n)} loses its pad spaces in the cast to text; {@code timestamptz} shows its UTC
   * wall clock; numerics lose trailing fractional zeros ({@code trim_scale}, PostgreSQL 13+).
   */
  @Override
  public Optional<String> canonicalText(String q, DataType type) {
    int fraction = type.precision() == 0 ? 0 : type.precision() + 1;
    String text =
        switch (type.kind()) {
          // boolean reads 'true' / 'false' as text, bit(1) (read as BOOLEAN too) '1' / '0'.
          case BOOLEAN -> "(CASE WHEN (" + q + ")::text IN ('true', '1') THEN '1' ELSE '0' END)";
          case INT8, INT16, INT32, INT64 -> "(" + q + ")::text";
          case DECIMAL -> "trim_scale(" + q + ")::text";
          case STRING -> "(" + q + ")::text";
          case BYTES -> "encode(" + q + ", 'hex')";
          case DATE -> "to_char(" + q + ", 'YYYY-MM-DD')";
          case TIME -> "left(to_char(" + q + ", 'HH24:MI:SS.US'), " + (8 + fraction) + ")";
          case TIMESTAMP ->
              "left(to_char(" + q + ", 'YYYY-MM-DD HH24:MI:SS.US'), " + (19 + fraction) + ")";
          case TIMESTAMP_TZ ->
              "left(to_char("
                  + q
                  + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), "
                  + (19 + fraction)
                  + ")";
          default -> null;
        };
    return Optional.ofNullable(text);
  }

  @Override
  public Optional<String> md5(String text) {
    return Optional.of("md5(" + text + ")");
  }

  @Override
  public Optional<String> hexSum(String hash, int from) {
    return Optional.of(
        "sum(('x' || lpad(substr(" + hash + ", " + from + ", 15), 16, '0'))::bit(64)::bigint)");
  }
}
