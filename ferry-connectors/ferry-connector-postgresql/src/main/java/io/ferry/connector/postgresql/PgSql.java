package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.SqlBuilder;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
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
   * Integers, strings, dates, numerics hashed at their own scale and timestamps hashed to the
   * second are their own text (Ferry's sessions have pgjdbc's ISO {@code DateStyle}; {@code
   * char(n)} loses its pad spaces in the cast to text; a timestamp with fractions is cut with
   * {@code date_trunc}); numerics hashed by value lose trailing fractional zeros ({@code
   * trim_scale}, PostgreSQL 13+); fractional seconds are formatted ({@code to_char}); {@code
   * timestamptz} shows its UTC wall clock. NULL stays NULL. The database's encoding is UTF-8 (the
   * hash is of its bytes).
   */
  @Override
  public Optional<String> canonicalText(
      String q, JdbcColumn column, DataType stored, DataType hashed) {
    int fraction = hashed.precision() == 0 ? 0 : hashed.precision() + 1;
    String text =
        switch (hashed.kind()) {
          // boolean reads 'true' / 'false' as text, bit(1) (read as BOOLEAN too) '1' / '0'.
          case BOOLEAN ->
              "(CASE ("
                  + q
                  + ")::text WHEN 'true' THEN '1' WHEN '1' THEN '1'"
                  + " WHEN 'false' THEN '0' WHEN '0' THEN '0' END)";
          case INT8, INT16, INT32, INT64 -> "(" + q + ")::text";
          case DECIMAL -> decimalText(q, stored, hashed);
          case STRING -> "(" + q + ")::text";
          case BYTES -> "encode(" + q + ", 'hex')";
          case DATE -> "(" + q + ")::text";
          case TIME -> "left(to_char(" + q + ", 'HH24:MI:SS.US'), " + (8 + fraction) + ")";
          case TIMESTAMP ->
              hashed.precision() > 0
                  ? "left(to_char(" + q + ", 'YYYY-MM-DD HH24:MI:SS.US'), " + (19 + fraction) + ")"
                  : stored.kind() == TypeKind.TIMESTAMP && stored.precision() == 0
                      ? "(" + q + ")::text"
                      : "date_trunc('second', " + q + ")::text";
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

  /**
   * A numeric hashed at its own declared scale is its text; by value, without trailing fractional
   * zeros. Null (no checksum) for a scale other than its own.
   */
  private static String decimalText(String q, DataType stored, DataType hashed) {
    if (stored.kind() != TypeKind.DECIMAL) {
      return null;
    }
    if (!hashed.isUnconstrainedDecimal()) {
      return !stored.isUnconstrainedDecimal() && hashed.scale() == stored.scale()
          ? "(" + q + ")::text"
          : null;
    }
    return "trim_scale(" + q + ")::text";
  }

  @Override
  public Optional<String> utf8Length(String text) {
    return Optional.of("octet_length(" + text + ")");
  }

  @Override
  public Optional<String> md5Sum(String text) {
    return Optional.of("sum(('x' || left(md5(" + text + "), 15))::bit(60)::bigint)");
  }

  /**
   * No parallel workers: a verification already checksums its job's {@code channels} key ranges at
   * once, and two workers under each range's query (PostgreSQL's default) add their start and the
   * gathering of their partial sums to the same scan. On the bench's 2,000,000-row table they took
   * the backends from ~5.1 to ~7.2 CPU-seconds (bench/README.md), CPU the other database, hashing
   * its side at the same time on the same cores, waited for.
   */
  @Override
  public Optional<String> checksumSetup() {
    return Optional.of("SET LOCAL max_parallel_workers_per_gather = 0");
  }
}
