package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The second half of a run's write fence on a real server: a transaction of a sink session left
 * idle past the limit (its process frozen between the fence check and the commit) is aborted by
 * PostgreSQL, so its commit fails and its rows never appear.
 */
class PgIdleTransactionIT {
  private static PgTestDatabase db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = new PgTestDatabase();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE fenced (id INT PRIMARY KEY)");
    }
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  @Test
  void aTransactionIdleLongerThanTheLimitIsAbortedAndCommitsNothing() throws Exception {
    try (Connection c = db.connect()) {
      PgSessions.INSTANCE.limitIdleTransactions(c, Duration.ofSeconds(1));
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO fenced VALUES (1)");
      }
      Thread.sleep(2_500);
      assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
    }
    assertThat(count()).isZero();
    // A transaction that commits within the limit is untouched.
    try (Connection c = db.connect()) {
      PgSessions.INSTANCE.limitIdleTransactions(c, Duration.ofSeconds(1));
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO fenced VALUES (2)");
      }
      c.commit();
    }
    assertThat(count()).isEqualTo(1);
  }

  private static int count() throws SQLException {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM fenced")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
