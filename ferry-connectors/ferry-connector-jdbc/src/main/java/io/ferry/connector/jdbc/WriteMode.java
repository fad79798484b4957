package io.ferry.connector.jdbc;

/** How a sink writes rows into its table. */
public enum WriteMode {
  /** Plain INSERT; a row whose key exists fails and goes to the dirty-data store. */
  INSERT,
  /** Insert, or update the row whose {@code keys} match ({@link SqlBuilder#upsertSql}). */
  UPSERT,
  /** Insert, replacing the whole row whose {@code keys} match ({@link SqlBuilder#replaceSql}). */
  REPLACE,
  /** Empty the table in {@code prepare} (TRUNCATE), then insert. */
  TRUNCATE_INSERT
}
