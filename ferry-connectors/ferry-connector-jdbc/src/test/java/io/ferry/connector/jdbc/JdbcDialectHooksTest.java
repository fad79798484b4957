package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Catalog;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The dialect hooks added for dialect modules, each through the base on H2. */
class JdbcDialectHooksTest {
  private static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("v", DataType.STRING));

  private final H2Database db = new H2Database("hooks");
  private final TestConnectorContext context = new TestConnectorContext("hooks");

  /** A connector around a generic dialect the test adjusts. */
  private static JdbcConnector connector(Dialect dialect) {
    return new JdbcConnector(dialect) {
      @Override
      public String name() {
        return "h2-hooks";
      }

      @Override
      public String description() {
        return "H2 with adjusted dialect hooks, for tests of the JDBC base.";
      }
    };
  }

  private static List<Object[]> rows(int n) {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      rows.add(new Object[] {i, "v" + i});
    }
    return rows;
  }

  @Test
  void aValueTheDriverCannotDecodeIsADirtyRowKeepingTheOtherValues() throws Exception {
    db.create("dates", SCHEMA, "id");
    List<Object[]> rows = rows(10);
    rows.get(4)[1] = "2024-00-10";
    db.insert("dates", SCHEMA, rows);
    Dialect dialect =
        new GenericDialect() {
          @Override
          public TypeMapping types() {
            return new TypeMapping() {
              @Override
              public ColumnMapping toColumnMapping(JdbcColumn column) {
                ColumnMapping standard = StandardColumnMappings.columnMapping(column);
                return new ColumnMapping(
                    standard.type(),
                    (rs, i) -> {
                      Object v = standard.reader().read(rs, i);
                      if ("2024-00-10".equals(v)) {
                        // What MariaDB Connector/J throws for a zero month in the binary protocol.
                        throw new DateTimeException("Invalid value for MonthOfYear: 0");
                      }
                      return v;
                    });
              }
            };
          }
        };
    Map<String, Object> options = db.options("dates");
    try (Source source = Jdbc.source(connector(dialect), options, context)) {
      List<Object[]> read = Rows.readSequentially(source, source.planner().plan(1));
      List<Object[]> expected = new ArrayList<>(rows);
      expected.remove(4);
      Rows.assertRowsEqual(SCHEMA, read, expected);
    }
    assertThat(context.dirtyRows().rows()).hasSize(1);
    DirtyRow dirty = context.dirtyRows().rows().get(0);
    assertThat(dirty.column()).isEqualTo("v");
    assertThat(dirty.reason()).contains("MonthOfYear");
    assertThat(dirty.row()).containsEntry("id", 5L);
    assertThat(dirty.location()).contains("dates").contains("id=5");
  }

  @Test
  void snapshotConnectionsAreNeverCommittedRolledBackOrReconfiguredByReaders() throws Exception {
    db.create("snap", SCHEMA, "id");
    List<Object[]> rows = rows(200);
    db.insert("snap", SCHEMA, rows);
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    Dialect dialect =
        new GenericDialect() {
          @Override
          public boolean supportsSnapshot() {
            return true;
          }

          @Override
          public ReadSnapshot snapshot(DataSource connections, int readers) {
            return new ReadSnapshot() {
              @Override
              public Connection connection() throws SQLException {
                Connection real = connections.getConnection();
                real.setAutoCommit(false);
                return recording(real, calls);
              }

              @Override
              public void close() {}
            };
          }

          /** A careless dialect: the guard must keep this from reaching the snapshot. */
          @Override
          public void prepareStreaming(Connection connection, Statement statement, int fetchSize)
              throws SQLException {
            connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            connection.commit();
            super.prepareStreaming(connection, statement, fetchSize);
          }
        };
    Map<String, Object> options = db.options("snap");
    options.put("snapshot", true);
    options.put("batchSize", 16);
    try (Source source = Jdbc.source(connector(dialect), options, context)) {
      List<Split> splits = source.planner().plan(1);
      assertThat(splits).hasSizeGreaterThan(1);
      Rows.assertRowsEqual(SCHEMA, Rows.readSequentially(source, splits), rows);
      assertThat(calls)
          .as("calls on snapshot connections")
          .doesNotContain("commit", "rollback", "setTransactionIsolation", "setAutoCommit");
      assertThat(calls.stream().filter("close"::equals).count())
          .as("one connection per split, closed when the split is done")
          .isEqualTo(splits.size());
    }
  }

  private static Connection recording(Connection real, List<String> calls) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              calls.add(method.getName());
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void refinedColumnsDecideTheFerryTypesOfSourceSinkAndCatalog() throws Exception {
    db.execute("CREATE TABLE docs (id BIGINT PRIMARY KEY, doc VARCHAR(1000))");
    db.execute("INSERT INTO docs VALUES (1, '{\"a\": 1}')");
    Dialect dialect =
        new GenericDialect() {
          @Override
          public TypeMapping types() {
            return new TypeMapping() {
              @Override
              public List<JdbcColumn> refineColumns(
                  Connection connection, TableRef table, List<JdbcColumn> columns) {
                return columns.stream()
                    .map(
                        c ->
                            c.name().equals("DOC")
                                ? new JdbcColumn(
                                    c.name(),
                                    c.sqlType(),
                                    "JSON",
                                    c.precision(),
                                    c.scale(),
                                    c.nullable(),
                                    c.unsigned())
                                : c)
                    .toList();
              }
            };
          }
        };
    try (Source source = Jdbc.source(connector(dialect), db.options("docs"), context)) {
      assertThat(source.schema().column(1).type()).isEqualTo(DataType.JSON);
      List<Object[]> read = Rows.readSequentially(source, source.planner().plan(1));
      assertThat(read.get(0)[1]).isEqualTo("{\"a\": 1}");
    }
    try (Catalog catalog = Jdbc.catalog(connector(dialect), Map.of("url", db.url), context)) {
      assertThat(catalog.table(new TableRef(null, "docs")).columns().get(1).type())
          .isEqualTo(DataType.JSON);
    }
    try (var sink = Jdbc.sink(connector(dialect), db.options("docs"), context)) {
      assertThat(sink.targetSchema().orElseThrow().column(1).type()).isEqualTo(DataType.JSON);
    }
  }

  @Test
  void theConnectTimeoutReachesTheDriverUnderTheUsersProperties() {
    Dialect dialect =
        new GenericDialect() {
          @Override
          public Sessions sessions() {
            return new Sessions() {
              @Override
              public Map<String, String> driverProperties() {
                return Map.of("socketTimeout", "0", "connectTimeout", "1");
              }

              @Override
              public Map<String, String> connectTimeoutProperties(Duration timeout) {
                return Map.of(
                    "connectTimeout", String.valueOf(timeout.toMillis()),
                    "loginTimeout", String.valueOf(timeout.toSeconds()));
              }
            };
          }
        };
    Map<String, Object> raw = new HashMap<>(db.options("t"));
    raw.put("connectTimeout", "3s");
    raw.put("properties", Map.of("loginTimeout", "7"));
    Options options = connector(dialect).source().orElseThrow().options().parse(raw);
    ConnectionSettings settings =
        ConnectionSettings.of(options, dialect, LocalFiles.unrestricted());
    assertThat(settings.properties())
        .containsEntry("connectTimeout", "3000")
        .containsEntry("loginTimeout", "7")
        .containsEntry("socketTimeout", "0");
  }

  @Test
  void configureGetsTheContextAndItsZone() {
    AtomicReference<ZoneId> seen = new AtomicReference<>();
    Dialect dialect =
        new GenericDialect() {
          @Override
          public Dialect configure(Options options, ConnectorContext context) {
            seen.set(context.zone());
            return this;
          }
        };
    try (Source source = Jdbc.source(connector(dialect), db.options("t"), context)) {
      assertThat(seen.get()).isEqualTo(context.zone());
    }
  }

  @Test
  void aRowBufferForBulkWriterTestsHoldsTheGivenRows() {
    RowBuffer buffer = RowBuffer.of(2, List.of(new Object[] {1L, "a"}, new Object[] {2L, null}));
    assertThat(buffer.size()).isEqualTo(2);
    assertThat(buffer.arity()).isEqualTo(2);
    assertThat(buffer.get(0, 1)).isEqualTo("a");
    assertThat(buffer.get(1, 0)).isEqualTo(2L);
    assertThat(buffer.get(1, 1)).isNull();
    Function<Object[], RowBuffer> wrongArity = row -> RowBuffer.of(2, List.<Object[]>of(row));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> wrongArity.apply(new Object[] {1L}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 values");
  }
}
