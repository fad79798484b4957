package io.ferry.connector.jdbc;

/**
 * Standard SQL through any JDBC 4.2 driver on the class path: every {@link Dialect} default, no URL
 * building, no upsert or replace, no bulk path, no snapshot. Row estimates by {@code COUNT(*)}.
 */
public class GenericDialect implements Dialect {
  @Override
  public String name() {
    return "generic";
  }
}
