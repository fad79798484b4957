package io.ferry.connector.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriverFilesTest {
  @TempDir Path dir;
  Path root;
  Path outside;
  LocalFiles confined;

  @BeforeEach
  void folders() throws IOException {
    root = Files.createDirectories(dir.resolve("root")).toRealPath();
    outside = Files.createDirectories(dir.resolve("outside")).toRealPath();
    Files.writeString(root.resolve("ca.pem"), "pem");
    Files.writeString(outside.resolve("secret.key"), "key");
    confined = LocalFiles.within(List.of(root), "ferry.file-roots");
  }

  private static String optionOf(Runnable r) {
    try {
      r.run();
    } catch (FerryException e) {
      assertThat(e.getMessage()).isNotBlank();
      return e.option();
    }
    throw new AssertionError("not refused");
  }

  @Test
  void databasesRunningInThisProcessAreRefusedWhenConfined() {
    for (String url :
        List.of(
            "jdbc:h2:mem:x",
            "jdbc:h2:" + outside + "/db",
            "JDBC:H2:file:/tmp/db;INIT=RUNSCRIPT FROM '/etc/passwd'",
            "jdbc:hsqldb:mem:x",
            "jdbc:hsqldb:file:/tmp/db",
            "jdbc:derby:memory:x;create=true",
            "jdbc:sqlite:/tmp/x.db",
            "jdbc:duckdb:")) {
      assertThat(optionOf(() -> DriverFiles.confine(url, "url", Map.of(), confined)))
          .as(url)
          .isEqualTo("url");
      // The command line runs them: the user's own files.
      assertThat(DriverFiles.confine(url, "url", Map.of(), LocalFiles.unrestricted())).isEmpty();
    }
    for (String server :
        List.of(
            "jdbc:h2:tcp://db1/sales",
            "jdbc:h2:ssl://db1/sales",
            "jdbc:hsqldb:hsql://db1/sales",
            "jdbc:derby://db1:1527/sales",
            "jdbc:postgresql://db1/sales",
            "jdbc:mariadb://db1/sales")) {
      assertThat(DriverFiles.confine(server, "url", Map.of(), confined)).as(server).isEmpty();
    }
  }

  @Test
  void propertiesNamingFilesAreResolvedInsideTheRootsAndRefusedOutside() {
    Map<String, String> inside =
        DriverFiles.confine(
            "jdbc:postgresql://db1/sales",
            "url",
            Map.of("sslrootcert", root + "/../root/ca.pem", "sslmode", "verify-full"),
            confined);
    assertThat(inside)
        .containsEntry("sslrootcert", root.resolve("ca.pem").toString())
        .containsEntry("sslmode", "verify-full");
    for (Map<String, String> props :
        List.of(
            Map.of("sslkey", outside + "/secret.key"),
            Map.of("trustStore", "file://" + outside + "/secret.key"),
            Map.of("SERVERSSLCERT", root + "/../outside/secret.key"))) {
      assertThat(
              optionOf(() -> DriverFiles.confine("jdbc:mariadb://db1/x", "url", props, confined)))
          .as(props.toString())
          .isEqualTo("properties");
    }
    // A certificate given inline is no file.
    assertThat(
            DriverFiles.confine(
                "jdbc:mariadb://db1/x",
                "url",
                Map.of("serverSslCert", "-----BEGIN CERTIFICATE-----\nMIIB..."),
                confined))
        .containsKey("serverSslCert");
  }

  @Test
  void filesNamedInTheUrlAreCheckedTooEvenEncoded() {
    for (String url :
        List.of(
            "jdbc:postgresql://db1/x?sslmode=require&sslkey=" + outside + "/secret.key",
            "jdbc:postgresql://db1/x?sslrootcert="
                + outside.toString().replace("/", "%2F")
                + "%2Fsecret.key",
            "jdbc:sqlserver://db1;databaseName=x;trustStore=" + outside + "/secret.key")) {
      assertThat(optionOf(() -> DriverFiles.confine(url, "url", Map.of(), confined)))
          .as(url)
          .isEqualTo("url");
    }
    assertThat(
            DriverFiles.confine(
                "jdbc:postgresql://db1/x?sslrootcert=" + root + "/ca.pem",
                "url",
                Map.of(),
                confined))
        .isEmpty();
  }
}
