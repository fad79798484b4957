package io.ferry.connector.oracle;

/** The shared sink suite against H2 in MODE=Oracle (see {@link OracleTestDatabase} for gaps). */
class OracleH2SinkSuiteTest extends OracleSinkSuite {
  private final OracleTestDatabase database = OracleTestDatabase.h2("oracle-sink");

  @Override
  protected OracleTestDatabase database() {
    return database;
  }
}
