package io.ferry.connector.sqlserver;

/**
 * The shared source suite against H2 in MODE=MSSQLServer (see {@link SqlServerTestDatabase} for
 * what H2 cannot stand in for).
 */
class SqlServerH2SourceSuiteTest extends SqlServerSourceSuite {
  private final SqlServerTestDatabase database = SqlServerTestDatabase.h2("sqlserver-source");

  @Override
  protected SqlServerTestDatabase database() {
    return database;
  }
}
