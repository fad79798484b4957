package io.ferry.connector.jdbc;

import io.ferry.spi.WriteFence;
import java.sql.Connection;
import java.sql.SQLException;

/** Commits a sink's transaction only when the run's {@link WriteFence} allows it. */
public final class FencedCommit {
  private FencedCommit() {}

  /**
   * Checks the fence, then commits. When the fence refuses, rolls the transaction back and throws
   * the fence's error: this process no longer holds the run, so what it wrote must not land.
   */
  public static void commit(Connection connection, WriteFence fence) throws SQLException {
    try {
      fence.check();
    } catch (RuntimeException refused) {
      try {
        connection.rollback();
      } catch (SQLException e) {
        refused.addSuppressed(e);
      }
      throw refused;
    }
    connection.commit();
  }
}
