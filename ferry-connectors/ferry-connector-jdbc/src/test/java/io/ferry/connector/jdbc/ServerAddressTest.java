package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Entries of the hosts option, and the host:port parts of URLs built from them. */
class ServerAddressTest {
  @Test
  void parsesNamesAddressesAndPorts() {
    assertThat(ServerAddress.parse("db1")).isEqualTo(new ServerAddress("db1", OptionalInt.empty()));
    assertThat(ServerAddress.parse(" db-1.example.com:5433 "))
        .isEqualTo(new ServerAddress("db-1.example.com", OptionalInt.of(5433)));
    assertThat(ServerAddress.parse("10.0.0.7:3306"))
        .isEqualTo(new ServerAddress("10.0.0.7", OptionalInt.of(3306)));
    assertThat(ServerAddress.parse("[::1]"))
        .isEqualTo(new ServerAddress("::1", OptionalInt.empty()));
    assertThat(ServerAddress.parse("[2001:db8::7]:5432"))
        .isEqualTo(new ServerAddress("2001:db8::7", OptionalInt.of(5432)));
    assertThat(ServerAddress.parse("[fe80::1%eth0]:5432").host()).isEqualTo("fe80::1%eth0");
  }

  @Test
  void rejectsWhatIsNoHostOrPortSayingWhy() {
    assertThatThrownBy(() -> ServerAddress.parse("::1"))
        .hasMessageContaining("IPv6")
        .hasMessageContaining("[::1]");
    assertThatThrownBy(() -> ServerAddress.parse("2001:db8::7:5432"))
        .hasMessageContaining("in brackets");
    assertThatThrownBy(() -> ServerAddress.parse("db1:"))
        .hasMessageContaining("port must be a number between 1 and 65535");
    assertThatThrownBy(() -> ServerAddress.parse("db1:70000"))
        .hasMessageContaining("between 1 and 65535, got '70000'");
    assertThatThrownBy(() -> ServerAddress.parse("db1:0")).hasMessageContaining("got '0'");
    assertThatThrownBy(() -> ServerAddress.parse("db1:http")).hasMessageContaining("got 'http'");
    for (String bad : List.of("", "[::1", "[]:5432", "db1/sales", "db 1", "db1?ssl=true", "a@b")) {
      assertThatThrownBy(() -> ServerAddress.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("host:port");
    }
  }

  @Test
  void urlPartsBracketIpv6AndFillTheDefaultPort() {
    assertThat(ServerAddress.parse("db1").toUrlPart(5432)).isEqualTo("db1:5432");
    assertThat(ServerAddress.parse("db1:6432").toUrlPart(5432)).isEqualTo("db1:6432");
    assertThat(ServerAddress.parse("[::1]").toUrlPart(3306)).isEqualTo("[::1]:3306");
    assertThat(ServerAddress.of("::1", OptionalInt.empty()).toUrlPart(3306))
        .isEqualTo("[::1]:3306");
    assertThat(ServerAddress.of("[::1]", OptionalInt.of(3307)).toUrlPart(3306))
        .isEqualTo("[::1]:3307");
    assertThat(
            ServerAddress.toUrlPart(
                List.of(ServerAddress.parse("a"), ServerAddress.parse("[::2]:1")), 9))
        .isEqualTo("a:9,[::2]:1");
  }

  @Test
  void theDefaultPortOnlyFillsEntriesWithoutOne() {
    OptionalInt port = OptionalInt.of(6432);
    assertThat(ServerAddress.parse("a").withDefaultPort(port).port()).isEqualTo(port);
    assertThat(ServerAddress.parse("a:1").withDefaultPort(port).port()).hasValue(1);
    assertThat(ServerAddress.parse("a").withDefaultPort(OptionalInt.empty()).port()).isEmpty();
  }
}
