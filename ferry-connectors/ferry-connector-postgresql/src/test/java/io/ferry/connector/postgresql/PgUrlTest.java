package io.ferry.connector.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.jdbc.ServerAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

/** The URLs built from host or hosts, as the driver in use reads them. */
class PgUrlTest {
  private final PgDialect dialect = new PgDialect();

  private static List<ServerAddress> servers(String... entries) {
    return Arrays.stream(entries).map(ServerAddress::parse).toList();
  }

  @Test
  void oneHostWithTheDefaultPortOrItsOwnIpv6InBrackets() {
    assertThat(dialect.sessions().url("db1", OptionalInt.empty(), "sales"))
        .isEqualTo("jdbc:postgresql://db1:5432/sales");
    assertThat(dialect.sessions().url("::1", OptionalInt.of(6432), null))
        .isEqualTo("jdbc:postgresql://[::1]:6432/");
    assertThat(dialect.sessions().url("db1", OptionalInt.empty(), "a b/c"))
        .isEqualTo("jdbc:postgresql://db1:5432/a+b%2Fc");
  }

  @Test
  void hostsAreAMultiHostUrlInTheOrderGiven() {
    String url =
        dialect
            .sessions()
            .clusterUrl(servers("db1", "[2001:db8::7]:6432", "db3:5433"), "sales")
            .orElseThrow();
    assertThat(url).isEqualTo("jdbc:postgresql://db1:5432,[2001:db8::7]:6432,db3:5433/sales");
    Properties parsed = Driver.parseURL(url, null);
    assertThat(parsed.getProperty("PGHOST")).isEqualTo("db1,[2001:db8::7],db3");
    assertThat(parsed.getProperty("PGPORT")).isEqualTo("5432,6432,5433");
    assertThat(parsed.getProperty("PGDBNAME")).isEqualTo("sales");
  }

  @Test
  void clustersConnectToThePrimaryUnlessPropertiesSayOtherwise() {
    assertThat(dialect.sessions().clusterProperties(servers("a", "b")))
        .containsExactly(java.util.Map.entry("targetServerType", "primary"));
  }

  @Test
  void theDriverWaitsConnectTimeoutForEachServerInWholeSeconds() {
    assertThat(dialect.sessions().connectTimeoutProperties(Duration.ofSeconds(10)))
        .containsEntry("connectTimeout", "10");
    assertThat(dialect.sessions().connectTimeoutProperties(Duration.ofMillis(400)))
        .containsEntry("connectTimeout", "1");
  }
}
