package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.verify.Difference;
import io.ferry.engine.verify.VerifyMode;
import io.ferry.engine.verify.VerifyOptions;
import io.ferry.engine.verify.VerifyResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry verify} on the real servers (issue 21): a MariaDB table copied into PostgreSQL is
 * equal by both methods (checksums the databases compute, and the keyed merge of every row), with
 * no false differences where the stores merely spell values otherwise (DECIMAL(38,10) vs
 * NUMERIC(38,10), DECIMAL(10,2) vs NUMERIC(12,4), DATETIME(3) vs TIMESTAMP(6), CHAR padding, a
 * FLOAT in a DOUBLE PRECISION, tinyint(1) vs boolean); then each kind of difference is injected on
 * the target and found exactly, with its columns, and repaired. The canonical form's collision
 * cases are shown apart by the databases' own checksums; a table without a key is compared by count
 * and checksum and never repaired.
 */
class VerifyIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  static TestDatabases.MariaDb maria;
  static TestDatabases.Postgres pg;

  @TempDir static Path state;

  @BeforeAll
  static void databases() throws Exception {
    maria = new TestDatabases.MariaDb();
    pg = new TestDatabases.Postgres();
  }

  @AfterAll
  static void drop() throws Exception {
    if (maria != null) {
      maria.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static final String MARIA_COLUMNS =
      "id int primary key, name varchar(40) not null, code char(5), amount decimal(38,10),"
          + " qty int, at datetime(3), ts timestamp(6) null, d date, flag tinyint(1),"
          + " bin varbinary(16), note varchar(20) null, price decimal(10,2)";

  private static final String PG_COLUMNS =
      "id integer primary key, name varchar(40) not null, code char(5), amount numeric(38,10),"
          + " qty integer, at timestamp(6), ts timestamptz(6), d date, flag boolean,"
          + " bin bytea, note varchar(20), price numeric(12,4)";

  /** Rows 1..40 with every family of values, some NULL, some with trailing decimal zeros. */
  private static void fill(String table) throws Exception {
    List<String> rows = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      rows.add(
          "("
              + i
              + ", 'name "
              + i
              + "', "
              + (i % 5 == 0 ? "NULL" : "'c" + i + "'")
              + ", "
              + (i % 7 == 0 ? "NULL" : i + ".1234567891")
              + ", "
              + (i * 10)
              + ", '2024-03-"
              + String.format("%02d", 1 + i % 28)
              + " 10:20:30."
              + String.format("%03d", i)
              + "', '2024-06-01 12:00:00."
              + String.format("%06d", i * 7)
              + "', '2023-01-"
              + String.format("%02d", 1 + i % 28)
              + "', "
              + (i % 2)
              + ", X'"
              + String.format("%02x%02x", i, 255 - i)
              + "', "
              + (i % 3 == 0 ? "NULL" : i % 3 == 1 ? "''" : "'n" + i + "'")
              + ", "
              + i
              + ".50)");
    }
    maria.execute("INSERT INTO " + table + " VALUES " + String.join(", ", rows));
  }

  private static String job(String source, String target) {
    return """
        source: {connector: mysql, %s, table: %s}
        sink: {connector: postgresql, %s, table: %s}
        settings: {channels: 2}
        """
        .formatted(maria.options(), source, pg.options(), target);
  }

  private static Engine engine() {
    return new Engine(ConnectorRegistry.fromClassPath(VerifyIT.class.getClassLoader()), state);
  }

  private static VerifyResult verify(String yaml, VerifyOptions options) {
    return engine().verify(JobSpecLoader.parse(yaml, false, null, "verify-it", Map.of()), options);
  }

  /** Content, differences compared again after a short delay (nothing changes meanwhile). */
  private static VerifyOptions content(boolean pushdown) {
    return VerifyOptions.content()
        .withPushdown(pushdown)
        .withParallelism(2)
        .withRecheck(Duration.ofMillis(200), null);
  }

  /** Differences as {@code kind key -> columns}, sorted: what the assertions compare. */
  private static Map<String, String> found(VerifyResult r) {
    Map<String, String> m = new TreeMap<>();
    for (Difference d : r.sample()) {
      m.put(
          d.kind().name().toLowerCase() + " " + String.join(",", d.key().values()),
          d.columns().stream()
              .map(c -> c.column() + ":" + c.source() + "->" + c.target())
              .collect(Collectors.joining(" ")));
    }
    return m;
  }

  @Test
  void copyIsEqualThenEachInjectedDifferenceIsFoundExactlyAndRepaired() throws Exception {
    maria.execute("CREATE TABLE src (" + MARIA_COLUMNS + ")");
    pg.execute("CREATE TABLE dst (" + PG_COLUMNS + ")");
    fill("src");
    String job = job("src", "dst");
    FerryJobs.run(state, "copy", job).succeeded();

    for (boolean pushdown : new boolean[] {true, false}) {
      VerifyResult equal = verify(job, content(pushdown));
      assertThat(equal.equal()).as("%s: %s", pushdown, equal.sample()).isTrue();
      assertThat(equal.sourceRows()).isEqualTo(40);
      assertThat(equal.targetRows()).isEqualTo(40);
      assertThat(equal.method()).isEqualTo(pushdown ? "checksum" : "keyed merge");
      assertThat(equal.rangesRead()).isEqualTo(pushdown ? 0 : equal.ranges());
    }
    // Another job zone: MariaDB's TIMESTAMP is read (and hashed) in a +08:00 session, the same
    // instants as PostgreSQL's timestamptz; DATETIME stays a wall clock.
    String eastern =
        job.replace("settings: {channels: 2}", "settings: {channels: 2, zone: '+08:00'}");
    assertThat(eastern).contains("+08:00");
    for (boolean pushdown : new boolean[] {true, false}) {
      assertThat(verify(eastern, content(pushdown)).equal()).as("+08:00, %s", pushdown).isTrue();
    }
    VerifyResult counted = verify(job, content(true).withMode(VerifyMode.COUNT));
    assertThat(counted.equal()).isTrue();
    assertThat(counted.sourceRows()).isEqualTo(40);

    pg.execute(
        "DELETE FROM dst WHERE id = 3",
        "INSERT INTO dst (id, name) VALUES (1000, 'only here')",
        "UPDATE dst SET name = 'renamed' WHERE id = 5",
        "UPDATE dst SET name = name || ' ' WHERE id = 6",
        "UPDATE dst SET ts = ts + interval '1 hour' WHERE id = 7",
        "UPDATE dst SET amount = round(amount, 2) WHERE id = 8",
        "UPDATE dst SET at = at + interval '1 millisecond' WHERE id = 9",
        "UPDATE dst SET d = d + 1 WHERE id = 10",
        "UPDATE dst SET flag = NOT flag WHERE id = 11",
        "UPDATE dst SET bin = '\\x00'::bytea WHERE id = 12",
        "UPDATE dst SET note = NULL WHERE id = 13",
        "UPDATE dst SET id = 2000 WHERE id = 14",
        "UPDATE dst SET qty = qty + 1 WHERE id = 15",
        "UPDATE dst SET code = 'C16' WHERE id = 16");
    Map<String, String> expected = new TreeMap<>();
    expected.put("missing 3", "");
    expected.put("missing 14", "");
    expected.put("extra 1000", "");
    expected.put("extra 2000", "");
    expected.put("different 5", "name:name 5->renamed");
    expected.put("different 6", "name:name 6->name 6 ");
    expected.put("different 7", "ts:2024-06-01 12:00:00.000049->2024-06-01 13:00:00.000049");
    expected.put("different 8", "amount:8.1234567891->8.12");
    expected.put("different 9", "at:2024-03-10 10:20:30.009000->2024-03-10 10:20:30.010000");
    expected.put("different 10", "d:2023-01-11->2023-01-12");
    expected.put("different 11", "flag:1->0");
    expected.put("different 12", "bin:0cf3->00");
    expected.put("different 13", "note:->null"); // '' became NULL
    expected.put("different 15", "qty:150->151");
    expected.put("different 16", "code:c16->C16");

    for (boolean pushdown : new boolean[] {true, false}) {
      Path report = state.resolve("report-" + pushdown + ".jsonl");
      VerifyResult r = verify(job, content(pushdown).withReport(report));
      assertThat(r.equal()).isFalse();
      assertThat(found(r)).as("pushdown %s", pushdown).isEqualTo(expected);
      assertThat(r.missing()).isEqualTo(2);
      assertThat(r.extra()).isEqualTo(2);
      assertThat(r.different()).isEqualTo(11);
      assertThat(r.sourceRows()).isEqualTo(40);
      assertThat(r.targetRows()).isEqualTo(40);
      List<String> lines = Files.readAllLines(report);
      assertThat(lines).hasSize(15);
      JsonNode first =
          lines.stream()
              .map(VerifyIT::json)
              .filter(n -> n.path("key").path("id").asText().equals("7"))
              .findFirst()
              .orElseThrow();
      assertThat(first.path("kind").asText()).isEqualTo("different");
      assertThat(first.path("columns").get(0).path("column").asText()).isEqualTo("ts");
      assertThat(first.path("columns").get(0).path("source").asText())
          .isEqualTo("2024-06-01 12:00:00.000049");
    }

    // Repair without deletes: everything but the two extra rows is mended.
    VerifyResult repaired = verify(job, content(true).withRepair(true, false));
    assertThat(repaired.repair().written()).isEqualTo(13);
    assertThat(repaired.repair().deleted()).isZero();
    assertThat(repaired.repair().extraKept()).isEqualTo(2);
    assertThat(found(repaired.repair().after()))
        .isEqualTo(Map.of("extra 1000", "", "extra 2000", ""));

    VerifyResult deleted = verify(job, content(false).withRepair(true, true));
    assertThat(deleted.repair().deleted()).isEqualTo(2);
    assertThat(deleted.repair().after().equal()).isTrue();
    assertThat(verify(job, content(true)).method()).isEqualTo("checksum");
  }

  /**
   * A row that changes on both sides between the first look and the second is not reported; a row
   * that differs both times is, by both methods. Without a second look, both are reported.
   */
  @Test
  void rowsChangingDuringAVerificationAreComparedAgainBeforeBeingReported() throws Exception {
    maria.execute("CREATE TABLE moving_src (" + MARIA_COLUMNS + ")");
    pg.execute("CREATE TABLE moving_dst (" + PG_COLUMNS + ")");
    fill("moving_src");
    String job = job("moving_src", "moving_dst");
    FerryJobs.run(state, "copy", job).succeeded();

    for (boolean pushdown : new boolean[] {true, false}) {
      // The target is behind on two rows: the writers catch up on row 4 during the verification;
      // row 5 stays behind.
      pg.execute("UPDATE moving_dst SET name = 'old' WHERE id IN (4, 5)");
      List<Long> told = new ArrayList<>();
      String now = "new " + pushdown;
      VerifyResult r =
          verify(
              job,
              content(pushdown)
                  .withRecheck(
                      Duration.ofMillis(500),
                      rows -> {
                        told.add(rows);
                        try {
                          maria.execute("UPDATE moving_src SET name = '" + now + "' WHERE id = 4");
                          pg.execute("UPDATE moving_dst SET name = '" + now + "' WHERE id = 4");
                        } catch (SQLException e) {
                          throw new IllegalStateException(e);
                        }
                      }));
      assertThat(told).as("rows compared again, pushdown %s", pushdown).containsExactly(2L);
      assertThat(found(r)).isEqualTo(Map.of("different 5", "name:name 5->old"));
      assertThat(r.different()).isEqualTo(1);
      assertThat(r.notes()).anyMatch(n -> n.startsWith("1 rows differed at first"));
    }

    pg.execute("UPDATE moving_dst SET name = 'old' WHERE id = 4");
    VerifyResult once = verify(job, content(true).withRecheck(Duration.ZERO, null));
    assertThat(found(once))
        .isEqualTo(Map.of("different 4", "name:new false->old", "different 5", "name:name 5->old"));
  }

  /**
   * A verification killed midway (here: while it waits to compare a differing range again)
   * continues from its checkpoint: the key ranges it completed are not compared again, and the
   * result is the whole table's.
   */
  @Test
  void aKilledVerificationContinuesFromItsLastCompletedKeyRange() throws Exception {
    maria.execute("CREATE TABLE resumed_src (" + MARIA_COLUMNS + ")");
    pg.execute("CREATE TABLE resumed_dst (" + PG_COLUMNS + ")");
    fill("resumed_src");
    String job = job("resumed_src", "resumed_dst");
    FerryJobs.run(state, "copy", job).succeeded();
    pg.execute("UPDATE resumed_dst SET qty = 0 WHERE id = 40");

    for (boolean pushdown : new boolean[] {true, false}) {
      Path checkpoint = state.resolve("resumed-" + pushdown + ".checkpoint.json");
      VerifyOptions options = content(pushdown).withCheckpoint(checkpoint);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  verify(
                      job,
                      options.withRecheck(
                          Duration.ofMillis(200),
                          rows -> {
                            throw new IllegalStateException("killed");
                          })))
          .hasMessageContaining("killed");
      assertThat(checkpoint).exists();

      VerifyResult r = verify(job, options);
      assertThat(found(r))
          .as("pushdown %s", pushdown)
          .isEqualTo(Map.of("different 40", "qty:400->0"));
      assertThat(r.sourceRows()).isEqualTo(40);
      assertThat(r.targetRows()).isEqualTo(40);
      String note =
          r.notes().stream().filter(n -> n.startsWith("continued from")).findFirst().orElseThrow();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(": (\\d+) of (\\d+) key ranges were done").matcher(note);
      assertThat(m.find()).as(note).isTrue();
      int done = Integer.parseInt(m.group(1));
      assertThat(Integer.parseInt(m.group(2))).isEqualTo(r.ranges());
      assertThat(done).isBetween(1, r.ranges() - 1);
      // Only the ranges not done were compared this time.
      assertThat(r.rangesRead()).isLessThanOrEqualTo(r.ranges() - done);
      assertThat(checkpoint).doesNotExist();
    }
  }

  /**
   * Bisection (Datafold's): in a 20,000-row table, a range whose checksums differ is cut in two and
   * compared by checksum again until the differing parts hold at most {@code bisectRows} rows, so
   * one changed, one deleted and one extra row are found by reading a few hundred rows, not the
   * table.
   */
  @Test
  void aDifferingRangeIsBisectedSoFewRowsAreRead() throws Exception {
    maria.execute(
        "CREATE TABLE bisect_src (id int primary key, name varchar(40), amount decimal(12,2),"
            + " at datetime(3))");
    maria.execute(
        "INSERT INTO bisect_src SELECT seq, CONCAT('name ', seq), seq / 100,"
            + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND FROM seq_1_to_20000");
    pg.execute(
        "CREATE TABLE bisect_dst (id integer primary key, name varchar(40), amount"
            + " numeric(12,2), at timestamp(3))");
    pg.execute(
        "INSERT INTO bisect_dst SELECT g, 'name ' || g, round(g / 100.0, 2),"
            + " TIMESTAMP '2024-01-01 00:00:00' + g * INTERVAL '1 second'"
            + " FROM generate_series(1, 20000) g");
    String job = job("bisect_src", "bisect_dst");
    VerifyResult equal = verify(job, content(true));
    assertThat(equal.equal()).as("%s", equal.sample()).isTrue();
    assertThat(equal.rowsRead()).isZero();

    pg.execute(
        "UPDATE bisect_dst SET name = 'changed' WHERE id = 7777",
        "DELETE FROM bisect_dst WHERE id = 15000",
        "INSERT INTO bisect_dst VALUES (30000, 'extra', 1, NULL)");
    int bisectRows = 256;
    VerifyResult r = verify(job, content(true).withBisectRows(bisectRows));
    assertThat(found(r))
        .isEqualTo(
            Map.of(
                "different 7777", "name:name 7777->changed",
                "missing 15000", "",
                "extra 30000", ""));
    assertThat(r.method()).isEqualTo("checksum + keyed merge");
    assertThat(r.sourceRows()).isEqualTo(20000);
    assertThat(r.targetRows()).isEqualTo(20000);
    // Three differing parts of at most bisectRows source rows each, read on both sides, twice
    // (the second look after the recheck delay): a few hundred rows where the whole key range
    // would be 10,000 per side and look.
    assertThat(r.rowsRead()).isPositive().isLessThanOrEqualTo(3L * 2 * 2 * (bisectRows + 1));
    // Without bisection's checksums every row of both sides is read.
    VerifyResult merged = verify(job, content(false));
    assertThat(found(merged)).isEqualTo(found(r));
    assertThat(merged.rowsRead()).isGreaterThanOrEqualTo(40000);

    // The other way round, PostgreSQL finding the middle keys (OFFSET ... FETCH NEXT 1 ROWS ONLY).
    String back =
        """
        source: {connector: postgresql, %s, table: bisect_dst}
        sink: {connector: mysql, %s, table: bisect_src}
        settings: {channels: 2}
        """
            .formatted(pg.options(), maria.options());
    VerifyResult reverse = verify(back, content(true).withBisectRows(bisectRows));
    assertThat(found(reverse))
        .isEqualTo(
            Map.of(
                "different 7777", "name:changed->name 7777",
                "extra 15000", "",
                "missing 30000", ""));
    assertThat(reverse.rowsRead()).isPositive().isLessThanOrEqualTo(3L * 2 * 2 * (bisectRows + 1));
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Rows the canonical form must keep apart: each target row is changed to its colliding twin
   * alone, and the databases' checksums (not only the merge) must see it: values moved between
   * columns, NULL vs {@code ''} vs {@code 'NULL'} vs {@code 'N'}, the separator {@code ;} and a
   * length prefix inside values.
   */
  @Test
  void checksumsKeepCollidingRowsApart() throws Exception {
    maria.execute(
        "CREATE TABLE pairs (k int primary key, a varchar(10) null, b varchar(10) null)",
        "INSERT INTO pairs VALUES (1, 'a', NULL), (2, '12', '3'), (3, NULL, 'x'), (4, '', 'x'),"
            + " (5, 'NULL', 'x'), (6, 'a;1:b', 'c'), (7, 'N', NULL), (8, '', NULL),"
            + " (9, 'N;', 'x')");
    pg.execute("CREATE TABLE pairs (k integer primary key, a varchar(10), b varchar(10))");
    String job =
        """
        source: {connector: mysql, %s, table: pairs}
        sink: {connector: postgresql, %s, table: pairs}
        """
            .formatted(maria.options(), pg.options());
    FerryJobs.run(state, "pairs", job).succeeded();
    assertThat(verify(job, content(true)).method()).isEqualTo("checksum");
    String[][] twins = {
      {"1", "a = NULL, b = 'a'"},
      {"2", "a = '1', b = '23'"},
      {"3", "a = ''"},
      {"4", "a = 'NULL'"},
      {"5", "a = NULL"},
      // The separator and the NULL marker inside values.
      {"6", "a = 'a', b = 'b;1:c'"},
      {"7", "a = NULL"},
      {"8", "a = NULL, b = ''"},
      {"9", "a = 'N', b = ';x'"},
    };
    for (String[] twin : twins) {
      pg.execute("CREATE TABLE keep AS SELECT * FROM pairs WHERE k = " + twin[0]);
      pg.execute("UPDATE pairs SET " + twin[1] + " WHERE k = " + twin[0]);
      VerifyResult r = verify(job, content(true));
      assertThat(r.method()).as("row %s", twin[0]).isEqualTo("checksum + keyed merge");
      assertThat(r.different()).isEqualTo(1);
      assertThat(r.sample().get(0).key()).containsEntry("k", twin[0]);
      pg.execute(
          "DELETE FROM pairs WHERE k = " + twin[0],
          "INSERT INTO pairs SELECT * FROM keep",
          "DROP TABLE keep");
    }
    assertThat(verify(job, content(true)).equal()).isTrue();
  }

  /**
   * Text in every character set MariaDB may hold it in, and in two collations of one row, is hashed
   * as the same UTF-8 as PostgreSQL's: equal by checksum, and a case change in any of the columns
   * (which a case-insensitive collation would call equal) is found by the checksums.
   */
  @Test
  void checksumsHashTextOfEachCharacterSetAsUtf8() throws Exception {
    maria.execute(
        "CREATE TABLE charsets (k int primary key,"
            + " b varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,"
            + " g varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,"
            + " m varchar(20) CHARACTER SET utf8mb3, l varchar(20) CHARACTER SET latin1)",
        "INSERT INTO charsets VALUES (1, 'Grüße 😀', 'Köln', 'façade', 'Grüße'),"
            + " (2, 'a', 'B', 'c', 'é')");
    pg.execute(
        "CREATE TABLE charsets (k integer primary key, b varchar(20), g varchar(20),"
            + " m varchar(20), l varchar(20))");
    String job =
        """
        source: {connector: mysql, %s, table: charsets}
        sink: {connector: postgresql, %s, table: charsets}
        """
            .formatted(maria.options(), pg.options());
    FerryJobs.run(state, "charsets", job).succeeded();
    assertThat(verify(job, content(true)).method()).isEqualTo("checksum");
    String[][] changes = {
      {"b", "grüße 😀", "b:Grüße 😀->grüße 😀"},
      {"g", "köln", "g:Köln->köln"},
      {"m", "FAÇADE", "m:façade->FAÇADE"},
      {"l", "GRÜSSE", "l:Grüße->GRÜSSE"},
    };
    for (String[] change : changes) {
      pg.execute(
          "CREATE TABLE keep AS SELECT * FROM charsets WHERE k = 1",
          "UPDATE charsets SET " + change[0] + " = '" + change[1] + "' WHERE k = 1");
      VerifyResult r = verify(job, content(true));
      assertThat(r.method()).as(change[0]).isEqualTo("checksum + keyed merge");
      assertThat(found(r)).isEqualTo(Map.of("different 1", change[2]));
      pg.execute(
          "DELETE FROM charsets WHERE k = 1",
          "INSERT INTO charsets SELECT * FROM keep",
          "DROP TABLE keep");
    }
    assertThat(verify(job, content(true)).method()).isEqualTo("checksum");
  }

  /** A table without a key: counts and a whole-table checksum, differences not named or mended. */
  @Test
  void tableWithoutKeyIsComparedByCountAndChecksumAndNeverRepaired() throws Exception {
    maria.execute(
        "CREATE TABLE nokey (a int, b varchar(10))",
        "INSERT INTO nokey VALUES (1, 'x'), (2, 'y'), (2, 'y')");
    pg.execute("CREATE TABLE nokey (a integer, b varchar(10))");
    String job =
        """
        source: {connector: mysql, %s, table: nokey}
        sink: {connector: postgresql, %s, table: nokey}
        """
            .formatted(maria.options(), pg.options());
    FerryJobs.run(state, "nokey", job).succeeded();
    VerifyResult equal = verify(job, content(true));
    assertThat(equal.equal()).isTrue();
    assertThat(equal.keyed()).isFalse();
    assertThat(equal.method()).isEqualTo("count + checksum");
    pg.execute("UPDATE nokey SET b = 'z' WHERE a = 1");
    VerifyResult r = verify(job, content(true).withRepair(true, true));
    assertThat(r.equal()).isFalse();
    assertThat(r.sourceRows()).isEqualTo(r.targetRows()).isEqualTo(3);
    assertThat(r.repair()).isNull();
    assertThat(r.notes()).anyMatch(n -> n.contains("not repaired"));
  }

  /**
   * String keys whose collations order them differently (MariaDB's case-insensitive general_ci,
   * PostgreSQL's database collation) still merge in one order, Ferry's code-point order; a key lost
   * or added on the way (what DataX users see after a string split key) is named.
   */
  @Test
  void stringKeysMergeInCodePointOrderWhateverTheCollations() throws Exception {
    maria.execute(
        "CREATE TABLE words (w varchar(20) COLLATE utf8mb4_general_ci primary key, n int)",
        "INSERT INTO words VALUES ('apple', 1), ('Banana', 2), ('cherry', 3), ('_x', 4),"
            + " ('Zed', 5), ('é', 6), ('😀', 7), ('a b', 8), ('ab', 9), ('B', 10)");
    pg.execute("CREATE TABLE words (w varchar(20) primary key, n integer)");
    String job =
        """
        source: {connector: mysql, %s, table: words}
        sink: {connector: postgresql, %s, table: words}
        """
            .formatted(maria.options(), pg.options());
    FerryJobs.run(state, "words", job).succeeded();
    assertThat(verify(job, content(false)).equal()).isTrue();
    assertThat(verify(job, content(true)).method()).isEqualTo("checksum");
    pg.execute("DELETE FROM words WHERE w = 'Banana'", "INSERT INTO words VALUES ('banana', 2)");
    for (boolean pushdown : new boolean[] {true, false}) {
      assertThat(found(verify(job, content(pushdown))))
          .isEqualTo(Map.of("missing Banana", "", "extra banana", ""));
    }
  }

  /**
   * The losses DataX users report, reproduced: a table copied as DataX copies it with a string
   * {@code splitPk} — key ranges cut by code points ({@code '#1' <= w < 'N'}, {@code 'N' <= w <=
   * 'zebra'}) but applied by the database in its case-insensitive collation — loses 'Zoo' (in no
   * range under general_ci) while every job "succeeded"; one range written again (a retried task)
   * leaves duplicates in a target without a primary key. Verify names every missing and extra key,
   * by checksums (bisected) and by the merge alike.
   */
  @Test
  void theLossesOfAStringSplitKeyAreNamedKeyByKey() throws Exception {
    maria.execute(
        "CREATE TABLE tags (w varchar(20) COLLATE utf8mb4_general_ci primary key, n int)",
        "INSERT INTO tags VALUES ('#1', 1), ('1st', 2), ('Apple', 3), ('apricot', 4),"
            + " ('Berry', 5), ('banana', 6), ('Zoo', 7), ('zebra', 8)");
    pg.execute("CREATE TABLE tags (w varchar(20), n integer)");
    String copy =
        """
        source: {connector: mysql, %s, table: tags, where: "%s"}
        sink: {connector: postgresql, %s, table: tags}
        settings: {verify: off}
        """;
    String[] ranges = {"w >= '#1' AND w < 'N'", "w >= 'N' AND w <= 'zebra'"};
    for (String range : ranges) {
      FerryJobs.run(state, "tags", copy.formatted(maria.options(), range, pg.options()))
          .succeeded();
    }
    // A retried range writes its rows again.
    FerryJobs.run(state, "tags", copy.formatted(maria.options(), ranges[1], pg.options()))
        .succeeded();
    String job =
        """
        source: {connector: mysql, %s, table: tags}
        sink: {connector: postgresql, %s, table: tags}
        """
            .formatted(maria.options(), pg.options());
    for (boolean pushdown : new boolean[] {true, false}) {
      VerifyResult r = verify(job, content(pushdown));
      assertThat(found(r))
          .as("pushdown %s", pushdown)
          .isEqualTo(Map.of("missing Zoo", "", "extra zebra", ""));
      assertThat(r.sourceRows()).isEqualTo(8);
      assertThat(r.targetRows()).isEqualTo(8);
    }
  }

  /**
   * Floats are compared at the narrower width of the two columns: a MariaDB FLOAT copied into a
   * PostgreSQL DOUBLE PRECISION is equal (by the merge: the databases have no common canonical text
   * of a float), a changed float is not.
   */
  @Test
  void aFloatInADoublePrecisionIsEqualAndAChangedOneIsFound() throws Exception {
    maria.execute(
        "CREATE TABLE floats (id int primary key, f float, d double)",
        "INSERT INTO floats VALUES (1, 0.1, 0.1), (2, 3.14159, 2.718281828459045),"
            + " (3, -0.0, 1e300), (4, NULL, NULL), (5, 123456.7, -5.5)");
    pg.execute("CREATE TABLE floats (id integer primary key, f double precision, d float8)");
    String job =
        """
        source: {connector: mysql, %s, table: floats}
        sink: {connector: postgresql, %s, table: floats}
        """
            .formatted(maria.options(), pg.options());
    FerryJobs.run(state, "floats", job).succeeded();
    VerifyResult equal = verify(job, content(true));
    assertThat(equal.equal()).as("%s", equal.sample()).isTrue();
    assertThat(equal.method()).isEqualTo("keyed merge");
    assertThat(equal.notes()).anyMatch(n -> n.contains("cannot compare these columns by checksum"));
    pg.execute(
        "UPDATE floats SET f = 3.1416 WHERE id = 2",
        "UPDATE floats SET d = 0.1000001 WHERE id = 1");
    assertThat(found(verify(job, content(true))).keySet())
        .containsExactly("different 1", "different 2");
  }

  /** MariaDB → MariaDB and PostgreSQL → PostgreSQL compare by checksum as well. */
  @Test
  void sameDatabasePairsCompareByChecksum() throws Exception {
    maria.execute("CREATE TABLE same_src (" + MARIA_COLUMNS + ")");
    maria.execute("CREATE TABLE same_dst (" + MARIA_COLUMNS + ")");
    fill("same_src");
    String mm =
        """
        source: {connector: mysql, %s, table: same_src}
        sink: {connector: mysql, %s, table: same_dst}
        """
            .formatted(maria.options(), maria.options());
    FerryJobs.run(state, "mm", mm).succeeded();
    assertThat(verify(mm, content(true)).method()).isEqualTo("checksum");
    maria.execute("UPDATE same_dst SET amount = amount + 0.0000000001 WHERE id = 20");
    VerifyResult m = verify(mm, content(true));
    assertThat(found(m)).isEqualTo(Map.of("different 20", "amount:20.1234567891->20.1234567892"));

    pg.execute(
        "CREATE TABLE same_src (" + PG_COLUMNS + ")", "CREATE TABLE same_dst (" + PG_COLUMNS + ")");
    String mp =
        """
        source: {connector: mysql, %s, table: same_src}
        sink: {connector: postgresql, %s, table: same_src}
        """
            .formatted(maria.options(), pg.options());
    FerryJobs.run(state, "mp", mp).succeeded();
    String pp =
        """
        source: {connector: postgresql, %s, table: same_src}
        sink: {connector: postgresql, %s, table: same_dst}
        """
            .formatted(pg.options(), pg.options());
    FerryJobs.run(state, "pp", pp).succeeded();
    assertThat(verify(pp, content(true)).method()).isEqualTo("checksum");
    pg.execute("UPDATE same_dst SET ts = ts + interval '1 microsecond' WHERE id = 21");
    assertThat(found(verify(pp, content(true))))
        .isEqualTo(
            Map.of("different 21", "ts:2024-06-01 12:00:00.000147->2024-06-01 12:00:00.000148"));
  }
}
