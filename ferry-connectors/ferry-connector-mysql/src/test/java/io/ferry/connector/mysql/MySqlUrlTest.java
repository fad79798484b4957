package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.connector.jdbc.ServerAddress;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.Configuration;
import org.mariadb.jdbc.export.HaMode;

/** The URLs built from host or hosts, as the driver in use reads them. */
class MySqlUrlTest {
  private final MySqlDialect dialect = new MySqlDialect();

  private static List<ServerAddress> servers(String... entries) {
    return java.util.Arrays.stream(entries).map(ServerAddress::parse).toList();
  }

  @Test
  void oneHostWithTheDefaultPortOrItsOwnIpv6InBrackets() {
    assertThat(dialect.sessions().url("db1", OptionalInt.empty(), "shop"))
        .isEqualTo("jdbc:mariadb://db1:3306/shop");
    assertThat(dialect.sessions().url("::1", OptionalInt.of(3307), null))
        .isEqualTo("jdbc:mariadb://[::1]:3307/");
    assertThat(dialect.sessions().url("[::1]", OptionalInt.empty(), "s"))
        .isEqualTo("jdbc:mariadb://[::1]:3306/s");
  }

  @Test
  void aMysqlSchemeUrlIsGivenToTheDriverAsMariadbWithItsParameters() throws Exception {
    String url =
        dialect
            .sessions()
            .givenUrl("jdbc:mysql://db1:3307/shop?useUnicode=true&characterEncoding=utf8");
    assertThat(url)
        .isEqualTo("jdbc:mariadb://db1:3307/shop?useUnicode=true&characterEncoding=utf8");
    assertThat(Configuration.parse(url).database()).isEqualTo("shop");
    assertThat(dialect.sessions().givenUrl("jdbc:mysql:loadbalance://a,b/s"))
        .isEqualTo("jdbc:mariadb:loadbalance://a,b/s");
    assertThat(dialect.sessions().givenUrl("jdbc:mariadb://a/s")).isEqualTo("jdbc:mariadb://a/s");
  }

  @Test
  void hostsAreASequentialUrlInTheOrderGiven() throws Exception {
    String url =
        dialect
            .sessions()
            .clusterUrl(servers("db1", "[2001:db8::7]:3307", "db3:3308"), "shop")
            .orElseThrow();
    assertThat(url)
        .isEqualTo("jdbc:mariadb:sequential://db1:3306,[2001:db8::7]:3307,db3:3308/shop");
    Configuration conf = Configuration.parse(url);
    assertThat(conf.haMode()).isEqualTo(HaMode.SEQUENTIAL);
    assertThat(conf.addresses())
        .extracting(a -> a.host + " " + a.port)
        .containsExactly("db1 3306", "2001:db8::7 3307", "db3 3308");
    assertThat(conf.database()).isEqualTo("shop");
    assertThat(dialect.sessions().clusterUrl(servers("a", "b"), null).orElseThrow())
        .isEqualTo("jdbc:mariadb:sequential://a:3306,b:3306/");
  }

  @Test
  void eachServerIsTriedOncePerAttempt() {
    assertThat(dialect.sessions().clusterProperties(servers("a", "b", "c")))
        .containsEntry("retriesAllDown", "3");
  }
}
