package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.FerryException;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection dropped under a reader or a writer fails it at once with a retriable error: the
 * engine retries the split from its checkpoint (settings maxRetries), not the connector; errors no
 * retry can fix are not retriable.
 */
class JdbcRetryTest {
  private static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("v", DataType.STRING));

  private final H2Database db = new H2Database("retry");
  private final TestConnectorContext context = new TestConnectorContext("retry");

  @AfterEach
  void disarm() {
    FlakyDriver.failReadAfterRows.set(-1);
    FlakyDriver.failBatches.set(0);
  }

  private List<Object[]> rows(int n) {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      rows.add(new Object[] {i, "v" + i});
    }
    return rows;
  }

  private Map<String, Object> options(String table) {
    Map<String, Object> options = db.options(table);
    options.put("url", FlakyDriver.url(db));
    return options;
  }

  @Test
  void aReaderWhoseConnectionDropsFailsWithARetriableError() throws Exception {
    db.create("once", SCHEMA, "id");
    db.insert("once", SCHEMA, rows(100));
    Map<String, Object> options = options("once");
    try (Source source = Jdbc.source(new GenericJdbcConnector(), options, context)) {
      var splits = source.planner().plan(1);
      FlakyDriver.failReadAfterRows.set(10);
      FerryException e =
          catchThrowableOfType(FerryException.class, () -> Rows.readSequentially(source, splits));
      assertThat(e.code()).isEqualTo(JdbcErrors.CONNECTION);
      assertThat(e.retriable()).isTrue();
      assertThat(e.getMessage()).contains("once").contains("connection reset");
    }
  }

  @Test
  void aWriterWhoseConnectionDropsFailsAtOnceWithARetriableError() throws Exception {
    db.create("down", SCHEMA, "id");
    Map<String, Object> options = options("down");
    try (Sink sink = Jdbc.sink(new GenericJdbcConnector(), options, context)) {
      FlakyDriver.failBatches.set(10);
      FerryException e =
          catchThrowableOfType(
              FerryException.class, () -> Jdbc.writeAll(sink, SCHEMA, rows(10), 10));
      assertThat(e).as("the write fails at the first dropped connection").isNotNull();
      assertThat(e.code()).isEqualTo(JdbcErrors.CONNECTION);
      assertThat(e.retriable()).as("a lost connection pauses the run").isTrue();
      assertThat(e.getMessage()).contains("down").contains("connection reset");
      assertThat(FlakyDriver.failBatches.get()).as("one try, no retry").isEqualTo(9);
    }
  }

  @Test
  void refusedCredentialsFailAtOnceAndAreNotRetriable() throws Exception {
    db.create("guarded", SCHEMA, "id");
    Map<String, Object> options = db.options("guarded");
    options.put("user", "nobody");
    options.put("password", "wrong");
    options.put("connectTimeout", "2s");
    try (Sink sink = Jdbc.sink(new GenericJdbcConnector(), options, context)) {
      long start = System.nanoTime();
      FerryException e = catchThrowableOfType(FerryException.class, () -> sink.prepare(SCHEMA));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(e.code()).isEqualTo(JdbcErrors.AUTHENTICATION);
      assertThat(e.retriable()).isFalse();
      assertThat(e.getMessage()).doesNotContain("wrong");
      assertThat(millis).as("ms to fail: no retry (they would wait 1 + 2 + 4 s)").isLessThan(4_000);
    }
  }

  @Test
  void aMissingTableFailsAtOnceAndIsNotRetriable() throws Exception {
    Map<String, Object> options = options("nowhere");
    try (Sink sink = Jdbc.sink(new GenericJdbcConnector(), options, context)) {
      FerryException e =
          catchThrowableOfType(
              FerryException.class,
              () -> ((SinkResume.Resumable) sink.resumeModel()).reopen(SCHEMA));
      assertThat(e.code()).isEqualTo(io.ferry.spi.ErrorCode.NOT_FOUND);
      assertThat(e.retriable()).isFalse();
      assertThat(e.getMessage()).contains("nowhere");
    }
  }
}
