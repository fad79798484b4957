package io.ferry.connector.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server with the binary log on, for change-data-capture tests: its own data directory
 * under {@code target/}, a free port on 127.0.0.1, user {@code root} without password, {@code
 * binlog_format=ROW}, {@code binlog_row_image=FULL}, {@code binlog_row_metadata=FULL}, server id 1,
 * and the server time zone {@code +03:00} (not UTC, so that time zone mistakes show). The machine's
 * service MariaDB at 3306 has the binlog off; this one is started by the test JVM.
 *
 * <p>{@link #shared()} starts one server per test JVM (about 2 s) and stops it when the JVM exits.
 * Each test creates its own database on it. Needs {@code mariadb-install-db} and {@code mariadbd}
 * (Debian's mariadb-server package; present on dev and CI machines): a missing binary fails the
 * test loudly rather than skipping it. {@code --no-defaults} keeps the machine's my.cnf (which sets
 * {@code user=mysql} and a log path) out; {@code --user=root} lets it run as root, as {@code
 * .ci/run} does.
 */
public final class BinlogMariaDb implements AutoCloseable {
  private static BinlogMariaDb shared;

  private final Path dataDir;
  private final int port;
  private final Process process;

  private BinlogMariaDb(Path dataDir, int port, Process process) {
    this.dataDir = dataDir;
    this.port = port;
    this.process = process;
  }

  /** The server of this test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized BinlogMariaDb shared() {
    if (shared == null) {
      BinlogMariaDb server = start(Path.of("target"));
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "binlog-mariadb-stop"));
      shared = server;
    }
    return shared;
  }

  /**
   * Starts a new server with its data directory in a new folder under {@code parent}; the caller
   * closes it.
   */
  public static BinlogMariaDb start(Path parent) {
    try {
      Files.createDirectories(parent);
      Path dir = Files.createTempDirectory(parent.toAbsolutePath(), "binlog-mariadb-");
      Path data = dir.resolve("data");
      run(
          dir.resolve("install.log"),
          List.of(
              binary("mariadb-install-db"),
              "--no-defaults",
              "--user=root",
              "--datadir=" + data,
              "--auth-root-authentication-method=normal",
              "--skip-test-db"));
      int port = freePort();
      List<String> command = new ArrayList<>();
      command.add(binary("mariadbd"));
      command.addAll(
          List.of(
              "--no-defaults",
              "--user=root",
              "--datadir=" + data,
              "--port=" + port,
              "--bind-address=127.0.0.1",
              "--socket=" + dir.resolve("sock"),
              "--pid-file=" + dir.resolve("pid"),
              "--log-error=" + dir.resolve("error.log"),
              "--log-bin=" + dir.resolve("binlog"),
              "--binlog-format=ROW",
              "--binlog-row-image=FULL",
              "--binlog-row-metadata=FULL",
              "--server-id=1",
              "--default-time-zone=+03:00",
              "--character-set-server=utf8mb4",
              "--collation-server=utf8mb4_bin",
              "--innodb-buffer-pool-size=64M",
              "--innodb-log-file-size=48M",
              "--skip-name-resolve"));
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("mariadbd.out").toFile())
              .start();
      BinlogMariaDb server = new BinlogMariaDb(dir, port, process);
      server.awaitReady(dir.resolve("error.log"));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String binary(String name) {
    for (String folder : List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin")) {
      Path p = Path.of(folder, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new IllegalStateException(
        name + " is not installed (apt-get install mariadb-server); CDC tests need it");
  }

  private static void run(Path log, List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " failed:\n" + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitReady(Path errorLog) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mariadbd exited with " + process.exitValue() + ":\n" + read(errorLog));
      }
      if (read(errorLog).contains("ready for connections")) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
          return;
        } catch (IOException e) {
          // not yet
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    close();
    throw new IllegalStateException("mariadbd not ready within 60 s:\n" + read(errorLog));
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  public String user() {
    return "root";
  }

  public String password() {
    return "";
  }

  /** {@code jdbc:mariadb://127.0.0.1:port/database} (database may be null). */
  public String jdbcUrl(String database) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + (database == null ? "" : database);
  }

  /** The binlog readers (replication dump threads) connected to the server now. */
  public int binlogReaders() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(null), user(), password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                    + " WHERE COMMAND LIKE 'Binlog Dump%'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The server's folder (data directory, binlog files, error log). */
  public Path directory() {
    return dataDir;
  }

  /** Stops the server (SIGTERM, then SIGKILL after 30 s); its folder stays for inspection. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
