package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.testkit.BinlogMariaDb;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ChangeSource;
import io.ferry.spi.Connector;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.LocalFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database of its own on the test JVM's {@link BinlogMariaDb}, plain JDBC for fixtures, and the
 * connector's change source on it.
 */
final class BinlogDb implements AutoCloseable {
  final BinlogMariaDb server = BinlogMariaDb.shared();
  final String database = "cdc_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);

  BinlogDb() throws SQLException {
    sql("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(
        server.jdbcUrl(database) + "?allowMultiQueries=true", server.user(), server.password());
  }

  void sql(String... statements) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(null), server.user(), server.password());
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  /** Runs the statements in one transaction, in this database. */
  void tx(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (String statement : statements) {
        s.execute(statement);
      }
      c.commit();
    }
  }

  Map<String, Object> options(Object... more) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("host", server.host());
    o.put("port", server.port());
    o.put("database", database);
    o.put("user", server.user());
    for (int i = 0; i < more.length; i += 2) {
      o.put((String) more[i], more[i + 1]);
    }
    return o;
  }

  static ChangeSource changeSource(Map<String, Object> options, ConnectorContext context) {
    Connector.Role<ChangeSource> role = new MySqlConnector().changeSource().orElseThrow();
    return role.create(role.options().parse(options), context);
  }

  /** Polls until {@code count} events arrived (at most 20 s), then checks nothing more comes. */
  static List<ChangeEvent> read(ChangeSource.ChangeReader reader, int count) {
    List<ChangeEvent> events = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (events.size() < count && System.nanoTime() < deadline) {
      events.addAll(reader.poll(Duration.ofMillis(200)));
    }
    events.addAll(reader.poll(Duration.ofMillis(300)));
    assertThat(events).as("events read").hasSize(count);
    return events;
  }

  @Override
  public void close() throws SQLException {
    sql("DROP DATABASE IF EXISTS " + database);
  }

  /** A test context in another zone than UTC. */
  static ConnectorContext context(String job, ZoneId zone) {
    TestConnectorContext base = new TestConnectorContext(job);
    return new ConnectorContext() {
      @Override
      public String jobName() {
        return base.jobName();
      }

      @Override
      public String runKey() {
        return base.runKey();
      }

      @Override
      public ZoneId zone() {
        return zone;
      }

      @Override
      public Path workDirectory() {
        return base.workDirectory();
      }

      @Override
      public DirtyRowSink dirtyRows() {
        return base.dirtyRows();
      }

      @Override
      public LocalFiles localFiles() {
        return base.localFiles();
      }
    };
  }
}
