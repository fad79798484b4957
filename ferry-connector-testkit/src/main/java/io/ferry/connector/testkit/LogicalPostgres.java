package io.ferry.connector.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of the tests' own with {@code wal_level=logical}, for change-data-capture
 * tests: the machine's service runs with {@code wal_level=replica}. Started once per test JVM on
 * first use ({@code initdb} + {@code pg_ctl}, PostgreSQL 15's tools under {@code
 * /usr/lib/postgresql/15/bin}, or {@code -Dferry.pg.bin=}), on a free port bound to 127.0.0.1, with
 * its data directory under {@code target/logical-postgres-<pid>/}, trust authentication for the
 * superuser {@code postgres}, and stopped ({@code pg_ctl -m fast stop}) when the JVM exits.
 *
 * <p>PostgreSQL refuses to run as root: as root (CI), every tool runs as the {@code postgres} user
 * through {@code setpriv} (util-linux) and the data directory is handed to that user.
 *
 * <p>The server's time zone is {@value #TIME_ZONE} (not UTC, with a half-hour offset), so tests of
 * {@code timestamptz} see a server that does not agree with UTC by accident. A cluster that does
 * not start fails the test with the end of its log: never a silent skip.
 */
public final class LogicalPostgres {
  /** The server's {@code timezone} setting. */
  public static final String TIME_ZONE = "Asia/Kolkata";

  private static LogicalPostgres running;

  private final Path dir;
  private final int port;
  private final List<String> asPostgres;
  private final Path bin;

  private LogicalPostgres(Path dir, int port, List<String> asPostgres, Path bin) {
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
    this.bin = bin;
  }

  /** The cluster, started if it is not yet. */
  public static synchronized LogicalPostgres get() {
    if (running == null) {
      running = start();
      LogicalPostgres server = running;
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "logical-postgres-stop"));
    }
    return running;
  }

  /** The port it listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The superuser, trusted without a password. */
  public String user() {
    return "postgres";
  }

  /** The data directory. */
  public Path dataDirectory() {
    return dir;
  }

  private static LogicalPostgres start() {
    Path bin = Path.of(System.getProperty("ferry.pg.bin", "/usr/lib/postgresql/15/bin"));
    if (!Files.isExecutable(bin.resolve("initdb"))) {
      throw new IllegalStateException(
          "no PostgreSQL tools at " + bin + " (set -Dferry.pg.bin to the folder of initdb)");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> asPostgres =
        root
            ? List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups")
            : List.of();
    try {
      Path dir = Path.of("target", "logical-postgres-" + ProcessHandle.current().pid());
      Path data = dir.resolve("data").toAbsolutePath();
      Files.createDirectories(dir);
      if (root) {
        run(List.of("chown", "-R", "postgres:postgres", dir.toAbsolutePath().toString()));
      }
      int port = freePort();
      LogicalPostgres server = new LogicalPostgres(data, port, asPostgres, bin);
      server.tool(
          "initdb",
          "-D",
          data.toString(),
          "-A",
          "trust",
          "-U",
          "postgres",
          "-E",
          "UTF8",
          "--no-sync");
      String settings =
          String.join(
              " ",
              "-p " + port,
              "-c listen_addresses=127.0.0.1",
              // No Unix socket: a path under target/ can exceed the 107 bytes a socket path may
              // have.
              "-c unix_socket_directories=''",
              "-c wal_level=logical",
              "-c max_replication_slots=10",
              "-c max_wal_senders=10",
              "-c fsync=off",
              "-c timezone=" + TIME_ZONE);
      server.tool(
          "pg_ctl",
          "-D",
          data.toString(),
          "-o",
          settings,
          "-l",
          data.resolve("log").toString(),
          "-w",
          "-t",
          "60",
          "start");
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stop() {
    try {
      tool("pg_ctl", "-D", dir.toString(), "-m", "fast", "-w", "stop");
      // The cluster's files (WAL of heavy tests included) are not kept after a clean stop.
      try (var files = Files.walk(dir.getParent())) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    } catch (RuntimeException | IOException e) {
      System.err.println("could not stop the test PostgreSQL at " + dir + ": " + e.getMessage());
    }
  }

  private void tool(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(asPostgres);
    command.add(bin.resolve(name).toString());
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed:\n" + tail(output) + logTail(command));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private static String logTail(List<String> command) {
    int l = command.indexOf("-l");
    if (l < 0) {
      return "";
    }
    try {
      return "\nlog:\n" + tail(Files.readString(Path.of(command.get(l + 1))));
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
