package io.ferry.connector.jdbc;

import java.util.Objects;

/**
 * A {@link Dialect} assembled from its parts, the usual way to write one: a subclass builds its
 * {@link Sessions}, {@link SqlErrors}, {@link TypeMapping} and {@link SqlBuilder} (from its option
 * values, in {@link #configure}) and passes them here, then overrides the remaining dialect methods
 * that differ (reading, bulk writes, the catalog).
 */
public abstract class ComposedDialect implements Dialect {
  private final Sessions sessions;
  private final SqlErrors errors;
  private final TypeMapping types;
  private final SqlBuilder sql;

  protected ComposedDialect(
      Sessions sessions, SqlErrors errors, TypeMapping types, SqlBuilder sql) {
    this.sessions = Objects.requireNonNull(sessions, "sessions is null");
    this.errors = Objects.requireNonNull(errors, "errors is null");
    this.types = Objects.requireNonNull(types, "types is null");
    this.sql = Objects.requireNonNull(sql, "sql is null");
  }

  @Override
  public Sessions sessions() {
    return sessions;
  }

  @Override
  public SqlErrors errors() {
    return errors;
  }

  @Override
  public TypeMapping types() {
    return types;
  }

  @Override
  public SqlBuilder sql() {
    return sql;
  }
}
