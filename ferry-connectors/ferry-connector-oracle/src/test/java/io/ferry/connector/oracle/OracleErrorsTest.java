package io.ferry.connector.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import org.junit.jupiter.api.Test;

/** Which ORA- errors Ferry retries, reports as bad credentials, or replays row by row. */
class OracleErrorsTest {
  private final OracleDialect dialect = new OracleDialect();

  private static SQLException ora(int code, String state) {
    return new SQLException(String.format("ORA-%05d: something", code), state, code);
  }

  @Test
  void retriesLostConnectionsListenersAndDeadlocks() {
    for (int code : new int[] {3113, 3114, 12541, 12514, 60, 8177, 17002}) {
      assertThat(dialect.errors().isRetriable(ora(code, "61000"))).as("ORA-%05d", code).isTrue();
    }
    assertThat(dialect.errors().isRetriable(new SQLException("broken", "08006"))).isTrue();
    assertThat(dialect.errors().isRetriable(new SQLRecoverableException("IO Error", null, 17002)))
        .isTrue();
  }

  @Test
  void neverRetriesBadCredentialsOrMissingObjects() {
    assertThat(dialect.errors().isRetriable(ora(1017, "72000"))).as("ORA-01017").isFalse();
    assertThat(dialect.errors().isAuthenticationFailure(ora(1017, "72000"))).isTrue();
    assertThat(dialect.errors().isAuthenticationFailure(ora(28000, "99999"))).as("locked").isTrue();
    assertThat(dialect.errors().isRetriable(ora(942, "42000"))).as("ORA-00942").isFalse();
    assertThat(dialect.errors().isAuthenticationFailure(ora(942, "42000"))).isFalse();
    assertThat(dialect.errors().isRetriable(ora(904, "42000"))).as("ORA-00904").isFalse();
    // Even a recoverable exception type does not make bad credentials retriable.
    assertThat(
            dialect.errors().isRetriable(new SQLRecoverableException("ORA-01017", "72000", 1017)))
        .isFalse();
  }

  @Test
  void rowDataErrorsAreReplayedRowByRow() {
    for (int code : new int[] {1, 1400, 12899, 1438, 1722, 1861, 2290}) {
      assertThat(dialect.errors().isDataError(ora(code, "72000"))).as("ORA-%05d", code).isTrue();
    }
    assertThat(dialect.errors().isDataError(ora(3113, "08006"))).isFalse();
    assertThat(dialect.errors().isDataError(ora(942, "42000"))).isFalse();
  }

  @Test
  void looksThroughBatchFailures() {
    BatchUpdateException batch = new BatchUpdateException("batch failed", new int[0]);
    batch.setNextException(ora(12899, "72000"));
    assertThat(dialect.errors().isDataError(batch)).isTrue();
    SQLException wrapped = new SQLException("pool", "08003", ora(3113, "08006"));
    assertThat(dialect.errors().isRetriable(wrapped)).isTrue();
  }
}
