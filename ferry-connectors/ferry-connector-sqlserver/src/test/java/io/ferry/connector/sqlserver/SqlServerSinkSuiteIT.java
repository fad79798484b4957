package io.ferry.connector.sqlserver;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The shared sink suite against the real SQL Server of FERRY_SQLSERVER_URL. */
@EnabledIfEnvironmentVariable(
    named = SqlServerTestDatabase.URL_VARIABLE,
    matches = ".+",
    disabledReason =
        "set FERRY_SQLSERVER_URL (and FERRY_SQLSERVER_USER, FERRY_SQLSERVER_PASSWORD) to a real"
            + " SQL Server")
class SqlServerSinkSuiteIT extends SqlServerSinkSuite {
  private final SqlServerTestDatabase database = SqlServerTestDatabase.fromEnvironment();

  @Override
  protected SqlServerTestDatabase database() {
    return database;
  }
}
