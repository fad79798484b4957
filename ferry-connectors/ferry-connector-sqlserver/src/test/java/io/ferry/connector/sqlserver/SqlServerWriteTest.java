package io.ferry.connector.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ferry.connector.jdbc.BulkTarget;
import io.ferry.connector.jdbc.BulkUnavailableException;
import io.ferry.connector.jdbc.JdbcColumn;
import io.ferry.connector.jdbc.WriteMode;
import io.ferry.connector.testkit.Pipelines;
import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestDatasets;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.DataType;
import io.ferry.spi.Schema;
import java.sql.Connection;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link SqlServerWriteFlows} on H2 in MODE=MSSQLServer, plus the automatic fallback from bulk copy
 * (which H2 cannot take) to batched statements, and that it shows in the log.
 */
class SqlServerWriteTest extends SqlServerWriteFlows {
  private final SqlServerTestDatabase database = SqlServerTestDatabase.h2("sqlserver-write");

  @Override
  protected SqlServerTestDatabase database() {
    return database;
  }

  @Test
  void insertsFallBackToBatchedStatementsAndSaySoInTheLog() throws Exception {
    Logger sinkLog = (Logger) LoggerFactory.getLogger("io.ferry.connector.jdbc.JdbcSink");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    sinkLog.addAppender(appender);
    try {
      Schema schema = TestDatasets.standardSchema(t -> true);
      List<Object[]> rows = TestDatasets.standardRows(schema, 300);
      database.create("fallback", schema);
      Pipelines.write(
          new SqlServerConnector(), database.options("fallback"), context, schema, rows, 100);
      Rows.assertSameRows(schema, database.read("fallback", schema), rows);
    } finally {
      sinkLog.detachAppender(appender);
    }
    assertThat(appender.list)
        .as("what the sink logged")
        .anySatisfy(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage())
                  .contains("bulk load unavailable, writing with batched statements")
                  .contains("not made by Microsoft's SQL Server JDBC driver");
            });
  }

  private BulkTarget target(WriteMode mode) {
    return new BulkTarget(
        "[t]",
        new TableRef(null, "t"),
        List.of(new JdbcColumn("id", Types.BIGINT, "bigint", 19, 0, false, false)),
        List.of(DataType.INT64),
        mode,
        mode == WriteMode.INSERT ? List.of() : List.of("id"),
        context);
  }

  @Test
  void bulkCopyIsOfferedForInsertsOnlyAndRefusedByAStandIn() throws Exception {
    SqlServerDialect dialect = new SqlServerDialect();
    try (Connection c = database.connect()) {
      assertThat(dialect.bulkWriter(c, target(WriteMode.UPSERT))).isEmpty();
      assertThat(dialect.bulkWriter(c, target(WriteMode.REPLACE))).isEmpty();
      assertThatThrownBy(() -> dialect.bulkWriter(c, target(WriteMode.INSERT)))
          .isInstanceOf(BulkUnavailableException.class)
          .hasMessageContaining("H2");
    }
  }
}
