package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.server.TestServer.Reply;
import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.security.LoginThrottle;
import io.ferry.server.security.SecurityConfig;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 14, tried against a server started here: sessions that outlive their user or
 * role, scripts that reach the server's own files, stored passwords sent to another host, password
 * guessing, and what the data directory, the error page and the headers give away.
 */
class SecurityIT {
  static TestServer server;

  /** The one folder jobs may use ({@code ferry.file-roots}). */
  static Path root;

  static final String OPERATOR = "olga";
  static final String OPERATOR_PASSWORD = "operator-pass-1";

  @BeforeAll
  static void start() throws IOException {
    root = Files.createDirectories(Path.of("target", "security-files-" + UUID.randomUUID()));
    root = root.toRealPath();
    server = new TestServer("--ferry.file-roots=" + root);
    createUser(OPERATOR, OPERATOR_PASSWORD, "operator");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static void createUser(String name, String password, String role) {
    Reply r =
        server.post("/api/users", Map.of("username", name, "password", password, "role", role));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  /** A browser: a cookie jar and the session login. */
  static final class Browser {
    final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    final String base;

    Browser(String base) {
      this.base = base;
    }

    HttpResponse<String> send(String method, String path, Object body) {
      try {
        String text = body == null ? null : TestServer.JSON.writeValueAsString(body);
        HttpRequest.Builder b =
            HttpRequest.newBuilder(URI.create(base + path))
                .method(
                    method,
                    text == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(text));
        if (text != null) {
          b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    int login(String user, String password) {
      return send("POST", "/api/auth/login", Map.of("username", user, "password", password))
          .statusCode();
    }

    int status(String method, String path, Object body) {
      return send(method, path, body).statusCode();
    }
  }

  private static Browser loggedIn(String user, String password) {
    Browser b = new Browser(server.base);
    assertThat(b.login(user, password)).isEqualTo(200);
    return b;
  }

  // ---- 0. no route is open by oversight -------------------------------------------------------

  /**
   * Every route the server maps, found from its handler mappings (so a route added later is covered
   * without touching this test): without credentials it answers 401, except the few that are public
   * on purpose; a viewer cannot call any route that changes something, nor the admin-only ones.
   */
  @Test
  void everyMappedRouteNeedsALoginAndAViewerChangesNothing() {
    createUser("rita", "viewer-pass-2", "viewer");
    Set<String> publicRoutes = Set.of("POST /api/auth/login", "GET /error", "POST /error");
    Map<String, Integer> anonymous = new LinkedHashMap<>();
    Map<String, Integer> viewer = new LinkedHashMap<>();
    List<String> checked = new ArrayList<>();
    server
        .context
        .getBean(
            "requestMappingHandlerMapping",
            org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping
                .class)
        .getHandlerMethods()
        .keySet()
        .forEach(
            info -> {
              Set<org.springframework.web.bind.annotation.RequestMethod> methods =
                  info.getMethodsCondition().getMethods().isEmpty()
                      ? Set.of(
                          org.springframework.web.bind.annotation.RequestMethod.GET,
                          org.springframework.web.bind.annotation.RequestMethod.POST)
                      : info.getMethodsCondition().getMethods();
              for (String pattern : info.getPatternValues()) {
                // Path variables get a value no record has: the refusal must come before lookup.
                String path = pattern.replaceAll("\\{[^}]+}", "987654");
                for (var m : methods) {
                  String route = m.name() + " " + pattern;
                  if (publicRoutes.contains(route) || !pattern.startsWith("/api/")) {
                    continue;
                  }
                  checked.add(route);
                  int a = server.call(m.name(), path, null, null, null).status();
                  if (a != 401) {
                    anonymous.put(route, a);
                  }
                  boolean adminOnly =
                      pattern.startsWith("/api/users") || pattern.startsWith("/api/audit");
                  // A user's own notices: every user marks them read.
                  boolean own = pattern.startsWith("/api/notices/");
                  if ((m != org.springframework.web.bind.annotation.RequestMethod.GET && !own)
                      || adminOnly) {
                    int v = server.call(m.name(), path, null, "rita", "viewer-pass-2").status();
                    if (v != 403) {
                      viewer.put(route, v);
                    }
                  }
                }
              }
            });
    assertThat(checked).as("routes found").hasSizeGreaterThan(30);
    assertThat(anonymous).as("routes answering an anonymous caller with other than 401").isEmpty();
    assertThat(viewer).as("changing or admin routes a viewer was not refused (403)").isEmpty();
  }

  // ---- 1. sessions end with their user, their role, their password -------------------------

  @Test
  void aDemotedAdminLosesAdminRightsOnItsVeryNextRequest() throws IOException {
    createUser("ada", "ada-password-1", "admin");
    Browser ada = loggedIn("ada", "ada-password-1");
    Map<String, Object> newUser =
        Map.of("username", "made-by-ada", "password", "made-by-ada-1", "role", "viewer");
    assertThat(ada.status("POST", "/api/users", newUser)).isEqualTo(201);

    assertThat(server.put("/api/users/ada", Map.of("role", "viewer")).status()).isEqualTo(200);

    Map<String, Object> another =
        Map.of("username", "admin-by-ada", "password", "admin-by-ada-1", "role", "admin");
    assertThat(ada.status("POST", "/api/users", another)).isEqualTo(403);
    assertThat(server.get("/api/users?size=500").body())
        .contains("made-by-ada")
        .doesNotContain("admin-by-ada");
    JsonNode me = TestServer.JSON.readTree(ada.send("GET", "/api/auth/me", null).body());
    assertThat(me.get("roles")).hasSize(1);
    assertThat(me.get("roles").get(0).asText()).isEqualTo("viewer");
    assertThat(ada.status("GET", "/api/datasources", null)).isEqualTo(200); // still a viewer
    assertThat(ada.status("POST", "/api/folders", Map.of("name", "by-ada"))).isEqualTo(403);
  }

  @Test
  void aDeletedUsersSessionEndsAndARecreatedNameDoesNotReviveIt() {
    createUser("dora", "dora-password-1", "operator");
    Browser dora = loggedIn("dora", "dora-password-1");
    assertThat(dora.status("GET", "/api/datasources", null)).isEqualTo(200);

    assertThat(server.delete("/api/users/dora").status()).isEqualTo(204);
    assertThat(dora.status("GET", "/api/datasources", null)).isEqualTo(401);
    assertThat(dora.status("POST", "/api/folders", Map.of("name", "by-dora"))).isEqualTo(401);

    createUser("dora", "dora-password-1", "operator");
    assertThat(dora.status("GET", "/api/datasources", null)).isEqualTo(401);
  }

  @Test
  void aNewPasswordEndsTheUsersOtherSessionsButNotTheOneThatChangedIt() {
    createUser("pat", "pat-password-1", "admin");
    Browser changer = loggedIn("pat", "pat-password-1");
    Browser other = loggedIn("pat", "pat-password-1");

    assertThat(changer.status("PUT", "/api/users/pat", Map.of("password", "pat-password-2")))
        .isEqualTo(200);
    assertThat(changer.status("GET", "/api/users", null)).isEqualTo(200);
    assertThat(other.status("GET", "/api/users", null)).isEqualTo(401);

    // Changed by an admin: every session of the user ends.
    assertThat(server.put("/api/users/pat", Map.of("password", "pat-password-3")).status())
        .isEqualTo(200);
    assertThat(changer.status("GET", "/api/users", null)).isEqualTo(401);
    assertThat(loggedIn("pat", "pat-password-3").status("GET", "/api/users", null)).isEqualTo(200);
  }

  // ---- 2. jobs reach files under ferry.file-roots only ---------------------------------------

  /** Starts a script run as the operator. */
  private static Reply runAsOperator(String script) {
    return server.call(
        "POST",
        "/api/runs",
        Map.of("name", "attempt", "script", script),
        OPERATOR,
        OPERATOR_PASSWORD);
  }

  private static JsonNode awaitEnd(long run) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode r = server.get("/api/runs/" + run).json();
      if (Set.of("SUCCEEDED", "FAILED", "STOPPED").contains(r.get("state").asText())) {
        return r;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("run " + run + " did not end");
  }

  private static void assertRefused(Reply r, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.json().findValuesAsText("field")).as(r.toString()).contains(field);
    assertThat(r.body()).contains("outside the folders jobs may use");
  }

  @Test
  void anOperatorCannotReadTheSecretKeyOrWriteOutsideTheRoots() throws Exception {
    Path key = server.dataDir.resolve("secret.key");
    String keyText = Files.readString(key).strip();
    Path stolen = root.resolve("stolen-" + UUID.randomUUID() + ".csv");
    String sink = "sink: {connector: file, path: '" + stolen + "'}\n";

    // The key itself, by a climb out of the root, and through a link inside the root.
    Path link = Files.createSymbolicLink(root.resolve("key-" + UUID.randomUUID()), key);
    String climb = root + "/../" + root.getParent().relativize(key);
    for (String path : List.of(key.toString(), climb, link.toString())) {
      assertRefused(
          runAsOperator("source: {connector: file, path: '" + path + "'}\n" + sink), "source.path");
    }
    // A glob whose folder is allowed but that matches the link: the run fails, nothing is read.
    Path globbed = Files.createDirectories(root.resolve("glob-" + UUID.randomUUID()));
    Files.writeString(globbed.resolve("a.csv"), "id\n1\n");
    Files.createSymbolicLink(globbed.resolve("b.csv"), key);
    Reply glob = runAsOperator("source: {connector: file, path: '" + globbed + "/*.csv'}\n" + sink);
    assertThat(glob.status()).as(glob.toString()).isEqualTo(202);
    JsonNode ended = awaitEnd(glob.json().get("id").asLong());
    assertThat(ended.get("state").asText()).isEqualTo("FAILED");
    assertThat(ended.get("message").asText()).contains("outside the folders jobs may use");
    assertThat(stolen).doesNotExist();

    // An in-process database reads files with SQL: no such database for server jobs.
    assertRefusedUrl(
        runAsOperator(
            "source: {connector: jdbc, url: 'jdbc:h2:mem:steal', query: \"SELECT FILE_READ('"
                + key
                + "', NULL) AS k\"}\n"
                + sink));

    // Writing: outside the root, by a climb, and the dirty-row file.
    Path elsewhere = Path.of("target", "security-elsewhere-" + UUID.randomUUID()).toAbsolutePath();
    String source = "source: {connector: datagen, rows: 10}\n";
    assertRefused(
        runAsOperator(source + "sink: {connector: file, path: '" + elsewhere + "/out.csv'}\n"),
        "sink.path");
    assertRefused(
        runAsOperator(source + "sink: {connector: file, path: '" + root + "/../escape.csv'}\n"),
        "sink.path");
    assertRefused(
        runAsOperator(
            source
                + "sink: {connector: blackhole}\n"
                + "settings: {dirtyDataPath: '"
                + server.dataDir.resolve("secret.key")
                + "'}\n"),
        "settings.dirtyDataPath");
    assertThat(elsewhere).doesNotExist();
    assertThat(root.getParent().resolve("escape.csv")).doesNotExist();
    assertThat(Files.readString(key).strip()).isEqualTo(keyText);
    // Nothing of the key reached a run's message or log.
    assertThat(server.get("/api/runs?size=100").body()).doesNotContain(keyText);
  }

  private static void assertRefusedUrl(Reply r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.json().findValuesAsText("field")).contains("source.url");
    assertThat(r.body()).contains("inside this process");
  }

  @Test
  void aFileInsideARootIsCopiedAndItsDirtyRowsAreReadOnlyByThoseGranted() throws Exception {
    Path in = Files.createDirectories(root.resolve("in-" + UUID.randomUUID())).resolve("in.csv");
    Files.writeString(in, "id,amount\n1,10\n2,x\n3,30\n");
    Path out = root.resolve("out-" + UUID.randomUUID()).resolve("out.csv");
    Reply started =
        runAsOperator(
            "source: {connector: file, path: '"
                + in
                + "'}\n"
                + "transforms: [{type: cast, columns: {amount: int32}}]\n"
                + "sink: {connector: file, path: '"
                + out
                + "'}\n"
                + "settings: {errorLimit: 5}\n");
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    long run = started.json().get("id").asLong();
    JsonNode ended = awaitEnd(run);
    assertThat(ended.get("state").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
    assertThat(Files.readAllLines(out)).containsExactly("id,amount", "1,10", "3,30");

    // Row data: viewers only when an admin grants it; the grant holds from the next request on.
    createUser("vic", "viewer-pass-1", "viewer");
    Browser vic = loggedIn("vic", "viewer-pass-1");
    for (String path :
        List.of("/api/runs/" + run + "/dirty", "/api/runs/" + run + "/dirty/download")) {
      assertThat(vic.status("GET", path, null)).as(path).isEqualTo(403);
      assertThat(server.call("GET", path, null, "vic", "viewer-pass-1").status()).isEqualTo(403);
      assertThat(server.call("GET", path, null, OPERATOR, OPERATOR_PASSWORD).status())
          .isEqualTo(200);
    }
    assertThat(vic.status("GET", "/api/runs/" + run, null)).isEqualTo(200);
    Reply granted = server.put("/api/users/vic", Map.of("readRows", true));
    assertThat(granted.json().get("readRows").asBoolean()).isTrue();
    JsonNode dirty =
        TestServer.JSON.readTree(vic.send("GET", "/api/runs/" + run + "/dirty", null).body());
    assertThat(dirty.get("total").asInt()).isEqualTo(1);
    assertThat(dirty.get("items").get(0).get("row").get("amount").asText()).isEqualTo("x");
    assertThat(dirty.get("items").get(0).get("column").asText()).isEqualTo("amount");
    assertThat(
            TestServer.JSON
                .readTree(vic.send("GET", "/api/auth/me", null).body())
                .get("readRows")
                .asBoolean())
        .isTrue();
    server.put("/api/users/vic", Map.of("readRows", false));
    assertThat(vic.status("GET", "/api/runs/" + run + "/dirty", null)).isEqualTo(403);
  }

  @Test
  void fileRootsThatHoldTheDataDirectoryOrLieInItStopTheStart() throws IOException {
    Path data = Path.of("target", "security-roots-" + UUID.randomUUID()).toAbsolutePath();
    Path inner = Files.createDirectories(data.resolve("inner"));
    assertThatThrownBy(() -> new TestServer(data, "--ferry.file-roots=" + data.getParent()))
        .hasStackTraceContaining("holds the data directory");
    assertThatThrownBy(() -> new TestServer(data, "--ferry.file-roots=" + inner))
        .hasStackTraceContaining("lies in the data directory");
    assertThatThrownBy(() -> new TestServer(data, "--ferry.file-roots=" + data + "-missing"))
        .hasStackTraceContaining("ferry.file-roots");
  }

  // ---- 3. a stored secret goes only to the server it was stored for --------------------------

  /**
   * A fake PostgreSQL server on 127.0.0.1: it takes the startup message, asks for the password in
   * clear (as a rogue server would) and records every byte it receives.
   */
  static final class FakePostgres implements AutoCloseable {
    final ServerSocket socket;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final Thread acceptor;

    FakePostgres() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::serve, "fake-postgres");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    synchronized String text() {
      return received.toString(StandardCharsets.ISO_8859_1);
    }

    private synchronized void record(byte[] bytes, int n) {
      received.write(bytes, 0, n);
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket c = socket.accept()) {
          c.setSoTimeout(5_000);
          DataInputStream in = new DataInputStream(c.getInputStream());
          OutputStream out = c.getOutputStream();
          while (true) {
            int length = in.readInt();
            int code = in.readInt();
            if (code == 80877103 || code == 80877104) { // SSLRequest, GSSENCRequest: no
              out.write('N');
              out.flush();
              continue;
            }
            byte[] startup = new byte[length - 8];
            in.readFully(startup);
            record(startup, startup.length);
            // AuthenticationCleartextPassword
            out.write(new byte[] {'R', 0, 0, 0, 8, 0, 0, 0, 3});
            out.flush();
            // The answer, if any: a PasswordMessage ('p', length, the password). Then hang up.
            int type = in.read();
            if (type >= 0) {
              byte[] answer = new byte[in.readInt() - 4];
              in.readFully(answer);
              record(answer, answer.length);
            }
            break;
          }
        } catch (SocketTimeoutException | java.io.EOFException e) {
          // the client gave up: next connection
        } catch (IOException e) {
          if (socket.isClosed()) {
            return;
          }
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void storedSecretsNeverGoToAHostTheCallerNames() throws Exception {
    String secret = "pg-stored-" + UUID.randomUUID();
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("host", "127.0.0.1");
    options.put("port", 5432);
    options.put("database", "postgres");
    options.put("user", "postgres");
    options.put("password", secret);
    String alias = "pg-secret-" + UUID.randomUUID();
    Reply created =
        server.post(
            "/api/datasources",
            Map.of("alias", alias, "connector", "postgresql", "options", options));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long id = created.json().get("id").asLong();
    assertThat(server.post("/api/datasources/" + id + "/test", null).json().get("ok").asBoolean())
        .isTrue();

    try (FakePostgres fake = new FakePostgres()) {
      // The test of another port, and of another host: the fake hears the user, not the secret.
      for (Map<String, Object> elsewhere :
          List.of(
              Map.<String, Object>of("port", fake.port(), "maxRetries", 0),
              Map.<String, Object>of("host", "localhost", "port", fake.port(), "maxRetries", 0),
              Map.<String, Object>of("port", fake.port(), "password", "****", "maxRetries", 0))) {
        JsonNode result =
            server.post("/api/datasources/" + id + "/test", Map.of("options", elsewhere)).json();
        assertThat(result.get("ok").asBoolean()).as(result.toString()).isFalse();
      }
      assertThat(fake.text()).contains("postgres").doesNotContain(secret);

      // A password the caller gives again does go there: the fake would have caught the secret.
      String given = "given-again-" + UUID.randomUUID();
      server.post(
          "/api/datasources/" + id + "/test",
          Map.of("options", Map.of("port", fake.port(), "password", given, "maxRetries", 0)));
      assertThat(fake.text()).contains(given).doesNotContain(secret);

      // An update that moves the data source keeps no masked secret.
      Map<String, Object> moved = new LinkedHashMap<>(options);
      moved.put("port", fake.port());
      moved.put("password", "****");
      Reply update =
          server.put(
              "/api/datasources/" + id,
              Map.of("alias", alias, "connector", "postgresql", "options", moved));
      assertThat(update.status()).as(update.toString()).isEqualTo(400);
      assertThat(update.json().findValuesAsText("field")).containsExactly("options.password");
      assertThat(server.get("/api/datasources/" + id).json().get("options").get("port").asInt())
          .isEqualTo(5432);
      moved.remove("host");
      moved.put("hosts", List.of("127.0.0.1:" + fake.port()));
      assertThat(
              server
                  .put(
                      "/api/datasources/" + id,
                      Map.of("alias", alias, "connector", "postgresql", "options", moved))
                  .status())
          .isEqualTo(400);

      // A script that names the data source cannot point it elsewhere either.
      Reply script =
          server.post(
              "/api/runs",
              Map.of(
                  "script",
                  "source: {datasource: "
                      + alias
                      + ", port: "
                      + fake.port()
                      + ", query: 'SELECT 1 AS x'}\nsink: {connector: blackhole}\n"));
      assertThat(script.status()).as(script.toString()).isEqualTo(400);
      assertThat(script.json().findValuesAsText("field")).contains("source.port");
      assertThat(fake.text()).doesNotContain(secret);
    }
    // Unchanged, the masked secret still means the stored one.
    Map<String, Object> same = new LinkedHashMap<>(options);
    same.put("password", "****");
    assertThat(
            server
                .put(
                    "/api/datasources/" + id,
                    Map.of("alias", alias, "connector", "postgresql", "options", same))
                .status())
        .isEqualTo(200);
    assertThat(server.bean(DataSourceService.class).resolve(id).options().get("password"))
        .isEqualTo(secret);
  }

  // ---- 4. password guessing is throttled ----------------------------------------------------

  private static HttpResponse<String> loginAttempt(String user, String password) {
    return new Browser(server.base)
        .send("POST", "/api/auth/login", Map.of("username", user, "password", password));
  }

  private static int retryAfter(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
    return Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow());
  }

  @Test
  void wrongPasswordsForOneUserNameAreThrottledWithAGrowingDelay() throws Exception {
    createUser("tom", "tom-password-1", "viewer");
    for (int i = 0; i < LoginThrottle.NAME_FAILURES; i++) {
      assertThat(loginAttempt("tom", "guess-" + i).statusCode()).as("guess " + i).isEqualTo(401);
    }
    // Blocked: even the right password is not checked, over the API and over HTTP Basic.
    assertThat(retryAfter(loginAttempt("tom", "tom-password-1"))).isEqualTo(1);
    assertThat(retryAfter(loginAttempt("TOM", "tom-password-1"))).isEqualTo(1);
    assertThat(server.call("GET", "/api/auth/me", null, "tom", "tom-password-1").status())
        .isEqualTo(429);
    // Each further failure doubles the delay.
    List<Integer> delays = new ArrayList<>(List.of(1));
    for (int round = 0; round < 2; round++) {
      Thread.sleep(delays.get(delays.size() - 1) * 1000L + 100);
      assertThat(loginAttempt("tom", "guess-again").statusCode()).isEqualTo(401);
      delays.add(retryAfter(loginAttempt("tom", "tom-password-1")));
    }
    assertThat(delays).containsExactly(1, 2, 4);
    Thread.sleep(4_100);
    assertThat(loginAttempt("tom", "tom-password-1").statusCode()).isEqualTo(200);
    // A success clears the name's failures: one more wrong password is a plain 401.
    assertThat(loginAttempt("tom", "guess").statusCode()).isEqualTo(401);
    assertThat(loginAttempt("tom", "tom-password-1").statusCode()).isEqualTo(200);
    // Each wrong password is in the audit log, with the client's address.
    JsonNode audit = server.get("/api/audit?size=500").json();
    List<JsonNode> failures = new ArrayList<>();
    audit
        .get("items")
        .forEach(
            e -> {
              if (e.get("action").asText().equals("login-failed")
                  && e.get("targetId").asText().equals("tom")) {
                failures.add(e);
              }
            });
    assertThat(failures).hasSize(LoginThrottle.NAME_FAILURES + 3);
    assertThat(failures.get(0).get("detail").asText()).isEqualTo("from 127.0.0.1");
  }

  @Test
  void wrongPasswordsFromOneAddressAreThrottledWhateverTheName() throws Exception {
    // A server of its own: its address throttle would hold the other tests up. Its data directory
    // exists already, open to others, as an earlier version left it.
    Path data = Path.of("target", "security-address-" + UUID.randomUUID()).toAbsolutePath();
    Files.createDirectories(data.resolve("metadata"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        data.resolve("metadata"), PosixFilePermissions.fromString("rwxr-xr-x"));
    try (TestServer own = new TestServer(data)) {
      assertThat(mode(data.resolve("metadata"))).isEqualTo("rwx------");
      assertThat(mode(data.resolve("state"))).isEqualTo("rwx------");
      Browser b = new Browser(own.base);
      for (int i = 0; i < LoginThrottle.ADDRESS_FAILURES; i++) {
        assertThat(
                b.send("POST", "/api/auth/login", Map.of("username", "ghost-" + i, "password", "x"))
                    .statusCode())
            .isEqualTo(401);
      }
      HttpResponse<String> admin =
          b.send(
              "POST",
              "/api/auth/login",
              Map.of("username", "admin", "password", TestServer.ADMIN_PASSWORD));
      assertThat(retryAfter(admin)).isEqualTo(1);
      Thread.sleep(1_100);
      assertThat(b.login("admin", TestServer.ADMIN_PASSWORD)).isEqualTo(200);
    }
  }

  // ---- 5. the data directory, the error page, the headers -----------------------------------

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void theDataDirectoryAndItsMetadataAreTheServersAlone() throws IOException {
    assertThat(mode(server.dataDir)).isEqualTo("rwx------");
    for (String folder : List.of("metadata", "state", "tmp")) {
      assertThat(mode(server.dataDir.resolve(folder))).as(folder).isEqualTo("rwx------");
    }
    assertThat(server.dataDir.resolve("metadata/ferry.mv.db")).exists();
    assertThat(mode(server.dataDir.resolve("secret.key"))).isEqualTo("rw-------");
  }

  @Test
  void theErrorPathAnswersNotFoundAndEveryResponseCarriesAContentSecurityPolicy()
      throws IOException {
    Browser anonymous = new Browser(server.base);
    for (HttpResponse<String> r :
        List.of(
            anonymous.send("GET", "/error", null),
            loggedIn("admin", TestServer.ADMIN_PASSWORD).send("GET", "/error", null))) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
      assertThat(TestServer.JSON.readTree(r.body()).get("status").asInt()).isEqualTo(404);
    }
    HttpResponse<String> page = anonymous.send("GET", "/", null);
    HttpResponse<String> api =
        loggedIn("admin", TestServer.ADMIN_PASSWORD).send("GET", "/api/auth/me", null);
    HttpResponse<String> refused = anonymous.send("GET", "/api/datasources", null);
    assertThat(refused.statusCode()).isEqualTo(401);
    for (HttpResponse<String> r : List.of(page, api, refused)) {
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .as(r.uri().toString())
          .hasValue(SecurityConfig.CONTENT_SECURITY_POLICY);
    }
    assertThat(SecurityConfig.CONTENT_SECURITY_POLICY)
        .contains("script-src 'self';", "frame-ancestors 'none'", "object-src 'none'");
    // The page fits it: no inline script, no inline event handler.
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).containsPattern("<script[^>]*\\bsrc=");
    assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
    assertThat(page.body()).doesNotContainPattern("\\son[a-z]+=");
  }

  // ---- 13. bad requests are 400 naming the field --------------------------------------------

  @Test
  void badRequestsAreRefusedNamingTheField() {
    Map<String, Object> noScript = Map.of("name", "no-script");
    assertField(server.post("/api/runs", noScript), "script");
    assertField(server.post("/api/runs", Map.of("script", " ")), "script");
    assertField(
        server.post(
            "/api/runs",
            Map.of(
                "name",
                "n".repeat(201),
                "script",
                "source: {connector: datagen, rows: 1}\nsink: {connector: blackhole}\n")),
        "name");
    assertField(
        server.post(
            "/api/datasources",
            Map.of(
                "alias",
                "long-description",
                "connector",
                "datagen",
                "description",
                "d".repeat(2001),
                "options",
                Map.of())),
        "description");
    assertField(
        server.post(
            "/api/tasks",
            Map.of(
                "name",
                "long-description",
                "mode",
                "script",
                "description",
                "d".repeat(2001),
                "script",
                "source: {connector: datagen, rows: 1}\nsink: {connector: blackhole}\n")),
        "description");
    assertField(server.post("/api/tasks", Map.of("name", "no-script", "mode", "script")), "script");
    assertField(server.get("/api/runs?state=BOGUS"), "state");
    assertField(server.get("/api/instances?state=BOGUS"), "state");
    assertThat(server.get("/api/runs?state=succeeded").status()).isEqualTo(200);
    assertThat(server.get("/api/instances?state=waiting").status()).isEqualTo(200);
  }

  private static void assertField(Reply r, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.json().findValuesAsText("field")).as(r.toString()).contains(field);
  }
}
