package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Test-side access to Elasticsearch over plain HTTP, independent of the connector's client: loads
 * documents (values encoded with {@link JsonValues}, not the connector's encoder) and reads them
 * back.
 */
final class EsTestSupport {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Rows of the suites' large dataset: still 4 slices at parallelism 4 (one per 1000 documents), at
   * less than half the default's load time.
   */
  static final int LARGE_ROWS = 4000;

  private EsTestSupport() {}

  /** A valid, lower-case index name unique to a test context. */
  static String indexName(String runKey, String name) {
    return (runKey + "-" + name).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
  }

  static Map<String, Object> connection(EsServer server) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("hosts", server.url());
    return options;
  }

  /** Sends a request; returns status and JSON body. */
  static Reply request(EsServer server, String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(60));
    b.header("Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json");
    if (server.secure()) {
      b.header("Authorization", EsServer.basicAuth());
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      JsonNode json =
          text == null || text.isEmpty()
              ? JsonValues.mapper().createObjectNode()
              : JsonValues.mapper().readTree(text);
      return new Reply(response.statusCode(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode ok(EsServer server, String method, String path, String body) {
    Reply reply = request(server, method, path, body);
    if (reply.status() >= 300) {
      throw new AssertionError(
          method + " " + path + " answered " + reply.status() + ": " + reply.body());
    }
    return reply.body();
  }

  record Reply(int status, JsonNode body) {}

  /** Creates an index with {@code mappings} (null: dynamic) and {@code shards} primaries. */
  static void createIndex(EsServer server, String index, JsonNode mappings, int shards) {
    ObjectNode body = JsonValues.mapper().createObjectNode();
    body.putObject("settings").put("number_of_shards", shards).put("number_of_replicas", 0);
    if (mappings != null) {
      body.set("mappings", mappings);
    }
    ok(server, "PUT", "/" + index, body.toString());
  }

  /** Indexes {@code rows} of {@code schema}, each with its first column as _id, then refreshes. */
  static void load(EsServer server, String index, Schema schema, List<Object[]> rows) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < rows.size(); i++) {
      Object[] row = rows.get(i);
      ObjectNode action = JsonValues.mapper().createObjectNode();
      action.putObject("index").put("_index", index).put("_id", String.valueOf(row[0]));
      ObjectNode doc = JsonValues.mapper().createObjectNode();
      for (int c = 0; c < schema.size(); c++) {
        doc.set(schema.column(c).name(), JsonValues.toNode(row[c], schema.column(c).type()));
      }
      body.append(action).append('\n').append(doc).append('\n');
      if ((i + 1) % 2000 == 0 || i == rows.size() - 1) {
        JsonNode reply = ok(server, "POST", "/_bulk", body.toString());
        if (reply.path("errors").asBoolean()) {
          throw new AssertionError("loading " + index + ": " + reply);
        }
        body.setLength(0);
      }
    }
    ok(server, "POST", "/" + index + "/_refresh", null);
  }

  /** Every document of an index or alias as a row of {@code schema}; none when it is missing. */
  static List<Object[]> readAll(EsServer server, String index, Schema schema) {
    request(server, "POST", "/" + index + "/_refresh", null);
    Reply reply =
        request(
            server,
            "POST",
            "/" + index + "/_search",
            "{\"size\":10000,\"query\":{\"match_all\":{}}}");
    List<Object[]> rows = new ArrayList<>();
    if (reply.status() == 404) {
      return rows;
    }
    if (reply.status() >= 300) {
      throw new AssertionError("reading " + index + ": " + reply.body());
    }
    for (JsonNode hit : reply.body().path("hits").path("hits")) {
      JsonNode source = hit.path("_source");
      Object[] row = new Object[schema.size()];
      for (int c = 0; c < row.length; c++) {
        row[c] = JsonValues.fromNode(source.get(schema.column(c).name()), schema.column(c).type());
      }
      rows.add(row);
    }
    return rows;
  }

  static long count(EsServer server, String index) {
    ok(server, "POST", "/" + index + "/_refresh", null);
    return ok(server, "GET", "/" + index + "/_count", null).path("count").asLong();
  }
}
