package io.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ResourceLoader;

/** A Ferry server started in the test JVM on a free port, and an HTTP client for it. */
public final class TestServer implements AutoCloseable {
  static final String ADMIN_PASSWORD = "admin-secret-1";
  public static final ObjectMapper JSON = new ObjectMapper();

  final Path dataDir;
  final List<String> extraArgs;
  final boolean adminPassword;
  private final ResourceLoader resources;
  ConfigurableApplicationContext context;
  String base;
  private final HttpClient http = HttpClient.newHttpClient();

  TestServer(String... extraArgs) {
    this(Path.of("target", "server-" + UUID.randomUUID()), extraArgs);
  }

  TestServer(Path dataDir, String... extraArgs) {
    this(true, dataDir, extraArgs);
  }

  /**
   * @param adminPassword whether the first admin's password is given ({@link #ADMIN_PASSWORD})
   */
  TestServer(boolean adminPassword, Path dataDir, String... extraArgs) {
    this(null, adminPassword, dataDir, extraArgs);
  }

  /**
   * @param resources where the server's class-path resources come from; null: the test's class path
   */
  TestServer(ResourceLoader resources, boolean adminPassword, Path dataDir, String... extraArgs) {
    this.dataDir = dataDir.toAbsolutePath();
    this.extraArgs = List.of(extraArgs);
    this.adminPassword = adminPassword;
    this.resources = resources;
    start();
  }

  void start() {
    List<String> args = new ArrayList<>();
    args.add("--server.port=0");
    args.add("--ferry.data-dir=" + dataDir);
    if (adminPassword) {
      args.add("--ferry.admin.password=" + ADMIN_PASSWORD);
    }
    args.add("--ferry.lease=PT6S");
    args.addAll(extraArgs);
    context =
        resources == null
            ? FerryServer.start(args.toArray(String[]::new))
            : new SpringApplicationBuilder(FerryServer.class)
                .resourceLoader(resources)
                .run(args.toArray(String[]::new));
    base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  void stop() {
    context.close();
  }

  void restart() {
    stop();
    start();
  }

  @Override
  public void close() {
    if (context.isActive()) {
      context.close();
    }
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** A response: status and body. */
  record Reply(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  Reply call(String method, String path, Object body, String user, String password) {
    return call(method, path, body, user, password, java.util.Map.of());
  }

  Reply call(
      String method,
      String path,
      Object body,
      String user,
      String password,
      java.util.Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    headers.forEach(b::header);
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    try {
      String text =
          body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
      b.method(
          method,
          text == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(text));
      if (text != null) {
        b.header("Content-Type", "application/json");
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A WebSocket to {@code /ws/progress} that collects every message. */
  Socket socket(String query) {
    Socket socket = new Socket();
    socket.ws =
        http.newWebSocketBuilder()
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .buildAsync(URI.create(base.replace("http:", "ws:") + "/ws/progress" + query), socket)
            .join();
    return socket;
  }

  static final class Socket implements java.net.http.WebSocket.Listener, AutoCloseable {
    final java.util.concurrent.LinkedBlockingQueue<JsonNode> messages =
        new java.util.concurrent.LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    java.net.http.WebSocket ws;

    @Override
    public java.util.concurrent.CompletionStage<?> onText(
        java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void close() {
      ws.abort();
    }
  }

  Reply admin(String method, String path, Object body) {
    return call(method, path, body, "admin", ADMIN_PASSWORD);
  }

  Reply get(String path) {
    return admin("GET", path, null);
  }

  /** A GET as the web UI in {@code language} sends it (Accept-Language: zh-CN, en). */
  Reply get(String path, String language) {
    return call(
        "GET", path, null, "admin", ADMIN_PASSWORD, java.util.Map.of("Accept-Language", language));
  }

  Reply post(String path, Object body) {
    return admin("POST", path, body);
  }

  Reply put(String path, Object body) {
    return admin("PUT", path, body);
  }

  Reply delete(String path) {
    return admin("DELETE", path, null);
  }
}
