package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** url, host or hosts: the URL and driver properties built, and the option problems. */
class ConnectionSettingsTest {
  /** Builds {@code jdbc:test://} URLs, default port 1000; cluster URLs only when asked. */
  static final class UrlDialect extends GenericDialect {
    private final boolean clusters;

    UrlDialect(boolean clusters) {
      this.clusters = clusters;
    }

    @Override
    public String name() {
      return "test";
    }

    @Override
    public Sessions sessions() {
      return new Sessions() {
        @Override
        public boolean buildsUrls() {
          return true;
        }

        @Override
        public String url(String host, OptionalInt port, String database) {
          return "jdbc:test://" + ServerAddress.of(host, port).toUrlPart(1000) + "/" + database;
        }

        @Override
        public Optional<String> clusterUrl(List<ServerAddress> servers, String database) {
          return clusters
              ? Optional.of(
                  "jdbc:test:cluster://" + ServerAddress.toUrlPart(servers, 1000) + "/" + database)
              : Optional.empty();
        }

        @Override
        public Map<String, String> clusterProperties(List<ServerAddress> servers) {
          return Map.of("pick", "primary", "servers", String.valueOf(servers.size()));
        }

        @Override
        public Map<String, String> connectTimeoutProperties(Duration connectTimeout) {
          return Map.of("timeoutMs", String.valueOf(connectTimeout.toMillis()));
        }
      };
    }
  }

  private static ConnectionSettings settings(Dialect dialect, Map<String, Object> raw) {
    Options options = JdbcOptions.catalogOptions(dialect).parse(raw);
    return ConnectionSettings.of(options, dialect, LocalFiles.unrestricted());
  }

  private static Map<String, Object> options(Object... keysAndValues) {
    Map<String, Object> o = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      o.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return o;
  }

  private static List<OptionProblem> problems(Dialect dialect, Map<String, Object> raw) {
    InvalidOptionsException e =
        catchThrowableOfType(InvalidOptionsException.class, () -> settings(dialect, raw));
    assertThat(e).as("an option problem").isNotNull();
    return e.problems();
  }

  @Test
  void hostsBuildTheClusterUrlInOrderWithPortAsTheDefaultOfEntriesWithoutOne() {
    ConnectionSettings s =
        settings(
            new UrlDialect(true),
            options(
                "hosts",
                List.of("db1", "db2:2000", "[::1]", "[2001:db8::7]:3000"),
                "port",
                1500,
                "database",
                "sales"));
    assertThat(s.url())
        .isEqualTo("jdbc:test:cluster://db1:1500,db2:2000,[::1]:1500,[2001:db8::7]:3000/sales");
    assertThat(s.serverOption()).isEqualTo("hosts");
    assertThat(s.portOption()).isEqualTo("hosts");
    assertThat(s.databaseOption()).isEqualTo("database");

    assertThat(settings(new UrlDialect(true), options("hosts", "db1, db2", "database", "d")).url())
        .as("a comma-separated string, the dialect's default port")
        .isEqualTo("jdbc:test:cluster://db1:1000,db2:1000/d");
  }

  @Test
  void hostsAddTheClusterPropertiesAndShareTheConnectTimeoutUnderTheUsersProperties() {
    ConnectionSettings s =
        settings(
            new UrlDialect(true),
            options(
                "hosts", List.of("a", "b", "c", "d"),
                "connectTimeout", "8s",
                "properties", Map.of("pick", "any")));
    assertThat(s.properties())
        .containsEntry("pick", "any")
        .containsEntry("servers", "4")
        .containsEntry("timeoutMs", "2000");
    assertThat(s.connectTimeout()).as("the pool and check still wait 8s").hasSeconds(8);

    assertThat(
            settings(
                    new UrlDialect(true),
                    options("hosts", List.of("a", "b"), "connectTimeout", "300ms"))
                .properties())
        .as("never less than 250ms a server")
        .containsEntry("timeoutMs", "250");
  }

  @Test
  void hostGivesTheSingleServerUrlWithoutClusterProperties() {
    ConnectionSettings s =
        settings(new UrlDialect(true), options("host", "::1", "database", "sales"));
    assertThat(s.url()).isEqualTo("jdbc:test://[::1]:1000/sales");
    assertThat(s.properties()).containsEntry("timeoutMs", "10000").doesNotContainKey("pick");
    assertThat(s.serverOption()).isEqualTo("host");
    assertThat(s.portOption()).as("no port given: the host is at fault").isEqualTo("host");
    assertThat(settings(new UrlDialect(true), options("host", "h", "port", 5)).portOption())
        .isEqualTo("port");
  }

  @Test
  void urlTakesPrecedenceAndIsTheOptionOfEveryConnectionFault() {
    ConnectionSettings s =
        settings(
            new UrlDialect(true),
            options("url", "jdbc:test://x/y", "hosts", List.of("a", "b"), "port", 3));
    assertThat(s.url()).isEqualTo("jdbc:test://x/y");
    assertThat(List.of(s.serverOption(), s.portOption(), s.databaseOption())).containsOnly("url");
  }

  @Test
  void hostAndHostsTogetherAreAProblemOnBoth() {
    List<OptionProblem> problems =
        problems(new UrlDialect(true), options("host", "a", "hosts", List.of("b", "c")));
    assertThat(problems).extracting(OptionProblem::option).containsExactly("host", "hosts");
    assertThat(problems.get(0).message()).contains("not both");
  }

  @Test
  void hostsWhereTheDialectHasNoClusterUrlIsAProblemOnHostsSayingToGiveUrl() {
    List<OptionProblem> problems =
        problems(new UrlDialect(false), options("hosts", List.of("a", "b"), "database", "d"));
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.option()).isEqualTo("hosts"));
    assertThat(problems.get(0).message()).contains("test connector").contains("give url");
  }

  @Test
  void noServerIsAProblemOnUrlNamingTheAlternatives() {
    List<OptionProblem> problems = problems(new UrlDialect(true), options("database", "d"));
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.option()).isEqualTo("url"));
    assertThat(problems.get(0).message()).contains("host").contains("hosts");
  }

  @Test
  void badEntriesOfHostsAreProblemsOnHostsWhenParsed() {
    InvalidOptionsException e =
        catchThrowableOfType(
            InvalidOptionsException.class,
            () ->
                JdbcOptions.sourceOptions(new UrlDialect(true))
                    .parse(options("hosts", List.of("db1", "::1"), "table", "t")));
    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.option()).isEqualTo("hosts"))
        .satisfies(p -> assertThat(p.message()).contains("brackets"));
    e =
        catchThrowableOfType(
            InvalidOptionsException.class,
            () ->
                JdbcOptions.sourceOptions(new UrlDialect(true)).parse(options("hosts", List.of())));
    assertThat(e.problems().get(0).message()).contains("at least one server");
  }

  @Test
  void theGenericConnectorHasNoHostOptions() {
    assertThat(JdbcOptions.catalogOptions(new GenericDialect()).option("hosts")).isNull();
    assertThat(JdbcOptions.catalogOptions(new UrlDialect(false)).option("hosts")).isNotNull();
  }
}
