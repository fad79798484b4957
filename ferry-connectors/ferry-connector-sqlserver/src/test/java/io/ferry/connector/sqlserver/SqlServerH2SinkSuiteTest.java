package io.ferry.connector.sqlserver;

/**
 * The shared sink suite against H2 in MODE=MSSQLServer (see {@link SqlServerTestDatabase} for what
 * H2 cannot stand in for).
 */
class SqlServerH2SinkSuiteTest extends SqlServerSinkSuite {
  private final SqlServerTestDatabase database = SqlServerTestDatabase.h2("sqlserver-sink");

  @Override
  protected SqlServerTestDatabase database() {
    return database;
  }
}
