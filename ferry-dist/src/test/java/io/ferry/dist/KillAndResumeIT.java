package io.ferry.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.ferry.connector.elasticsearch.EsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The break-point promise, tested the hard way: a 300,000-row MariaDB table is copied to PostgreSQL
 * and to MariaDB by real {@code bin/ferry} processes that are killed with SIGKILL at several points
 * and resumed with {@code ferry resume}, until a run ends; then the target is read back and
 * compared with the source row by row — no row lost, none duplicated, every value equal. Insert
 * targets have no unique key, so a duplicate would show; upsert targets have the key.
 *
 * <p>Why 300,000 rows are enough (this test copied 1,000,000 before): what it proves depends on
 * where the kills land, not on how many rows there are. Every copy is paced ({@link #PACE}), so it
 * lasts at least 5 s of copying on any machine, while a process copies at most 1.5 s before its
 * kill (kills come 1.2–2.7 s after a start, which itself takes more than a second): every path is
 * killed at least twice, at up to {@link #MAX_KILLS} points spread over the copy, and the kills
 * find splits finished, in flight and not yet started, as with the larger table. A kill before the
 * run planned still starts over. More rows only lengthened the last, unkilled run and the
 * read-back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillAndResumeIT {
  private static final Path DIST =
      Path.of(System.getProperty("ferry.dist", "target/ferry")).toAbsolutePath();
  private static final Path WORK = Path.of("target/it-resume").toAbsolutePath();
  private static final int ROWS = 300_000;

  /**
   * The rate every copy is held to (recordsPerSecond, the whole job's): ROWS / PACE = 5 s of
   * copying at least, so the run outlasts at least two kills however fast the machine.
   */
  private static final int PACE = 60_000;

  /**
   * Kills per path at most (was 6): each path is killed twice at least (asserted), so a resumed run
   * is itself killed and resumed, and up to four times at random points 1.2–2.7 s after a start,
   * which across the nine paths lands before planning, right after it, and in mid-copy with splits
   * done and splits in flight. Two more kills per path would only repeat those cases, at about 2 s
   * (a process start) each.
   */
  private static final int MAX_KILLS = 4;

  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String COLUMNS =
      "id, customer_id, sku, qty, price, status, created_at, note";

  private final String database = "ferry_resume_" + UUID.randomUUID().toString().replace("-", "");

  /**
   * MongoDB's wire protocol in this JVM on 127.0.0.1 (no mongod runs here); ferry connects to it.
   */
  private MongoServer mongo;

  private String mongoUri;
  private MongoClient mongoClient;

  /** An SFTP server in this JVM on 127.0.0.1, serving target/it-resume/sftp. */
  private SshServer sftp;

  private Path sftpKnownHosts;

  /** A real Elasticsearch node, started by the test that needs it. */
  private EsServer es;

  /** A third of the table: Elasticsearch indexes slower than the databases load. */
  private static final int ES_ROWS = 100_000;

  /** ES_ROWS / ES_PACE = 5 s of indexing at least, as {@link #PACE} for the others. */
  private static final int ES_PACE = 20_000;

  @BeforeAll
  void loadSource() throws Exception {
    Files.createDirectories(WORK);
    try (Connection c = DriverManager.getConnection(MARIADB, "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
      s.execute("USE " + database);
      s.execute(
          "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, sku VARCHAR(32),"
              + " qty INT, price DECIMAL(12,2), status VARCHAR(16) NULL, created_at DATETIME,"
              + " note VARCHAR(200) NULL)");
      // Deterministic rows, with NULLs, tabs, newlines, backslashes, quotes and non-ASCII.
      s.execute(
          "INSERT INTO orders SELECT seq, seq % 10007, CONCAT('SKU-', LPAD(seq % 9973, 6, '0')),"
              + " seq % 17, (seq % 100000) / 100,"
              + " CASE seq % 5 WHEN 0 THEN NULL WHEN 1 THEN 'NEW' WHEN 2 THEN 'PAID' ELSE 'SHIPPED'"
              + " END, '2024-01-01' + INTERVAL (seq % 31536000) SECOND,"
              + " CASE WHEN seq % 7 = 0 THEN NULL ELSE CONCAT('note ', seq, '\\t\\\\ \"quoted\"\\n"
              + " 订单 ✓ ', REPEAT('x', seq % 40)) END FROM seq_1_to_"
              + ROWS);
    }
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
  }

  @BeforeAll
  void startSftp() throws IOException {
    Files.createDirectories(WORK.resolve("sftp"));
    sftp = SshServer.setUpDefaultServer();
    sftp.setHost("127.0.0.1");
    sftp.setPort(0);
    SimpleGeneratorHostKeyProvider hostKeys =
        new SimpleGeneratorHostKeyProvider(WORK.resolve("sftp-host-key.ser"));
    sftp.setKeyPairProvider(hostKeys);
    sftp.setPasswordAuthenticator(
        (user, password, session) -> "etl".equals(user) && "s3cret".equals(password));
    sftp.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    sftp.setFileSystemFactory(new VirtualFileSystemFactory(WORK.resolve("sftp")));
    sftp.start();
    KeyPair key = hostKeys.loadKeys(null).iterator().next();
    sftpKnownHosts =
        Files.writeString(
            WORK.resolve("known_hosts"),
            "[127.0.0.1]:"
                + sftp.getPort()
                + " "
                + PublicKeyEntry.toString(key.getPublic())
                + "\n");
  }

  @AfterAll
  void stopSftp() throws IOException {
    sftp.stop(true);
  }

  @BeforeAll
  void startMongoDb() {
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    mongoUri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
    mongoClient = MongoClients.create(mongoUri);
  }

  @AfterAll
  void stopMongoDb() {
    mongoClient.close();
    mongo.shutdownNow();
  }

  @AfterAll
  void dropDatabases() throws Exception {
    try (Connection c = DriverManager.getConnection(MARIADB, "root", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database);
      s.execute("DROP DATABASE IF EXISTS " + database + "_copy");
    }
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  /**
   * The tsv file sink keeps whole splits: a killed run keeps the finished splits' parts, writes the
   * others again, and publishes one file at the end. The file is loaded into MariaDB to compare it.
   */
  @ParameterizedTest(name = "MariaDB to {0}, {1}")
  @CsvSource({
    "postgresql, insert",
    "postgresql, upsert",
    "mysql, insert",
    "mysql, upsert",
    "tsv, whole splits",
    "mongodb, insert",
    "mongodb, upsert",
    "sftp, whole splits",
    "elasticsearch, fullSync"
  })
  void killedRunsResumeWithoutLosingOrRepeatingARow(String target, String mode) throws Exception {
    String targetDatabase = target.equals("postgresql") ? database : database + "_copy";
    if (target.equals("mongodb")) {
      mongoCollection(mode).drop();
    } else if (target.equals("elasticsearch")) {
      es = EsServer.es8();
    } else {
      createTarget(
          target.equals("tsv") || target.equals("sftp") ? "mysql" : target,
          targetDatabase,
          mode.equals("upsert"));
    }
    Path job = job(target, targetDatabase, mode);

    Files.deleteIfExists(WORK.resolve("ferry.err"));
    Random random = new Random((target + mode).hashCode());
    long started = System.nanoTime();
    String key = null;
    int kills = 0;
    int exit;
    while (true) {
      Process process =
          key == null ? start("run", "-v", job.toString()) : start("resume", "-v", key);
      // Kill once rows are flowing: after start-up plus a random part of the copy.
      boolean ended = process.waitFor(1200 + random.nextInt(1500), TimeUnit.MILLISECONDS);
      if (ended || kills == MAX_KILLS) {
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        exit = process.exitValue();
        break;
      }
      process.destroyForcibly(); // SIGKILL: no pause, no last flush
      process.waitFor(30, TimeUnit.SECONDS);
      kills++;
      if (key == null) {
        // Killed before it planned: nothing was written, so a new run starts over.
        key = lastRunKey();
      }
    }
    assertThat(exit).as(Files.readString(WORK.resolve("ferry.err"))).isZero();
    assertThat(kills).as("the run must have been killed mid-copy").isGreaterThanOrEqualTo(2);
    System.out.printf(
        "%s %s: %d kills, copied in %d ms%n",
        target, mode, kills, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    if (target.equals("mongodb")) {
      assertSameDocuments(mongoCollection(mode));
      return;
    }
    if (target.equals("elasticsearch")) {
      assertSameIndexedDocuments();
      return;
    }
    if (target.equals("tsv")) {
      loadTsv(targetDatabase, WORK.resolve("orders.tsv"));
    } else if (target.equals("sftp")) {
      loadTsv(targetDatabase, WORK.resolve("sftp/orders.tsv"));
    }
    assertSameRows(target.equals("postgresql") ? target : "mysql", targetDatabase);
  }

  /**
   * Reads every document behind the alias (named after the database) in id order, page by page, and
   * compares each with its source row; the alias must point at exactly one index.
   */
  private void assertSameIndexedDocuments() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String alias = database;
    JsonNode aliases = JSON.readTree(get(http, "/_alias/" + alias));
    assertThat(aliases.size()).as("indexes behind alias %s: %s", alias, aliases).isEqualTo(1);
    try (Connection source = DriverManager.getConnection(MARIADB + database, "root", "");
        Statement s = source.createStatement()) {
      s.setFetchSize(10_000);
      try (ResultSet a =
          s.executeQuery(
              "SELECT " + COLUMNS + " FROM orders WHERE id <= " + ES_ROWS + " ORDER BY id")) {
        String[] names = COLUMNS.split(", ");
        long after = 0;
        long seen = 0;
        while (true) {
          JsonNode hits =
              JSON.readTree(
                      get(http, "/" + alias + "/_search?size=10000&sort=id:asc&q=id:%3E" + after))
                  .path("hits")
                  .path("hits");
          if (hits.isEmpty()) {
            break;
          }
          for (JsonNode hit : hits) {
            assertThat(a.next())
                .as("more documents than rows, at _id %s", hit.path("_id"))
                .isTrue();
            JsonNode doc = hit.path("_source");
            assertThat(hit.path("_id").asText()).isEqualTo(String.valueOf(a.getLong("id")));
            for (String name : names) {
              Object expected = a.getObject(name);
              JsonNode value = doc.path(name);
              String actual = value.isNull() || value.isMissingNode() ? null : value.asText();
              if (expected instanceof java.time.LocalDateTime
                  || expected instanceof java.sql.Timestamp) {
                actual = actual == null ? null : java.time.LocalDateTime.parse(actual).toString();
              }
              if (expected instanceof java.math.BigDecimal && actual != null) {
                actual = new java.math.BigDecimal(actual).toPlainString();
              }
              assertSameValue(actual, canonical(expected), a.getLong("id"), name);
            }
            after = a.getLong("id");
            seen++;
          }
        }
        assertThat(a.next()).as("rows missing from the index after %d documents", seen).isFalse();
        assertThat(seen).isEqualTo(ES_ROWS);
      }
    }
  }

  private String get(HttpClient http, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create(es.url() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private MongoCollection<Document> mongoCollection(String mode) {
    return mongoClient.getDatabase(database).getCollection("orders_" + mode);
  }

  /**
   * Reads every document (by its {@code id} field: in insert mode {@code _id} is an ObjectId, so a
   * document written twice would show as two) and compares each with its source row.
   */
  private void assertSameDocuments(MongoCollection<Document> collection) throws SQLException {
    Map<Long, Document> byId = new HashMap<>();
    for (Document d : collection.find().batchSize(10_000)) {
      Document earlier = byId.put(d.getLong("id"), d);
      assertThat(earlier).as("documents with id %s", d.getLong("id")).isNull();
    }
    assertThat(byId).hasSize(ROWS);
    try (Connection source = DriverManager.getConnection(MARIADB + database, "root", "");
        Statement s = source.createStatement()) {
      s.setFetchSize(10_000);
      try (ResultSet a = s.executeQuery("SELECT " + COLUMNS + " FROM orders")) {
        while (a.next()) {
          Document d = byId.get(a.getLong("id"));
          assertThat(d).as("document of id %s", a.getLong("id")).isNotNull();
          String[] names = COLUMNS.split(", ");
          for (String name : names) {
            Object value = d.get(name);
            if (value instanceof Decimal128 decimal) {
              value = decimal.bigDecimalValue();
            } else if (value instanceof java.util.Date date) {
              value = LocalDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
            }
            assertSameValue(canonical(value), canonical(a.getObject(name)), a.getLong("id"), name);
          }
        }
      }
    }
  }

  /** Loads the tsv output into {@code targetDatabase}.orders (MariaDB reads the same format). */
  private void loadTsv(String targetDatabase, Path file) throws SQLException {
    try (Stream<Path> leftovers = Files.list(file.getParent())) {
      assertThat(leftovers.map(p -> p.getFileName().toString()))
          .as("temporary parts left beside the output")
          .noneMatch(name -> name.startsWith(".orders.tsv"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Connection c =
            DriverManager.getConnection(
                MARIADB + targetDatabase + "?allowLocalInfile=true", "root", "");
        Statement s = c.createStatement()) {
      s.execute(
          "LOAD DATA LOCAL INFILE '"
              + file
              + "' INTO TABLE orders CHARACTER SET utf8mb4 ("
              + COLUMNS
              + ")");
    }
  }

  @org.junit.jupiter.api.Test
  void terminatedDatabaseSessionsAreRetriedOrPauseTheRunWithItsCheckpoint() throws Exception {
    createTarget("postgresql", database, true);
    Path job = job("postgresql", database, "upsert");
    Files.deleteIfExists(WORK.resolve("ferry.err"));
    Process process = start("run", "-v", job.toString());
    // Once the run has planned and copies (a session cut during the live check is a failed check,
    // not this test's case), plus a moment of the copy.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lastRunKey() == null && process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(500);
    // Cut every session of the run on both sides, as a database restart or a DBA would.
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + database
              + "' AND pid <> pg_backend_pid()");
    }
    try (Connection c = DriverManager.getConnection(MARIADB, "root", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id FROM information_schema.PROCESSLIST WHERE DB = '"
                    + database
                    + "' AND id <> CONNECTION_ID()")) {
      List<Long> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
      for (long id : ids) {
        try (Statement kill = c.createStatement()) {
          kill.execute("KILL CONNECTION " + id);
        } catch (SQLException gone) {
          // The session ended by itself in between.
        }
      }
    }
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    int exit = process.exitValue();
    if (exit == 5) {
      // The retries ran out: the run paused with its checkpoint and resumes.
      Process resumed = start("resume", lastRunKey());
      assertThat(resumed.waitFor(5, TimeUnit.MINUTES)).isTrue();
      exit = resumed.exitValue();
    }
    assertThat(exit).as(Files.readString(WORK.resolve("ferry.err"))).isZero();
    assertSameRows("postgresql", database);
  }

  private void createTarget(String target, String targetDatabase, boolean withKey)
      throws SQLException {
    String key = withKey ? " PRIMARY KEY" : "";
    if (target.equals("mysql")) {
      try (Connection c = DriverManager.getConnection(MARIADB, "root", "");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE IF NOT EXISTS " + targetDatabase + " CHARACTER SET utf8mb4");
        s.execute("DROP TABLE IF EXISTS " + targetDatabase + ".orders");
        s.execute(
            "CREATE TABLE "
                + targetDatabase
                + ".orders (id BIGINT NOT NULL"
                + key
                + ", customer_id INT NOT NULL, sku VARCHAR(32), qty INT, price DECIMAL(12,2),"
                + " status VARCHAR(16) NULL, created_at DATETIME, note VARCHAR(200) NULL"
                + (withKey ? "" : ", INDEX (id)")
                + ")");
      }
    } else {
      try (Connection c = DriverManager.getConnection(POSTGRES + targetDatabase, "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS orders");
        s.execute(
            "CREATE TABLE orders (id BIGINT NOT NULL"
                + key
                + ", customer_id INTEGER NOT NULL, sku VARCHAR(32), qty INTEGER,"
                + " price NUMERIC(12,2), status VARCHAR(16), created_at TIMESTAMP,"
                + " note VARCHAR(200))");
        if (!withKey) {
          s.execute("CREATE INDEX ON orders (id)");
        }
      }
    }
  }

  private Path job(String target, String targetDatabase, String mode) throws IOException {
    if (target.equals("sftp")) {
      Files.createDirectories(WORK.resolve("sftp"));
      Files.deleteIfExists(WORK.resolve("sftp/orders.tsv"));
      return Files.writeString(
          WORK.resolve("sftp.yaml"),
          """
          source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: orders, splitsPerChannel: 16}
          sink: {connector: sftp, host: 127.0.0.1, port: %d, user: etl, password: s3cret, knownHosts: '%s',
                 path: /orders.tsv, format: tsv, header: false, overwrite: true}
          settings: {channels: 2, flushInterval: 200ms, recordsPerSecond: %d}
          """
              .formatted(database, sftp.getPort(), sftpKnownHosts, PACE));
    }
    if (target.equals("elasticsearch")) {
      return Files.writeString(
          WORK.resolve("elasticsearch.yaml"),
          """
          kind: fullSync
          source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: orders, where: "id <= %d"}
          sink: {connector: elasticsearch, hosts: ['%s'], index: %s, bulkActions: 5000}
          settings: {channels: 2, flushInterval: 500ms, recordsPerSecond: %d}
          """
              .formatted(database, ES_ROWS, es.url(), database, ES_PACE));
    }
    if (target.equals("tsv")) {
      // More, smaller splits: a kill loses only the splits in flight.
      return Files.writeString(
          WORK.resolve("tsv.yaml"),
          """
          source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: orders, splitsPerChannel: 16}
          sink: {connector: file, path: %s, format: tsv, header: false, overwrite: true}
          settings: {channels: 2, flushInterval: 200ms, recordsPerSecond: %d}
          """
              .formatted(database, WORK.resolve("orders.tsv"), PACE));
    }
    if (target.equals("mongodb")) {
      // insert: ObjectIds, so a row written twice would be two documents; resume deletes the
      // remaining id range first. upsert: _id from id, overwritten when written again.
      String sink =
          "{connector: mongodb, uri: '"
              + mongoUri
              + "', database: "
              + database
              + ", collection: orders_"
              + mode
              + ", writeMode: "
              + mode
              + (mode.equals("upsert") ? ", idColumns: [id]" : "")
              + "}";
      return Files.writeString(
          WORK.resolve("mongodb-" + mode + ".yaml"),
          """
          source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: orders}
          sink: %s
          settings: {channels: 2, flushInterval: 200ms, recordsPerSecond: %d}
          """
              .formatted(database, sink, PACE));
    }
    String sink =
        target.equals("mysql")
            ? "{connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: "
                + targetDatabase
                + ", table: orders, writeMode: "
                + mode
                + "}"
            : "{connector: postgresql, host: 127.0.0.1, port: 5432, user: postgres, database: "
                + targetDatabase
                + ", table: orders, writeMode: "
                + mode
                + "}";
    return Files.writeString(
        WORK.resolve(target + "-" + mode + ".yaml"),
        """
        source: {connector: mysql, host: 127.0.0.1, port: 3306, user: root, database: %s, table: orders}
        sink: %s
        settings: {channels: 2, flushInterval: 200ms, recordsPerSecond: %d}
        """
            .formatted(database, sink, PACE));
  }

  /** Reads both tables ordered by id and compares every row's every value. */
  private void assertSameRows(String target, String targetDatabase) throws SQLException {
    String select = "SELECT " + COLUMNS + " FROM orders ORDER BY id";
    try (Connection source = DriverManager.getConnection(MARIADB + database, "root", "");
        Connection copy =
            target.equals("mysql")
                ? DriverManager.getConnection(MARIADB + targetDatabase, "root", "")
                : DriverManager.getConnection(POSTGRES + targetDatabase, "postgres", "");
        Statement s1 = source.createStatement();
        Statement s2 = copy.createStatement()) {
      copy.setAutoCommit(false);
      s1.setFetchSize(10_000);
      s2.setFetchSize(10_000);
      try (ResultSet a = s1.executeQuery(select);
          ResultSet b = s2.executeQuery(select)) {
        long rows = 0;
        while (a.next()) {
          assertThat(b.next()).as("target ends after %d rows", rows).isTrue();
          for (int c = 1; c <= 8; c++) {
            String expected = canonical(a.getObject(c));
            String actual = canonical(b.getObject(c));
            // AssertJ only on a difference: 8 million assertThat calls cost seconds per path.
            if (!Objects.equals(actual, expected)) {
              assertThat(actual).as("row id=%s column %d", a.getObject(1), c).isEqualTo(expected);
            }
          }
          rows++;
        }
        assertThat(b.next()).as("target has more rows than the source's %d", rows).isFalse();
        assertThat(rows).isEqualTo(ROWS);
      }
    }
  }

  /**
   * A read-back value equals its source's; AssertJ only on a difference, since millions of {@code
   * assertThat} calls cost seconds per path.
   */
  private static void assertSameValue(String actual, String expected, long id, String column) {
    if (!Objects.equals(actual, expected)) {
      assertThat(actual).as("id=%s field %s", id, column).isEqualTo(expected);
    }
  }

  private static String canonical(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof java.math.BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime().toString();
    }
    if (value instanceof java.time.temporal.TemporalAccessor) {
      return value.toString();
    }
    return value.toString();
  }

  private static Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(DIST.resolve("bin/ferry").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile());
    builder.environment().put("FERRY_STATE_DIR", WORK.resolve("state").toString());
    // No class-data archive: the launcher's first run writes one after the run has ended, and a
    // kill on this test's timer must find a run mid-copy, not a finished run still writing it.
    builder.environment().put("FERRY_CDS", "off");
    return builder
        .redirectOutput(WORK.resolve("ferry.out").toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(WORK.resolve("ferry.err").toFile()))
        .start();
  }

  /** The key of the run {@code ferry run} started, from its INFO log line; null before it. */
  private static String lastRunKey() throws IOException {
    Path err = WORK.resolve("ferry.err");
    if (!Files.exists(err)) {
      return null;
    }
    Matcher m = Pattern.compile("Run (\\S+): \\d+ splits").matcher(Files.readString(err));
    String key = null;
    while (m.find()) {
      key = m.group(1);
    }
    return key;
  }
}
