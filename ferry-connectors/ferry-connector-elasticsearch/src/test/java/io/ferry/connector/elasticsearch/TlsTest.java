package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Connector;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Source;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The https options against a stand-in HTTPS server whose self-signed certificate names another
 * host (made with the JDK's keytool): caCertificate trusts it, verifyHostname decides about the
 * name.
 */
class TlsTest {
  static final String PASSWORD = "changeit";
  static HttpsServer server;
  static Path ca;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "tls-test")).toAbsolutePath();
    Path store = dir.resolve("server.p12");
    ca = dir.resolve("ca.pem");
    Files.deleteIfExists(store);
    Files.deleteIfExists(ca);
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "es",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=elsewhere.example",
        "-ext",
        "SAN=dns:elsewhere.example",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        PASSWORD);
    run(
        keytool,
        "-exportcert",
        "-rfc",
        "-alias",
        "es",
        "-keystore",
        store.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        ca.toString());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD.toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              "{\"nodes\":{\"n\":{\"version\":\"8.19.4\"}}}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", List.of(command), out).isZero();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private List<OptionProblem> check(Map<String, Object> extra) {
    Map<String, Object> raw = new HashMap<>(extra);
    raw.put("hosts", "https://127.0.0.1:" + server.getAddress().getPort());
    raw.put("index", "x");
    raw.put("maxRetries", 0);
    Connector.Role<Source> role = new ElasticsearchConnector().source().orElseThrow();
    try (Source source = role.create(role.options().parse(raw), new TestConnectorContext("tls"))) {
      try {
        ((EsSource) source).client().server();
        return List.of();
      } catch (io.ferry.spi.FerryException e) {
        return List.of(new OptionProblem(e.option() == null ? "?" : e.option(), e.getMessage()));
      }
    }
  }

  @Test
  void theGivenCaIsTrustedAndTheHostnameCheckCanBeTurnedOff() {
    assertThat(check(Map.of("caCertificate", ca.toString(), "verifyHostname", false))).isEmpty();
  }

  @Test
  void aCertificateForAnotherHostIsRefusedByDefault() {
    assertThat(check(Map.of("caCertificate", ca.toString())))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.option()).isEqualTo("hosts");
              assertThat(p.message()).contains("TLS").contains("verifyHostname");
            });
  }

  @Test
  void withoutTheCaTheCertificateIsNotTrusted() {
    assertThat(check(Map.of("verifyHostname", false)))
        .singleElement()
        .satisfies(p -> assertThat(p.option()).isEqualTo("hosts"));
  }

  @Test
  void aCaFileWithoutCertificatesNamesTheOption() throws Exception {
    Path empty = Files.writeString(ca.resolveSibling("empty.pem"), "nothing here\n");
    io.ferry.spi.FerryException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            io.ferry.spi.FerryException.class,
            () -> check(Map.of("caCertificate", empty.toString())));
    assertThat(e).isNotNull();
    assertThat(e.option()).isEqualTo("caCertificate");
  }
}
