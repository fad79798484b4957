package io.ferry.connector.mysql;

import io.ferry.connector.jdbc.ChangeApplyChecks;
import io.ferry.connector.jdbc.JdbcTestDatabase;
import io.ferry.spi.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The change writer against the MariaDB service (ON DUPLICATE KEY UPDATE, DELETE by key). */
class MySqlChangeApplyIT extends ChangeApplyChecks {
  private static MariaDb db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = MariaDb.create();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  @Override
  protected JdbcTestDatabase db() {
    return db;
  }

  @Override
  protected Connector connector() {
    return new MySqlConnector();
  }

  @Override
  protected String createTable(String name) {
    return "CREATE TABLE " + name + " (id BIGINT PRIMARY KEY, name VARCHAR(20))";
  }
}
