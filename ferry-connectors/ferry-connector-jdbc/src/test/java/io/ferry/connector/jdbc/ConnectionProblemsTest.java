package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.LocalFiles;
import io.ferry.spi.OptionProblem;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which option each kind of connection failure is attached to, and what its message says. */
class ConnectionProblemsTest {
  private static final Dialect DIALECT = new ConnectionSettingsTest.UrlDialect(true);

  private static ConnectionSettings settings(Object... keysAndValues) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("user", "etl");
    o.put("password", "Secret-123");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      o.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return ConnectionSettings.of(
        JdbcOptions.catalogOptions(DIALECT).parse(o), DIALECT, LocalFiles.unrestricted());
  }

  private static final ConnectionSettings HOST = settings("host", "db1", "database", "sales");
  private static final ConnectionSettings HOST_PORT =
      settings("host", "db1", "port", 7, "database", "sales");
  private static final ConnectionSettings HOSTS =
      settings("hosts", List.of("db1", "db2"), "database", "sales");
  private static final ConnectionSettings URL =
      settings("url", "jdbc:test://db1/sales?password=Secret-123");

  private static SQLException error(String state, int code, String message, Throwable cause) {
    return new SQLException(message, state, code, cause);
  }

  private static String option(SQLException e, ConnectionSettings settings) {
    return ConnectionProblems.connecting(DIALECT, e, settings).option();
  }

  @Test
  void refusedLoginsAreTheUsers() {
    for (SQLException e :
        List.of(
            error("28P01", 0, "password authentication failed for user \"etl\"", null),
            error("28000", 0, "role \"etl\" is not permitted to log in", null))) {
      OptionProblem p = ConnectionProblems.connecting(DIALECT, e, HOST);
      assertThat(p.option()).isEqualTo("user");
      assertThat(p.message()).contains("login to jdbc:test://db1:1000/sales as etl refused");
      assertThat(option(e, URL)).as("url holds no user").isEqualTo("user");
    }
  }

  @Test
  void anUnknownDatabaseIsTheDatabasesOrTheUrls() {
    SQLException e = error("3D000", 0, "FATAL: database \"sales\" does not exist", null);
    OptionProblem p = ConnectionProblems.connecting(DIALECT, e, HOST);
    assertThat(p.option()).isEqualTo("database");
    assertThat(p.message())
        .contains("no such database")
        .contains("jdbc:test://db1:1000/sales")
        .contains("database \"sales\" does not exist");
    assertThat(option(e, HOSTS)).isEqualTo("database");
    assertThat(option(e, URL)).isEqualTo("url");
  }

  @Test
  void aRefusedConnectionIsThePortsWhenOneWasGivenElseTheServers() {
    SQLException e =
        error(
            "08001", 0, "Connection to db1:7 refused.", new ConnectException("Connection refused"));
    assertThat(option(e, HOST_PORT)).isEqualTo("port");
    assertThat(option(e, HOST)).isEqualTo("host");
    assertThat(option(e, HOSTS)).isEqualTo("hosts");
    assertThat(option(e, URL)).isEqualTo("url");
    assertThat(ConnectionProblems.connecting(DIALECT, e, HOSTS).message())
        .contains("cannot connect to jdbc:test:cluster://db1:1000,db2:1000/sales as etl")
        .contains("refused");
  }

  @Test
  void anUnreachableServerIsTheServersNamingTheNetworkCause() {
    SQLException unknown =
        error("08001", 0, "The connection attempt failed.", new UnknownHostException("db1"));
    OptionProblem p = ConnectionProblems.connecting(DIALECT, unknown, HOST_PORT);
    assertThat(p.option()).as("not the port: the host is unknown").isEqualTo("host");
    assertThat(p.message()).contains("The connection attempt failed. (UnknownHostException: db1)");
    SQLException timeout =
        new SQLTransientConnectionException(
            "pool timed out", null, new SocketTimeoutException("connect timed out"));
    assertThat(option(timeout, HOSTS)).isEqualTo("hosts");
    assertThat(option(error("08006", 0, "I/O error", null), URL)).isEqualTo("url");
  }

  @Test
  void whileInspectingARefusedStatementIsTheObjectsAndALostConnectionTheServers() {
    SQLException denied = error("42501", 0, "permission denied for table orders", null);
    OptionProblem p = ConnectionProblems.inspecting(DIALECT, denied, HOST, "table");
    assertThat(p.option()).isEqualTo("table");
    assertThat(p.message()).contains("permission denied for table orders").contains("db1");
    assertThat(
            ConnectionProblems.inspecting(DIALECT, error("08006", 0, "gone", null), HOST, "table")
                .option())
        .isEqualTo("host");
    assertThat(ConnectionProblems.option(DIALECT, denied, HOST)).isNull();
    assertThat(option(denied, HOST)).as("while connecting: the server's").isEqualTo("host");
  }

  @Test
  void messagesNeverShowThePassword() {
    SQLException e = error("28P01", 0, "login with password Secret-123 refused", null);
    for (ConnectionSettings s : List.of(HOST, URL)) {
      assertThat(ConnectionProblems.connecting(DIALECT, e, s).message())
          .doesNotContain("Secret-123")
          .contains("****");
    }
    assertThat(JdbcErrors.translate(DIALECT, e, URL, "listing schemas").getMessage())
        .doesNotContain("Secret-123");
  }

  @Test
  void anUnavailableDatabaseIsNeverRetriedEvenWhenAPoolCallsItTransient() {
    SQLException pooled =
        new SQLTransientConnectionException(
            "Connection is not available", null, error("3D000", 0, "no database", null));
    assertThat(DIALECT.errors().isRetriable(pooled)).isFalse();
    assertThat(JdbcErrors.translate(DIALECT, pooled, HOST, "listing schemas").retriable())
        .isFalse();
    assertThat(DIALECT.errors().isRetriable(new SQLTransientConnectionException("timed out")))
        .isTrue();
  }

  @Test
  void translatedErrorsNameTheOptionAtFaultWhenItIsTheConnections() {
    assertThat(
            JdbcErrors.translate(
                    DIALECT, error("3D000", 0, "no database", null), HOST, "listing schemas")
                .option())
        .isEqualTo("database");
    assertThat(
            JdbcErrors.translate(DIALECT, error("42601", 0, "syntax", null), HOST, "reading")
                .option())
        .isNull();
  }
}
