package io.ferry.connector.oracle;

/** {@link OracleWriteFlows} against H2 in MODE=Oracle. */
class OracleWriteTest extends OracleWriteFlows {
  private final OracleTestDatabase database = OracleTestDatabase.h2("oracle-write");

  @Override
  protected OracleTestDatabase database() {
    return database;
  }
}
