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

/** A connection dropped under a reader or a writer is retried: no row lost, none repeated. */
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
    options.put("retryBackoff", "10ms");
    return options;
  }

  @Test
  void keyedReaderReconnectsAfterTheLastKeyRead() throws Exception {
    db.create("keyed", SCHEMA, "id");
    List<Object[]> rows = rows(500);
    db.insert("keyed", SCHEMA, rows);
    Map<String, Object> options = options("keyed");
    options.put("batchSize", 64);
    try (Source source = Jdbc.source(new GenericJdbcConnector(), options, context)) {
      var splits = source.planner().plan(1);
      FlakyDriver.failReadAfterRows.set(100);
      List<Object[]> read = Rows.readSequentially(source, splits);
      assertThat(FlakyDriver.failReadAfterRows.get()).as("the failure fired").isEqualTo(-1);
      Rows.assertRowsEqual(SCHEMA, read, rows);
    }
  }

  @Test
  void unkeyedReaderReconnectsAndSkipsTheRowsRead() throws Exception {
    db.create("heap", SCHEMA);
    List<Object[]> rows = rows(300);
    db.insert("heap", SCHEMA, rows);
    Map<String, Object> options = options("heap");
    options.put("batchSize", 50);
    try (Source source = Jdbc.source(new GenericJdbcConnector(), options, context)) {
      var splits = source.planner().plan(1);
      FlakyDriver.failReadAfterRows.set(120);
      List<Object[]> read = Rows.readSequentially(source, splits);
      assertThat(FlakyDriver.failReadAfterRows.get()).isEqualTo(-1);
      Rows.assertSameRows(SCHEMA, read, rows);
    }
  }

  @Test
  void readerFailsWithARetriableErrorWhenRetriesAreUsedUp() throws Exception {
    db.create("once", SCHEMA, "id");
    db.insert("once", SCHEMA, rows(100));
    Map<String, Object> options = options("once");
    options.put("maxRetries", 0);
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
  void writerReconnectsAndWritesTheUncommittedBatchAgain() throws Exception {
    db.create("target", SCHEMA, "id");
    List<Object[]> rows = rows(1000);
    Map<String, Object> options = options("target");
    options.put("batchSize", 100);
    try (Sink sink = Jdbc.sink(new GenericJdbcConnector(), options, context)) {
      assertThat(sink.check()).isEmpty();
      FlakyDriver.failBatches.set(2);
      Jdbc.writeAll(sink, SCHEMA, rows, 64);
    }
    assertThat(FlakyDriver.failBatches.get()).isZero();
    assertThat(context.dirtyRows().rows()).isEmpty();
    Rows.assertRowsEqual(SCHEMA, db.read("target", SCHEMA, "id"), rows);
  }

  @Test
  void writerFailsWithARetriableConnectionErrorWhenRetriesAreUsedUp() throws Exception {
    db.create("down", SCHEMA, "id");
    Map<String, Object> options = options("down");
    options.put("maxRetries", 2);
    try (Sink sink = Jdbc.sink(new GenericJdbcConnector(), options, context)) {
      FlakyDriver.failBatches.set(10);
      FerryException e =
          catchThrowableOfType(
              FerryException.class, () -> Jdbc.writeAll(sink, SCHEMA, rows(10), 10));
      assertThat(e).as("the write fails once the retries are used up").isNotNull();
      assertThat(e.code()).isEqualTo(JdbcErrors.CONNECTION);
      assertThat(e.retriable()).as("a lost connection pauses the run").isTrue();
      assertThat(e.getMessage()).contains("down").contains("connection reset");
      assertThat(FlakyDriver.failBatches.get()).as("first try and two retries").isEqualTo(7);
    }
  }

  @Test
  void refusedCredentialsFailAtOnceAndAreNotRetriable() throws Exception {
    db.create("guarded", SCHEMA, "id");
    Map<String, Object> options = db.options("guarded");
    options.put("user", "nobody");
    options.put("password", "wrong");
    options.put("connectTimeout", "2s");
    options.put("retryBackoff", "5s");
    try (Sink sink = Jdbc.sink(new GenericJdbcConnector(), options, context)) {
      long start = System.nanoTime();
      FerryException e = catchThrowableOfType(FerryException.class, () -> sink.prepare(SCHEMA));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(e.code()).isEqualTo(JdbcErrors.AUTHENTICATION);
      assertThat(e.retriable()).isFalse();
      assertThat(e.getMessage()).doesNotContain("wrong");
      assertThat(millis).as("ms to fail: no retry with a 5 s backoff").isLessThan(4_000);
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
