package io.ferry.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files the distribution ships agree with it and with the docs. No container runtime
 * runs here, so the Dockerfile is checked by what can be checked without one: everything it copies
 * exists in the built installation (its build context), the runtime folders are all copied, it runs
 * as a non-root user it creates, its data folder is the volume and {@code FERRY_DATA_DIR}, its
 * entrypoint is the installation's {@code bin/ferry}, the port it exposes is the server's, and the
 * server started as the image starts it (its entrypoint, command and environment) listens on every
 * interface and answers the health check's request without a login. The systemd unit in {@code
 * systemd/ferry.service} is the one docs/operations.md shows.
 */
class DeploymentFilesIT {
  private static final Path DIST =
      Path.of(System.getProperty("ferry.dist", "target/ferry")).toAbsolutePath();
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Path WORK = Path.of("target/it-deployment").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One Dockerfile instruction, continuation lines joined. */
  private record Instruction(String keyword, String arguments) {}

  @Test
  void theDockerfileCopiesTheInstallationItIsBuiltFrom() throws IOException {
    Path dockerfile = DIST.resolve("Dockerfile");
    assertThat(dockerfile).as("the distribution ships its Dockerfile").isRegularFile();
    assertThat(Files.readString(dockerfile))
        .isEqualTo(Files.readString(Path.of("src/main/docker/Dockerfile")));
    assertThat(one(instructions(), "FROM"))
        .as("a Java 17 runtime image")
        .matches(".*:17[.-].*jre.*|.*:17-jre.*");

    List<String> copied = new ArrayList<>();
    List<String> ignored =
        Files.readAllLines(DIST.resolve(".dockerignore")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    for (Instruction copy : all(instructions(), "COPY")) {
      assertThat(copy.arguments())
          .as("COPY without options (no --chown: root owns the code)")
          .doesNotStartWith("--");
      String[] parts = copy.arguments().split("\\s+");
      assertThat(parts).as("COPY source destination: %s", copy.arguments()).hasSize(2);
      String source = parts[0].replaceAll("/$", "");
      assertThat(DIST.resolve(source))
          .as("COPY %s: the built distribution has it", parts[0])
          .exists();
      assertThat(ignored)
          .as(".dockerignore keeps %s in the context", source)
          .doesNotContain(source);
      assertThat(parts[1])
          .as("COPY %s goes under the installation", source)
          .startsWith("/opt/ferry/");
      copied.add(source);
    }
    // What the launcher runs from: the command line, the server, and every connector folder.
    assertThat(copied).contains("bin", "lib", "server", "connectors");
    try (var connectors = Files.list(DIST.resolve("connectors"))) {
      assertThat(connectors.count()).as("connector folders copied with connectors/").isPositive();
    }
  }

  @Test
  void theImageRunsAsANonRootUserItCreates() throws IOException {
    List<Instruction> instructions = instructions();
    String user = one(instructions, "USER").split(":")[0];
    assertThat(user).isNotIn("root", "0", "").doesNotContain("$");
    String run =
        String.join(" ", all(instructions, "RUN").stream().map(Instruction::arguments).toList());
    assertThat(run)
        .as("a RUN creates user %s", user)
        .containsPattern("useradd\\b.*\\b" + user + "$|useradd\\b.*\\b" + user + "\\s");
    // The account owns its data folder, which is the volume and FERRY_DATA_DIR.
    String dataDir = env(instructions).get("FERRY_DATA_DIR");
    assertThat(dataDir).isNotBlank();
    assertThat(one(instructions, "VOLUME")).isIn(dataDir, "[\"" + dataDir + "\"]");
    assertThat(run).containsPattern("install -d -o " + user + " .*" + Pattern.quote(dataDir));
    // The server's run state would be lost with the container if FERRY_STATE_DIR were elsewhere.
    assertThat(env(instructions).get("FERRY_STATE_DIR")).startsWith(dataDir + "/");
  }

  @Test
  void theEntrypointIsTheLauncherAndTheCommandTheServer() throws IOException {
    List<Instruction> instructions = instructions();
    List<String> entrypoint = execForm(one(instructions, "ENTRYPOINT"));
    assertThat(entrypoint).containsExactly("/opt/ferry/bin/ferry");
    assertThat(execForm(one(instructions, "CMD"))).containsExactly("server");
    assertThat(all(instructions, "COPY"))
        .anyMatch(c -> c.arguments().equals("bin/ /opt/ferry/bin/"));
    assertThat(DIST.resolve("bin/ferry")).isExecutable();
  }

  @Test
  void theServerStartedAsTheImageStartsItListensOnEveryInterfaceAndIsHealthy() throws Exception {
    List<Instruction> instructions = instructions();
    int exposed = Integer.parseInt(one(instructions, "EXPOSE"));
    Properties server = new Properties();
    try (InputStream in =
        Files.newInputStream(
            REPOSITORY.resolve("ferry-server/src/main/resources/application.properties"))) {
      server.load(in);
    }
    assertThat(exposed)
        .as("EXPOSE is the server's port")
        .isEqualTo(Integer.parseInt(server.getProperty("server.port")));

    String healthcheck = one(instructions, "HEALTHCHECK");
    assertThat(healthcheck).contains("/dev/tcp/127.0.0.1/" + exposed);
    Matcher request = Pattern.compile("GET (/\\S+) HTTP").matcher(healthcheck);
    assertThat(request.find()).as("the health check sends a GET: %s", healthcheck).isTrue();
    String path = request.group(1);

    // The image's entrypoint and command, with the image's environment; only the data folder
    // (the volume) and, since other tests run on this machine, the port differ.
    Path data = WORK.resolve("volume");
    Files.createDirectories(WORK);
    deleteRecursively(data);
    int port = freePort();
    Map<String, String> env = env(instructions);
    env.put("FERRY_DATA_DIR", data.toString());
    env.put("FERRY_STATE_DIR", data.resolve("cli-state").toString());
    env.remove("PATH");
    env.put("FERRY_ADMIN_PASSWORD", "deployment-files-it");
    List<String> command = new ArrayList<>();
    command.add(DIST.resolve("bin/ferry").toString());
    command.addAll(execForm(one(instructions, "CMD")));
    command.add("--server.port=" + port);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(WORK.toFile())
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve("server.out").toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      HttpResponse<String> health = null;
      while (System.nanoTime() < deadline && process.isAlive()) {
        try {
          health =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (health.statusCode() == 200) {
            break;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(500);
      }
      assertThat(health)
          .as(
              "the server answered %s; it printed:%n%s",
              path, Files.readString(WORK.resolve("server.out")))
          .isNotNull();
      assertThat(health.statusCode()).as("%s without a login", path).isEqualTo(200);
      assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
      assertThat(listensOnEveryInterface(port))
          .as("SERVER_ADDRESS=0.0.0.0: the server listens on 0.0.0.0:%d", port)
          .isTrue();
      assertThat(data.resolve("secret.key")).as("the server keeps its data in the volume").exists();
    } finally {
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the server ends on SIGTERM").isTrue();
    }
  }

  @Test
  void theSystemdUnitIsTheOneTheOperationsGuideShows() throws IOException {
    Path unit = DIST.resolve("systemd/ferry.service");
    assertThat(unit).as("the distribution ships the systemd unit").isRegularFile();
    String shipped = Files.readString(unit);
    assertThat(iniBlock(REPOSITORY.resolve("docs/operations.md")))
        .as("docs/operations.md shows systemd/ferry.service as shipped")
        .isEqualTo(shipped);
    // The Chinese guide translates the comments only.
    assertThat(directives(iniBlock(REPOSITORY.resolve("docs/zh-CN/operations.md"))))
        .isEqualTo(directives(shipped));
    assertThat(directives(shipped))
        .anyMatch(l -> l.startsWith("ExecStart=/opt/ferry/bin/ferry server"))
        .contains("Environment=FERRY_DATA_DIR=/var/lib/ferry", "ReadWritePaths=/var/lib/ferry")
        .noneMatch(l -> l.startsWith("User=root"));
  }

  // ---------------------------------------------------------------------------------------------

  private static List<Instruction> instructions() throws IOException {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(DIST.resolve("Dockerfile"))) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String text = current.toString().strip();
      current.setLength(0);
      int space = text.indexOf(' ');
      instructions.add(
          new Instruction(
              text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()));
    }
    return instructions;
  }

  private static List<Instruction> all(List<Instruction> instructions, String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The arguments of the last instruction with this keyword (the one that takes effect). */
  private static String one(List<Instruction> instructions, String keyword) {
    List<Instruction> found = all(instructions, keyword);
    assertThat(found).as("the Dockerfile has %s", keyword).isNotEmpty();
    return found.get(found.size() - 1).arguments();
  }

  private static List<String> execForm(String arguments) throws IOException {
    assertThat(arguments).as("exec form (a JSON array): %s", arguments).startsWith("[");
    return List.of(JSON.readValue(arguments, String[].class));
  }

  /** ENV NAME=value pairs (values without blanks), in order. */
  private static Map<String, String> env(List<Instruction> instructions) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Instruction instruction : all(instructions, "ENV")) {
      for (String pair : instruction.arguments().split("\\s+")) {
        int equals = pair.indexOf('=');
        assertThat(equals).as("ENV NAME=value: %s", pair).isPositive();
        env.put(pair.substring(0, equals), pair.substring(equals + 1));
      }
    }
    return env;
  }

  /** Whether /proc/net/tcp (and tcp6) shows a listening socket on the wildcard address. */
  private static boolean listensOnEveryInterface(int port) throws IOException {
    String hexPort = String.format(":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        String[] fields = line.strip().split("\\s+");
        if (fields.length > 3 && fields[1].endsWith(hexPort) && fields[3].equals("0A")) {
          String address = fields[1].substring(0, fields[1].indexOf(':'));
          if (address.chars().allMatch(c -> c == '0')) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The ini block of a guide that shows /etc/systemd/system/ferry.service. */
  private static String iniBlock(Path guide) throws IOException {
    List<String> lines = Files.readAllLines(guide);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("```ini")
          && i + 1 < lines.size()
          && lines.get(i + 1).contains("/etc/systemd/system/ferry.service")) {
        StringBuilder block = new StringBuilder();
        for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("```"); j++) {
          block.append(lines.get(j)).append('\n');
        }
        return block.toString();
      }
    }
    throw new AssertionError(guide + " shows no ferry.service unit");
  }

  private static List<String> directives(String unit) {
    return unit.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
