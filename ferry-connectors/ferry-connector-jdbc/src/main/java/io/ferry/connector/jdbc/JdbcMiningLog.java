package io.ferry.connector.jdbc;

import io.ferry.connector.support.ChangeEventJson;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.FerryException;
import io.ferry.spi.MiningLog;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Validator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MiningLog} in three tables of a PostgreSQL or MySQL/MariaDB database, named after the
 * {@code table} option {@code T} (docs/shared-mining.md):
 *
 * <ul>
 *   <li>{@code T}: one row per event — {@code seq} (primary key, append order), {@code tbl} (the
 *       changed table, {@code schema.name}), {@code op}, {@code committed_at} and {@code
 *       appended_at} (epoch microseconds), {@code source_position} (the source's position after the
 *       event, as text) and {@code event} (the whole event as JSON, {@link ChangeEventJson}); an
 *       index on {@code (tbl, seq)} serves a reader's "after seq P for tables T" and one on {@code
 *       appended_at} the purge;
 *   <li>{@code T_state}: one row with the head, the purged prefix and the source position mined to;
 *   <li>{@code T_tables}: the tables asked for and the head from which each is captured.
 * </ul>
 *
 * Identifiers are quoted by the dialect, values bound. An append is one transaction that locks the
 * state row, checks the head, inserts the events and moves the head and the mined position.
 */
final class JdbcMiningLog implements MiningLog {
  static final Option<String> TABLE =
      Option.string("table")
          .required()
          .validator(Validator.notBlank())
          .description(
              "The mining-log table, as schema.table or table; Ferry creates it with its _state"
                  + " and _tables companions.")
          .build();

  private static final int TABLE_NAME_LENGTH = 512;

  /**
   * Rows per JDBC batch of an append: the drivers send a batch as multi-row INSERTs ({@code
   * reWriteBatchedInserts}, {@code rewriteBatchedStatements}).
   */
  private static final int INSERT_BATCH = 1_000;

  private static final int POSITION_LENGTH = 1024;

  private final Dialect dialect;
  private final JdbcPool pool;
  private final RetryPolicy retry;
  private final TableRef table;
  private final String events;
  private final String state;
  private final String tables;
  private final String description;
  private final String where;

  static OptionSet options(Dialect dialect) {
    List<Option<?>> options = new ArrayList<>(JdbcOptions.connectionOptions(dialect));
    options.add(TABLE);
    return OptionSet.of(options);
  }

  JdbcMiningLog(Dialect dialect, Options options, ConnectorContext context) {
    this.dialect = dialect;
    ConnectionSettings settings = ConnectionSettings.of(options, dialect, context.localFiles());
    // Its own pool, which runs only the statements below: each session is set up once.
    this.pool =
        new JdbcPool(
            settings,
            dialect,
            context.zone(),
            "ferry-" + context.jobName() + "-mining",
            JdbcPool.SessionSetup.ON_CONNECT);
    this.pool.ensureSize(2);
    this.retry = new RetryPolicy(dialect);
    this.table = TableMetadata.parse(options.get(TABLE));
    this.events = dialect.sql().qualifiedName(table);
    this.state = dialect.sql().qualifiedName(new TableRef(table.schema(), table.name() + "_state"));
    this.tables =
        dialect.sql().qualifiedName(new TableRef(table.schema(), table.name() + "_tables"));
    this.description = "the mining log " + table;
    this.where = " on " + settings.description();
  }

  private boolean mysql() {
    return dialect.name().equals("mysql");
  }

  private String q(String identifier) {
    return dialect.sql().quote(identifier);
  }

  @Override
  public void prepare() {
    String text = mysql() ? "LONGTEXT" : "TEXT";
    String index1 = q(indexName("_by_table"));
    String index2 = q(indexName("_by_time"));
    run(
        "creating " + description,
        c -> {
          for (int attempt = 1; ; attempt++) {
            try {
              createTables(c, text, index1, index2);
              return null;
            } catch (SQLException e) {
              if (!raced(e) || attempt == 5) {
                throw e;
              }
              // Another run created one at the same moment: IF NOT EXISTS sees it now.
              try {
                Thread.sleep(20L * attempt);
              } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw e;
              }
            }
          }
        });
  }

  /**
   * Another run preparing the same log at the same moment: a concurrent CREATE ... IF NOT EXISTS of
   * the same name (PostgreSQL checks it late), or the state's one row inserted by both (a duplicate
   * key: 23505 on PostgreSQL, 1062 on MySQL/MariaDB).
   */
  private static boolean raced(SQLException e) {
    String state = e.getSQLState();
    return "23505".equals(state)
        || "42P07".equals(state)
        || "42710".equals(state)
        || ("23000".equals(state) && e.getErrorCode() == 1062);
  }

  private void createTables(Connection c, String text, String index1, String index2)
      throws SQLException {
    {
      {
        try (Statement s = c.createStatement()) {
          s.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + events
                  + " (seq BIGINT NOT NULL PRIMARY KEY, tbl VARCHAR("
                  + TABLE_NAME_LENGTH
                  + ") NOT NULL, op VARCHAR(8) NOT NULL, committed_at BIGINT,"
                  + " appended_at BIGINT NOT NULL, source_position VARCHAR("
                  + POSITION_LENGTH
                  + "), event "
                  + text
                  + " NOT NULL)");
          s.execute("CREATE INDEX IF NOT EXISTS " + index1 + " ON " + events + " (tbl, seq)");
          s.execute("CREATE INDEX IF NOT EXISTS " + index2 + " ON " + events + " (appended_at)");
          s.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + state
                  + " (id INT NOT NULL PRIMARY KEY, head BIGINT NOT NULL, purged_to BIGINT NOT"
                  + " NULL, mined_version INT, mined_bytes "
                  + text
                  + ", mined_text VARCHAR("
                  + POSITION_LENGTH
                  + "))");
          s.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + tables
                  + " (tbl VARCHAR("
                  + TABLE_NAME_LENGTH
                  + ") NOT NULL PRIMARY KEY, schema_name VARCHAR("
                  + TABLE_NAME_LENGTH
                  + "), table_name VARCHAR("
                  + TABLE_NAME_LENGTH
                  + ") NOT NULL, covered_from BIGINT, "
                  + STOP_COLUMNS.replace("BYTES", text)
                  + ")");
        }
        addStopColumns(c, text);
        try (PreparedStatement p =
            c.prepareStatement("SELECT COUNT(*) FROM " + state + " WHERE id = 1")) {
          try (ResultSet rs = p.executeQuery()) {
            rs.next();
            if (rs.getLong(1) == 0) {
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO " + state + " (id, head, purged_to) VALUES (1, 0, 0)")) {
                insert.executeUpdate();
              }
            }
          }
        }
      }
    }
  }

  /** The per-table stop's columns of {@code T_tables}, BYTES standing for the dialect's type. */
  private static final String STOP_COLUMNS =
      "stop_asked INT, stopped_head BIGINT, stopped_version INT, stopped_bytes BYTES,"
          + " stopped_text VARCHAR("
          + POSITION_LENGTH
          + ")";

  /**
   * The per-table stop's columns of {@code T_tables} ({@code stop_asked}, {@code stopped_head} and
   * the position {@code stopped_at} as version, bytes and text), added to a log created before
   * them.
   */
  private void addStopColumns(Connection c, String text) throws SQLException {
    try (Statement s = c.createStatement()) {
      // The last one added: another run adding them now may have added the first ones only.
      s.executeQuery("SELECT stopped_text FROM " + tables + " WHERE 1 = 0").close();
      return; // there already
    } catch (SQLException missing) {
      // an older log: add them
    }
    try (Statement s = c.createStatement()) {
      for (String column : STOP_COLUMNS.replace("BYTES", text).split(", ")) {
        try {
          s.execute("ALTER TABLE " + tables + " ADD " + column);
        } catch (SQLException e) {
          if (!raced(e) && !"42701".equals(e.getSQLState()) && e.getErrorCode() != 1060) {
            throw e; // 42701, 1060: another run added it meanwhile
          }
        }
      }
    }
  }

  private String indexName(String suffix) {
    String name = table.name();
    int max = 60 - suffix.length();
    return (name.length() > max ? name.substring(0, max) : name) + suffix;
  }

  @Override
  public State state() {
    return run(
        "reading the state of " + description,
        c -> {
          long head;
          long purged;
          Position mined = null;
          try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT head, purged_to, mined_version, mined_bytes, mined_text FROM "
                          + state
                          + " WHERE id = 1");
              ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
              throw new FerryException(
                  io.ferry.spi.ErrorCode.NOT_FOUND,
                  description + where + " has no state row: it was not prepared");
            }
            head = rs.getLong(1);
            purged = rs.getLong(2);
            String bytes = rs.getString(4);
            if (bytes != null) {
              mined =
                  new Position(rs.getInt(3), Base64.getDecoder().decode(bytes), rs.getString(5));
            }
          }
          Map<TableRef, Long> covered = new HashMap<>();
          java.util.Set<TableRef> asked = new java.util.HashSet<>();
          Map<TableRef, Stop> stopped = new HashMap<>();
          try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT schema_name, table_name, covered_from, stop_asked, stopped_head,"
                          + " stopped_version, stopped_bytes, stopped_text FROM "
                          + tables);
              ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              TableRef t = new TableRef(rs.getString(1), rs.getString(2));
              long from = rs.getLong(3);
              if (rs.wasNull()) {
                from = -1;
              }
              covered.put(t, from);
              if (rs.getInt(4) == 1) {
                asked.add(t);
              }
              String bytes = rs.getString(7);
              if (bytes != null) {
                stopped.put(
                    t,
                    new Stop(
                        new Position(
                            rs.getInt(6), Base64.getDecoder().decode(bytes), rs.getString(8)),
                        rs.getLong(5)));
              }
            }
          }
          return new State(head, purged, mined, covered, asked, stopped);
        });
  }

  @Override
  public long append(long expectedHead, List<Encoded> list, Position minedTo) {
    try {
      return transaction(
          c -> {
            long seq = insert(c, expectHead(c, expectedHead), list);
            try (PreparedStatement update =
                c.prepareStatement(
                    "UPDATE "
                        + state
                        + " SET head = ?, mined_version = ?, mined_bytes = ?, mined_text = ?"
                        + " WHERE id = 1")) {
              update.setLong(1, seq);
              update.setInt(2, minedTo.version());
              update.setString(3, Base64.getEncoder().encodeToString(minedTo.bytes()));
              update.setString(4, abbreviate(minedTo.description()));
              update.executeUpdate();
            }
            return seq;
          });
    } catch (SQLException e) {
      throw JdbcErrors.translate(dialect, e, pool.settings(), "appending to " + description);
    }
  }

  /** Inserts events numbered after {@code head}; returns the seq of the last. */
  private long insert(Connection c, long head, List<Encoded> list) throws SQLException {
    long seq = head;
    if (list.isEmpty()) {
      return seq;
    }
    long now = micros(Instant.now());
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO "
                + events
                + " (seq, tbl, op, committed_at, appended_at, source_position, event)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      int batched = 0;
      for (Encoded encoded : list) {
        ChangeEvent event = encoded.event();
        insert.setLong(1, ++seq);
        insert.setString(2, event.table().toString());
        insert.setString(3, event instanceof ChangeEvent.RowChange r ? r.kind().name() : "SCHEMA");
        if (event.committedAt() != null) {
          insert.setLong(4, micros(event.committedAt()));
        } else {
          insert.setNull(4, Types.BIGINT);
        }
        insert.setLong(5, now);
        insert.setString(6, abbreviate(event.position().description()));
        insert.setString(7, encoded.document());
        insert.addBatch();
        if (++batched == INSERT_BATCH) {
          insert.executeBatch();
          batched = 0;
        }
      }
      if (batched > 0) {
        insert.executeBatch();
      }
    }
    return seq;
  }

  /** The head, locked; fails with {@link #CONFLICT} when it is not {@code expectedHead}. */
  private long expectHead(Connection c, long expectedHead) throws SQLException {
    long head = lockedHead(c);
    if (head != expectedHead) {
      throw new FerryException(
          CONFLICT,
          description
              + where
              + " is at #"
              + head
              + " where this mining run expected #"
              + expectedHead
              + ": another mining run writes it; stop one of them");
    }
    return head;
  }

  private void setHead(Connection c, long head) throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement("UPDATE " + state + " SET head = ? WHERE id = 1")) {
      update.setLong(1, head);
      update.executeUpdate();
    }
  }

  /** Sets a table's stop position and head (null position: clears the stop). */
  private void setStop(Connection c, TableRef t, Position at, long head) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "UPDATE "
                + tables
                + " SET stopped_head = ?, stopped_version = ?, stopped_bytes = ?, stopped_text = ?"
                + " WHERE tbl = ?")) {
      if (at == null) {
        p.setNull(1, Types.BIGINT);
        p.setNull(2, Types.INTEGER);
        p.setNull(3, Types.VARCHAR);
        p.setNull(4, Types.VARCHAR);
      } else {
        p.setLong(1, head);
        p.setInt(2, at.version());
        p.setString(3, Base64.getEncoder().encodeToString(at.bytes()));
        p.setString(4, abbreviate(at.description()));
      }
      p.setString(5, t.toString());
      if (p.executeUpdate() == 0) {
        throw notAsked(t);
      }
    }
  }

  private FerryException notAsked(TableRef t) {
    return new FerryException(
        io.ferry.spi.ErrorCode.NOT_FOUND, description + where + " does not capture " + t);
  }

  @Override
  public void askStopped(TableRef t, boolean stopped) {
    run(
        (stopped ? "asking to stop " : "asking to resume ") + t + " in " + description,
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("UPDATE " + tables + " SET stop_asked = ? WHERE tbl = ?")) {
            p.setInt(1, stopped ? 1 : 0);
            p.setString(2, t.toString());
            if (p.executeUpdate() == 0) {
              throw notAsked(t);
            }
          }
          return null;
        });
  }

  @Override
  public void stopped(long expectedHead, TableRef t, Position at) {
    try {
      transaction(
          c -> {
            setStop(c, t, at, expectHead(c, expectedHead));
            return null;
          });
    } catch (SQLException e) {
      throw JdbcErrors.translate(
          dialect, e, pool.settings(), "stopping " + t + " in " + description);
    }
  }

  @Override
  public long caughtUp(long expectedHead, TableRef t, List<Encoded> list, Position to) {
    try {
      return transaction(
          c -> {
            long head = expectHead(c, expectedHead);
            Long stopHead = stopHead(c, t);
            long seq = insert(c, head, list);
            setHead(c, seq);
            setStop(c, t, to, stopHead);
            return seq;
          });
    } catch (SQLException e) {
      throw JdbcErrors.translate(
          dialect, e, pool.settings(), "appending the catch-up of " + t + " to " + description);
    }
  }

  private Long stopHead(Connection c, TableRef t) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("SELECT stopped_head FROM " + tables + " WHERE tbl = ?")) {
      p.setString(1, t.toString());
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) {
          throw notAsked(t);
        }
        long h = rs.getLong(1);
        if (rs.wasNull()) {
          throw new FerryException(
              io.ferry.spi.ErrorCode.INTERNAL, t + " is not stopped in " + description + where);
        }
        return h;
      }
    }
  }

  @Override
  public long resumed(long expectedHead, TableRef t, boolean caughtUp) {
    try {
      return transaction(
          c -> {
            long head = expectHead(c, expectedHead);
            setStop(c, t, null, 0);
            if (caughtUp) {
              return head;
            }
            long spent = head + 1;
            setHead(c, spent);
            try (PreparedStatement p =
                c.prepareStatement("UPDATE " + tables + " SET covered_from = ? WHERE tbl = ?")) {
              p.setLong(1, spent);
              p.setString(2, t.toString());
              p.executeUpdate();
            }
            return spent;
          });
    } catch (SQLException e) {
      throw JdbcErrors.translate(
          dialect, e, pool.settings(), "resuming " + t + " in " + description);
    }
  }

  private long lockedHead(Connection c) throws SQLException {
    try (PreparedStatement p =
            c.prepareStatement("SELECT head FROM " + state + " WHERE id = 1 FOR UPDATE");
        ResultSet rs = p.executeQuery()) {
      if (!rs.next()) {
        throw new FerryException(
            io.ferry.spi.ErrorCode.NOT_FOUND,
            description + where + " has no state row: it was not prepared");
      }
      return rs.getLong(1);
    }
  }

  @Override
  public Batch read(long after, Collection<TableRef> wanted, int max) {
    if (wanted.isEmpty()) {
      throw new IllegalArgumentException("no tables to read");
    }
    List<String> names =
        new ArrayList<>(new LinkedHashSet<>(wanted.stream().map(TableRef::toString).toList()));
    return run(
        "reading " + description + " after #" + after,
        c -> {
          long head = headAndCheck(c, after);
          List<Entry> entries = new ArrayList<>();
          if (head > after) {
            StringJoiner in = new StringJoiner(", ", "(", ")");
            names.forEach(n -> in.add("?"));
            try (PreparedStatement p =
                c.prepareStatement(
                    "SELECT seq, event FROM "
                        + events
                        + " WHERE seq > ? AND seq <= ? AND tbl IN "
                        + in
                        + " ORDER BY seq LIMIT ?")) {
              int i = 1;
              p.setLong(i++, after);
              p.setLong(i++, head);
              for (String n : names) {
                p.setString(i++, n);
              }
              p.setInt(i, max);
              try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                  entries.add(new Entry(rs.getLong(1), ChangeEventJson.decode(rs.getString(2))));
                }
              }
            }
          }
          // A purge that ran meanwhile may have removed what this read should have returned.
          headAndCheck(c, after);
          long scanned =
              entries.size() >= max ? entries.get(entries.size() - 1).seq() : Math.max(head, after);
          return new Batch(entries, scanned);
        });
  }

  /** The head; throws when events after {@code after} are purged or the log is behind it. */
  private long headAndCheck(Connection c, long after) throws SQLException {
    try (PreparedStatement p =
            c.prepareStatement("SELECT head, purged_to FROM " + state + " WHERE id = 1");
        ResultSet rs = p.executeQuery()) {
      if (!rs.next()) {
        throw new FerryException(
            io.ferry.spi.ErrorCode.NOT_FOUND,
            description + where + " has no state row: it was not prepared");
      }
      long head = rs.getLong(1);
      long purged = rs.getLong(2);
      if (purged > after) {
        throw new FerryException(
            OFFSET_EXPIRED,
            "the offset #"
                + after
                + " is older than what "
                + description
                + " retains: events up to #"
                + purged
                + " were purged by its retention, so changes after the offset are gone. Start"
                + " the job again as a new run (a new snapshot), or keep the log longer");
      }
      if (after > head) {
        throw new FerryException(
            OFFSET_EXPIRED,
            "the offset #"
                + after
                + " is past the end (#"
                + head
                + ") of "
                + description
                + where
                + ": the log was dropped and created again since. Start the job again as a new"
                + " run (a new snapshot)");
      }
      return head;
    }
  }

  @Override
  public long purge(Instant before) {
    try {
      return transaction(
          c -> {
            lockedHead(c);
            long last;
            try (PreparedStatement p =
                c.prepareStatement("SELECT MAX(seq) FROM " + events + " WHERE appended_at < ?")) {
              p.setLong(1, micros(before));
              try (ResultSet rs = p.executeQuery()) {
                rs.next();
                last = rs.getLong(1);
                if (rs.wasNull()) {
                  return 0L;
                }
              }
            }
            long removed;
            try (PreparedStatement delete =
                c.prepareStatement("DELETE FROM " + events + " WHERE seq <= ?")) {
              delete.setLong(1, last);
              removed = delete.executeUpdate();
            }
            try (PreparedStatement update =
                c.prepareStatement(
                    "UPDATE " + state + " SET purged_to = ? WHERE id = 1 AND purged_to < ?")) {
              update.setLong(1, last);
              update.setLong(2, last);
              update.executeUpdate();
            }
            return removed;
          });
    } catch (SQLException e) {
      throw JdbcErrors.translate(dialect, e, pool.settings(), "purging " + description);
    }
  }

  @Override
  public java.util.Optional<Instant> appendedAfter(long after) {
    return run(
        "reading " + description,
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT appended_at FROM "
                      + events
                      + " WHERE seq = (SELECT MIN(seq) FROM "
                      + events
                      + " WHERE seq > ?)")) {
            p.setLong(1, after);
            try (ResultSet rs = p.executeQuery()) {
              if (!rs.next()) {
                return java.util.Optional.<Instant>empty();
              }
              long micros = rs.getLong(1);
              return java.util.Optional.of(
                  Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000));
            }
          }
        });
  }

  /**
   * PostgreSQL: {@code pg_total_relation_size} of the three tables; MySQL/MariaDB: their data and
   * index lengths in {@code information_schema} (InnoDB's estimate, refreshed by its statistics).
   */
  @Override
  public java.util.OptionalLong sizeBytes() {
    List<String> names = List.of(table.name(), table.name() + "_state", table.name() + "_tables");
    return run(
        "measuring " + description,
        c -> {
          long total = 0;
          if (mysql()) {
            try (PreparedStatement p =
                c.prepareStatement(
                    "SELECT COALESCE(SUM(data_length + index_length), 0) FROM"
                        + " information_schema.tables WHERE table_schema = COALESCE(?, DATABASE())"
                        + " AND table_name IN (?, ?, ?)")) {
              p.setString(1, table.schema());
              for (int i = 0; i < 3; i++) {
                p.setString(2 + i, names.get(i));
              }
              try (ResultSet rs = p.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
              }
            }
          } else {
            for (String name : names) {
              try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT COALESCE(pg_total_relation_size(to_regclass(?)), 0)")) {
                p.setString(1, dialect.sql().qualifiedName(new TableRef(table.schema(), name)));
                try (ResultSet rs = p.executeQuery()) {
                  rs.next();
                  total += rs.getLong(1);
                }
              }
            }
          }
          return java.util.OptionalLong.of(total);
        });
  }

  @Override
  public void request(Collection<TableRef> wanted) {
    Map<TableRef, Long> known = state().tables();
    List<TableRef> missing = wanted.stream().filter(t -> !known.containsKey(t)).distinct().toList();
    if (missing.isEmpty()) {
      return;
    }
    run(
        "asking " + description + " to capture " + missing,
        c -> {
          for (TableRef t : missing) {
            try (PreparedStatement p =
                c.prepareStatement(
                    "INSERT INTO "
                        + tables
                        + " (tbl, schema_name, table_name, covered_from) VALUES (?, ?, ?, NULL)")) {
              p.setString(1, t.toString());
              p.setString(2, t.schema());
              p.setString(3, t.name());
              p.executeUpdate();
            } catch (SQLException e) {
              if (!isDuplicate(e)) {
                throw e; // another run asked for it at the same time: fine
              }
            }
          }
          return null;
        });
  }

  private static boolean isDuplicate(SQLException e) {
    return "23505".equals(e.getSQLState())
        || e.getErrorCode() == 1062
        || (e.getSQLState() != null && e.getSQLState().startsWith("23"));
  }

  @Override
  public void cover(Collection<TableRef> list) {
    try {
      transaction(
          c -> {
            long head = lockedHead(c);
            for (TableRef t : list) {
              int updated;
              try (PreparedStatement p =
                  c.prepareStatement(
                      "UPDATE "
                          + tables
                          + " SET covered_from = ? WHERE tbl = ? AND covered_from IS NULL")) {
                p.setLong(1, head);
                p.setString(2, t.toString());
                updated = p.executeUpdate();
              }
              if (updated == 0) {
                try (PreparedStatement exists =
                    c.prepareStatement("SELECT COUNT(*) FROM " + tables + " WHERE tbl = ?")) {
                  exists.setString(1, t.toString());
                  try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                      continue; // captured already
                    }
                  }
                }
                try (PreparedStatement p =
                    c.prepareStatement(
                        "INSERT INTO "
                            + tables
                            + " (tbl, schema_name, table_name, covered_from) VALUES (?, ?, ?, ?)")) {
                  p.setString(1, t.toString());
                  p.setString(2, t.schema());
                  p.setString(3, t.name());
                  p.setLong(4, head);
                  p.executeUpdate();
                }
              }
            }
            return null;
          });
    } catch (SQLException e) {
      throw JdbcErrors.translate(
          dialect, e, pool.settings(), "recording the tables of " + description);
    }
  }

  private static long micros(Instant t) {
    return TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1_000;
  }

  private static String abbreviate(String text) {
    return text.length() <= POSITION_LENGTH ? text : text.substring(0, POSITION_LENGTH);
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T run(String action, Work<T> work) {
    try {
      return retry.run(
          () -> {
            try (Connection c = pool.connection()) {
              c.setAutoCommit(true);
              return work.run(c);
            }
          });
    } catch (SQLException e) {
      throw JdbcErrors.translate(dialect, e, pool.settings(), action);
    }
  }

  /**
   * One transaction, not retried: a caller that fails reads the state again. Autocommit is not
   * restored here: the pool restores it as the connection goes back, and restoring it on a
   * connection the failure broke would throw in place of that failure (a lost connection, which a
   * retry mends, would become an error without a state, and fail the mining run for good).
   */
  private <T> T transaction(Work<T> work) throws SQLException {
    try (Connection c = pool.connection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return description.substring("the ".length()) + where;
  }
}
