package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.JdbcClusterSuite;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.OptionalLong;

/**
 * {@link JdbcClusterSuite} on MariaDB: {@code jdbc:mariadb:sequential://} takes the first server
 * that answers, and LOAD DATA works through that failover connection.
 */
class MySqlClusterIT extends JdbcClusterSuite<MariaDb> {
  MySqlClusterIT() {
    super(new MySqlConnector());
  }

  @Override
  protected MariaDb openDatabase() throws Exception {
    return MariaDb.create();
  }

  /** LOAD DATA statements the server ran so far (all sessions: other tests may add to it). */
  @Override
  protected OptionalLong bulkLoads() throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_load'")) {
      rs.next();
      return OptionalLong.of(rs.getLong(2));
    }
  }
}
