package io.ferry.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.FerryException;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bulk items rejected with 429 are sent again alone, with backoff, against a stand-in server whose
 * answers the test scripts (a real node rejects only under a load a test cannot make reliably).
 */
class BulkRetryTest {
  static final Schema SCHEMA =
      Schema.of(new Column("id", DataType.INT64, false), Column.of("name", DataType.STRING));

  HttpServer server;
  final List<String> bulkBodies = new CopyOnWriteArrayList<>();
  final AtomicInteger rejections = new AtomicInteger();
  volatile int rejectFirstAttempts = 2;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (path.equals("/_nodes/_local")) {
            answer(exchange, 200, "{\"nodes\":{\"n\":{\"version\":\"8.19.4\"}}}");
          } else if (path.startsWith("/_alias/")) {
            answer(exchange, 404, "{}");
          } else if (path.equals("/_bulk")) {
            bulkBodies.add(body);
            answer(exchange, 200, bulkAnswer(body));
          } else {
            answer(exchange, 200, "{}");
          }
        });
    server.start();
  }

  /** Item "2" is rejected with 429 on its first attempts; every other item is created. */
  private String bulkAnswer(String body) {
    StringBuilder items = new StringBuilder();
    boolean errors = false;
    String[] lines = body.split("\n");
    for (int i = 0; i < lines.length; i += 2) {
      if (items.length() > 0) {
        items.append(',');
      }
      if (lines[i].contains("\"_id\":\"2\"") && rejections.get() < rejectFirstAttempts) {
        rejections.incrementAndGet();
        errors = true;
        items.append(
            "{\"index\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\","
                + "\"reason\":\"rejected execution\"}}}");
      } else {
        items.append("{\"index\":{\"status\":201,\"result\":\"created\"}}");
      }
    }
    return "{\"errors\":" + errors + ",\"items\":[" + items + "]}";
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
    } else {
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Sink sink(int maxRetries) {
    Connector.Role<Sink> role = new ElasticsearchConnector().sink().orElseThrow();
    Map<String, Object> raw =
        Map.of(
            "hosts",
            "http://127.0.0.1:" + server.getAddress().getPort(),
            "index",
            "products",
            "idColumns",
            "id",
            "pauseRefresh",
            false,
            "retryBackoff",
            "10ms",
            "maxRetries",
            maxRetries);
    return role.create(role.options().parse(raw), new TestConnectorContext("retry"));
  }

  private static void writeThree(Sink sink) {
    sink.prepare(SCHEMA);
    try (SinkWriter writer = sink.createWriter(0)) {
      RowBatch batch = new RowBatch(2, 3);
      for (long i = 1; i <= 3; i++) {
        batch.addRow(i, "n" + i);
      }
      writer.write(batch);
      writer.flush();
    }
  }

  @Test
  void itemsRejectedWith429AreSentAgainAlone() {
    Sink sink = sink(5);
    writeThree(sink);
    sink.close();
    assertThat(bulkBodies).hasSize(3);
    assertThat(bulkBodies.get(0).split("\n")).hasSize(6);
    for (String retry : bulkBodies.subList(1, 3)) {
      assertThat(retry.split("\n")).hasSize(2);
      assertThat(retry).contains("\"_id\":\"2\"").contains("\"name\":\"n2\"");
    }
  }

  @Test
  void rejectionsBeyondMaxRetriesFailRetriably() {
    rejectFirstAttempts = 100;
    Sink sink = sink(2);
    FerryException e = catchThrowableOfType(FerryException.class, () -> writeThree(sink));
    sink.close();
    assertThat(e).isNotNull();
    assertThat(e.retriable()).isTrue();
    assertThat(e.getMessage()).contains("429");
    assertThat(bulkBodies).hasSize(3);
  }
}
