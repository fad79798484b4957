package io.ferry.connector.oracle;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The shared sink suite against the real Oracle server of FERRY_ORACLE_URL. */
@EnabledIfEnvironmentVariable(
    named = OracleTestDatabase.URL_VARIABLE,
    matches = ".+",
    disabledReason =
        "set FERRY_ORACLE_URL (and FERRY_ORACLE_USER, FERRY_ORACLE_PASSWORD) to a real Oracle server")
class OracleSinkSuiteIT extends OracleSinkSuite {
  private final OracleTestDatabase database = OracleTestDatabase.fromEnvironment();

  @Override
  protected OracleTestDatabase database() {
    return database;
  }
}
