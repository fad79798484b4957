package io.ferry.connector.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which SQL Server errors Ferry retries, reports as bad credentials, or replays row by row. */
class SqlServerErrorsTest {
  private final SqlServerDialect dialect = new SqlServerDialect();

  private static SQLException error(int code, String state) {
    return new SQLException("Msg " + code, state, code);
  }

  @Test
  void retriesLostConnectionsDeadlockVictimsAndAzureTransients() {
    assertThat(dialect.errors().isRetriable(error(0, "08S01"))).as("08S01").isTrue();
    assertThat(dialect.errors().isRetriable(error(0, "08006"))).isTrue();
    assertThat(dialect.errors().isRetriable(error(1205, "40001"))).as("deadlock victim").isTrue();
    assertThat(dialect.errors().isRetriable(error(1205, "S0001"))).isTrue();
    for (int code : new int[] {40613, 40197, 40501, 49918, 10928}) {
      assertThat(dialect.errors().isRetriable(error(code, "S0001"))).as("Azure %d", code).isTrue();
    }
  }

  @Test
  void neverRetriesFailedLoginsOrMissingObjects() {
    assertThat(dialect.errors().isRetriable(error(18456, "S0001"))).as("login failed").isFalse();
    assertThat(dialect.errors().isAuthenticationFailure(error(18456, "S0001"))).isTrue();
    assertThat(dialect.errors().isAuthenticationFailure(error(18456, "28000"))).isTrue();
    assertThat(dialect.errors().isRetriable(error(208, "S0002")))
        .as("invalid object name")
        .isFalse();
    assertThat(dialect.errors().isAuthenticationFailure(error(208, "S0002"))).isFalse();
    assertThat(dialect.errors().isRetriable(error(207, "S0001")))
        .as("invalid column name")
        .isFalse();
  }

  @Test
  void rowDataErrorsAreReplayedRowByRow() {
    for (int code : new int[] {2627, 2601, 515, 8152, 2628, 8115, 245, 547, 4815}) {
      assertThat(dialect.errors().isDataError(error(code, "S0001"))).as("error %d", code).isTrue();
    }
    assertThat(dialect.errors().isDataError(error(208, "S0002"))).isFalse();
    BatchUpdateException batch = new BatchUpdateException("batch", new int[0]);
    batch.setNextException(error(2627, "23000"));
    assertThat(dialect.errors().isDataError(batch)).isTrue();
  }
}
