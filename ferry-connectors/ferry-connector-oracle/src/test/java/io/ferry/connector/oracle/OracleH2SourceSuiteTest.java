package io.ferry.connector.oracle;

/** The shared source suite against H2 in MODE=Oracle (see {@link OracleTestDatabase} for gaps). */
class OracleH2SourceSuiteTest extends OracleSourceSuite {
  private final OracleTestDatabase database = OracleTestDatabase.h2("oracle-source");

  @Override
  protected OracleTestDatabase database() {
    return database;
  }
}
