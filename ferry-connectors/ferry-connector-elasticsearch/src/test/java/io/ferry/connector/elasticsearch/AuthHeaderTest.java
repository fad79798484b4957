package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Connector;
import io.ferry.spi.Source;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the client sends as Authorization, checked against a stand-in HTTP server. */
class AuthHeaderTest {
  private List<String> headersSent(Map<String, Object> auth) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          seen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          byte[] body =
              "{\"nodes\":{\"n\":{\"version\":\"8.19.4\"}}}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      Map<String, Object> raw = new java.util.HashMap<>(auth);
      raw.put("hosts", "127.0.0.1:" + server.getAddress().getPort());
      raw.put("index", "x");
      Connector.Role<Source> role = new ElasticsearchConnector().source().orElseThrow();
      try (Source source =
          role.create(role.options().parse(raw), new TestConnectorContext("auth"))) {
        ((EsSource) source).client().server();
      }
    } finally {
      server.stop(0);
    }
    return seen;
  }

  @Test
  void basicAuthentication() throws Exception {
    assertThat(headersSent(Map.of("username", "u", "password", "p"))).containsOnly("Basic dTpw");
  }

  @Test
  void apiKeyEncodedOrAsIdAndKey() throws Exception {
    assertThat(headersSent(Map.of("apiKey", "id:key"))).containsOnly("ApiKey aWQ6a2V5");
    assertThat(headersSent(Map.of("apiKey", "aWQ6a2V5"))).containsOnly("ApiKey aWQ6a2V5");
  }

  @Test
  void noCredentialsNoHeader() throws Exception {
    assertThat(headersSent(Map.of())).containsOnly("null");
  }
}
