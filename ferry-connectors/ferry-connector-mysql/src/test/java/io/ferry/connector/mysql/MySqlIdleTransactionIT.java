package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The second half of a run's write fence on a real MariaDB: a transaction of a sink session left
 * idle past the limit (its process frozen between the fence check and the commit) is aborted by the
 * server, so its commit fails and its rows never appear.
 */
class MySqlIdleTransactionIT {
  private static MariaDb db;

  @BeforeAll
  static void createDatabase() throws Exception {
    db = MariaDb.create();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE fenced (id INT PRIMARY KEY) ENGINE=InnoDB");
    }
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    db.close();
  }

  @Test
  void aTransactionIdleLongerThanTheLimitIsAbortedAndCommitsNothing() throws Exception {
    MySqlSessions sessions = new MySqlSessions(ZoneOffset.UTC);
    try (Connection c = db.connect()) {
      sessions.limitIdleTransactions(c, Duration.ofMillis(1_500));
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO fenced VALUES (1)");
      }
      Thread.sleep(3_500);
      assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
    }
    assertThat(count()).isZero();
    // A transaction that commits within the limit is untouched.
    try (Connection c = db.connect()) {
      sessions.limitIdleTransactions(c, Duration.ofMillis(1_500));
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
