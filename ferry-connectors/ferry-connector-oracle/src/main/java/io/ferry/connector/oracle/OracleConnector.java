package io.ferry.connector.oracle;

import io.ferry.connector.jdbc.JdbcConnector;

/** The {@code oracle} connector: Oracle tables through the shared JDBC base. */
public final class OracleConnector extends JdbcConnector {
  public OracleConnector() {
    super(new OracleDialect());
  }

  /** A connector whose dialect sets sessions up differently: tests against a stand-in. */
  OracleConnector(OracleDialect dialect) {
    super(dialect);
  }

  @Override
  public String name() {
    return "oracle";
  }

  @Override
  public String description() {
    return "Reads and writes Oracle tables: key-range splits, array DML inserts, MERGE upserts.";
  }
}
