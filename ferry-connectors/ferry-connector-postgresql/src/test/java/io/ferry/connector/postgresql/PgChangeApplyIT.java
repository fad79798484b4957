package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.ChangeApplyChecks;
import io.ferry.connector.jdbc.JdbcTestDatabase;
import io.ferry.spi.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The change writer against the PostgreSQL service (INSERT ... ON CONFLICT, DELETE by key). */
class PgChangeApplyIT extends ChangeApplyChecks {
  private static PgTestDatabase db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = new PgTestDatabase();
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
    return new PostgresConnector();
  }

  @Override
  protected String createTable(String name) {
    return "CREATE TABLE " + name + " (id bigint PRIMARY KEY, name varchar(20))";
  }
}
