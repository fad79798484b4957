package io.ferry.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs and checkpoints in a database, for the server: the same contract as {@link
 * FileCheckpointStore}, shared by every server node that uses the same database. Records are JSON
 * text in three tables ({@link #createTables} creates them; the server's migrations may instead). A
 * claim is a lease: a row naming its holder and a time until which it holds, renewed while the run
 * executes; a node that dies stops renewing, and once the lease ran out the run counts as
 * interrupted and any node may resume it.
 *
 * <p>A lease that lapsed is lost for good: its holder may not renew it, even when nobody took the
 * run yet, and {@link Claim#held()} turns false as soon as the holder's own clock says the lease
 * ran out (measured from before the renewal that granted it). A process that was frozen or cut off
 * from the database for longer than the lease thus stops writing before another process can have
 * taken the run; and a record or checkpoint save is refused while another holder's claim names the
 * run ({@link CheckpointStore#CLAIM_LOST}), so a write already under way cannot overwrite the new
 * holder's state either.
 */
public final class JdbcCheckpointStore implements CheckpointStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JdbcCheckpointStore.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private final DataSource dataSource;
  private final Duration lease;
  private final String holder = UUID.randomUUID().toString();
  private final java.util.Map<String, Lease> leases =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ScheduledExecutorService renewer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ferry-checkpoint-lease");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param lease how long a claim holds without renewal; renewed every third of it
   */
  public JdbcCheckpointStore(DataSource dataSource, Duration lease) {
    this.dataSource = dataSource;
    this.lease = lease;
  }

  /** Creates the store's tables where they do not exist yet. */
  public static void createTables(DataSource dataSource) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
      // Checkpoints of plans with many splits outgrow MySQL's 64 KB TEXT.
      boolean mysql = product.contains("mysql") || product.contains("mariadb");
      String text = product.contains("postgres") ? "TEXT" : mysql ? "LONGTEXT" : "CLOB";
      // MySQL's TIMESTAMP keeps whole seconds: a lease cut short by up to a second would lapse.
      String time = mysql ? "DATETIME(6)" : "TIMESTAMP";
      s.execute(
          "CREATE TABLE IF NOT EXISTS ferry_run (run_key VARCHAR(200) PRIMARY KEY,"
              + " created_at "
              + time
              + " NOT NULL, record "
              + text
              + " NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS ferry_checkpoint (run_key VARCHAR(200) PRIMARY KEY,"
              + " checkpoint "
              + text
              + " NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS ferry_run_claim (run_key VARCHAR(200) PRIMARY KEY,"
              + " holder VARCHAR(64) NOT NULL, lease_until "
              + time
              + " NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS ferry_cursor (cursor_key VARCHAR(200) PRIMARY KEY,"
              + " state "
              + text
              + " NOT NULL)");
    } catch (SQLException e) {
      throw failure("cannot create the checkpoint tables", e);
    }
  }

  @Override
  public void save(RunRecord run) {
    upsert(
        "UPDATE ferry_run SET record = ? WHERE run_key = ?" + UNLESS_HELD_ELSEWHERE,
        "INSERT INTO ferry_run (record, run_key, created_at) VALUES (?, ?, ?)",
        json(run),
        run.runKey(),
        Timestamp.from(run.createdAt()));
  }

  @Override
  public Optional<RunRecord> run(String runKey) {
    return queryOne("SELECT record FROM ferry_run WHERE run_key = ?", runKey)
        .map(text -> parse(text, RunRecord.class));
  }

  @Override
  public List<RunRecord> runs() {
    List<RunRecord> runs = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT record FROM ferry_run ORDER BY created_at DESC")) {
      while (rs.next()) {
        runs.add(parse(rs.getString(1), RunRecord.class));
      }
    } catch (SQLException e) {
      throw failure("cannot list runs", e);
    }
    return runs;
  }

  @Override
  public void save(Checkpoint checkpoint) {
    upsert(
        "UPDATE ferry_checkpoint SET checkpoint = ? WHERE run_key = ?" + UNLESS_HELD_ELSEWHERE,
        "INSERT INTO ferry_checkpoint (checkpoint, run_key) VALUES (?, ?)",
        json(checkpoint),
        checkpoint.runKey(),
        null);
  }

  @Override
  public Optional<Checkpoint> checkpoint(String runKey) {
    return queryOne("SELECT checkpoint FROM ferry_checkpoint WHERE run_key = ?", runKey)
        .map(text -> Checkpoint.read(JSON, text));
  }

  @Override
  public Optional<CursorState> cursor(String key) {
    return queryOne("SELECT state FROM ferry_cursor WHERE cursor_key = ?", key)
        .map(text -> parse(text, CursorState.class));
  }

  @Override
  public List<CursorState> cursors() {
    List<CursorState> cursors = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT state FROM ferry_cursor ORDER BY cursor_key")) {
      while (rs.next()) {
        cursors.add(parse(rs.getString(1), CursorState.class));
      }
    } catch (SQLException e) {
      throw failure("cannot list the incremental cursors", e);
    }
    return cursors;
  }

  @Override
  public void saveCursor(CursorState cursor) {
    String text = json(cursor);
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE ferry_cursor SET state = ? WHERE cursor_key = ?")) {
        ps.setString(1, text);
        ps.setString(2, cursor.key());
        if (ps.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO ferry_cursor (state, cursor_key) VALUES (?, ?)")) {
        ps.setString(1, text);
        ps.setString(2, cursor.key());
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw failure("cannot save the cursor of " + cursor.key(), e);
    }
  }

  @Override
  public boolean deleteCursor(String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("DELETE FROM ferry_cursor WHERE cursor_key = ?")) {
      ps.setString(1, key);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw failure("cannot delete the cursor of " + key, e);
    }
  }

  @Override
  public Optional<Claim> claim(String runKey) {
    long asked = System.nanoTime();
    if (!take(runKey)) {
      return Optional.empty();
    }
    Lease held = new Lease(runKey, asked);
    leases.put(runKey, held);
    return Optional.of(held);
  }

  /**
   * A held claim, renewed every third of the lease. Its validity is measured on this process's
   * monotonic clock from before the request that granted it, so it never outlasts the lease row.
   */
  private final class Lease implements Claim {
    private final String runKey;
    private final ScheduledFuture<?> renewal;
    private volatile long validUntilNanos;
    private volatile boolean lost;

    Lease(String runKey, long askedNanos) {
      this.runKey = runKey;
      this.validUntilNanos = askedNanos + lease.toNanos();
      long every = Math.max(1, lease.toMillis() / 3);
      this.renewal = renewer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean held() {
      if (!lost && System.nanoTime() - validUntilNanos >= 0) {
        lose("its lease of " + lease + " ran out before it was renewed");
      }
      return !lost;
    }

    @Override
    public Optional<Duration> lease() {
      return Optional.of(lease);
    }

    @Override
    public boolean heldFor(Duration margin) {
      return held() && validUntilNanos - System.nanoTime() >= margin.toNanos();
    }

    private void renew() {
      long asked = System.nanoTime();
      if (!held()) {
        renewal.cancel(false);
        return;
      }
      try {
        if (extend(runKey)) {
          validUntilNanos = asked + lease.toNanos();
        } else {
          lose("its lease ran out or another process took the run");
        }
      } catch (RuntimeException e) {
        // The lease still holds for a while: the next renewal may get through.
        log.warn("Run {}: cannot renew the claim, trying again: {}", runKey, e.getMessage());
      }
    }

    void lose(String why) {
      if (!lost) {
        lost = true;
        log.warn("Run {}: this process no longer holds the run: {}", runKey, why);
      }
    }

    @Override
    public void close() {
      lost = true;
      renewal.cancel(false);
      leases.remove(runKey, this);
      execute("DELETE FROM ferry_run_claim WHERE run_key = ? AND holder = ?", runKey, holder);
    }
  }

  /**
   * Stops renewing the claims of this store's runs (a server shutting down): claims not released
   * lapse when their lease ends, and the runs can then be resumed elsewhere.
   */
  @Override
  public void close() {
    renewer.shutdownNow();
  }

  @Override
  public boolean isClaimed(String runKey) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT 1 FROM ferry_run_claim WHERE run_key = ? AND lease_until > ?")) {
      ps.setString(1, runKey);
      ps.setTimestamp(2, Timestamp.from(Instant.now()));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw failure("cannot read the claim of run " + runKey, e);
    }
  }

  /**
   * Extends a lease this store holds and that has not run out; false when it lapsed or another
   * holder took it (a lapsed lease is not taken back: the run may have been resumed elsewhere).
   */
  private boolean extend(String runKey) {
    Instant now = Instant.now();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE ferry_run_claim SET lease_until = ?"
                    + " WHERE run_key = ? AND holder = ? AND lease_until > ?")) {
      ps.setTimestamp(1, Timestamp.from(now.plus(lease)));
      ps.setString(2, runKey);
      ps.setString(3, holder);
      ps.setTimestamp(4, Timestamp.from(now));
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failure("cannot renew the claim of run " + runKey, e);
    }
  }

  /** Takes the lease: free, expired, or already ours. */
  private boolean take(String runKey) {
    Timestamp now = Timestamp.from(Instant.now());
    Timestamp until = Timestamp.from(Instant.now().plus(lease));
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement update =
          c.prepareStatement(
              "UPDATE ferry_run_claim SET holder = ?, lease_until = ?"
                  + " WHERE run_key = ? AND (holder = ? OR lease_until < ?)")) {
        update.setString(1, holder);
        update.setTimestamp(2, until);
        update.setString(3, runKey);
        update.setString(4, holder);
        update.setTimestamp(5, now);
        if (update.executeUpdate() == 1) {
          return true;
        }
      }
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO ferry_run_claim (run_key, holder, lease_until) VALUES (?, ?, ?)")) {
        insert.setString(1, runKey);
        insert.setString(2, holder);
        insert.setTimestamp(3, until);
        insert.executeUpdate();
        return true;
      } catch (SQLException e) {
        // Another holder's row appeared in between (the primary key refuses ours): not ours.
        if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
          return false;
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failure("cannot claim run " + runKey, e);
    }
  }

  /**
   * The condition of every update of a run's state: no other holder's claim names the run. (This
   * store's own claim, or none, lets the write through.)
   */
  private static final String UNLESS_HELD_ELSEWHERE =
      " AND NOT EXISTS (SELECT 1 FROM ferry_run_claim c WHERE c.run_key = ? AND c.holder <> ?)";

  /**
   * Updates the run's row unless another holder holds the run, or inserts it when there is none.
   *
   * @param update an UPDATE ending in {@link #UNLESS_HELD_ELSEWHERE}
   */
  private void upsert(String update, String insert, String json, String runKey, Timestamp created) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(update)) {
        ps.setString(1, json);
        ps.setString(2, runKey);
        ps.setString(3, runKey);
        ps.setString(4, holder);
        if (ps.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT holder FROM ferry_run_claim WHERE run_key = ? AND holder <> ?")) {
        ps.setString(1, runKey);
        ps.setString(2, holder);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            Lease held = leases.get(runKey);
            if (held != null) {
              held.lose("another process took the run over");
            }
            throw new FerryException(
                CLAIM_LOST,
                "run "
                    + runKey
                    + " is held by another process now; this process no longer writes its state");
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(insert)) {
        ps.setString(1, json);
        ps.setString(2, runKey);
        if (created != null) {
          ps.setTimestamp(3, created);
        }
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw failure("cannot save the state of run " + runKey, e);
    }
  }

  private Optional<String> queryOne(String sql, String runKey) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, runKey);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("cannot read the state of run " + runKey, e);
    }
  }

  private void execute(String sql, String... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("cannot update the checkpoint store", e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new FerryException(ErrorCode.INTERNAL, "cannot encode " + value, e);
    }
  }

  private static <T> T parse(String text, Class<T> type) {
    try {
      return JSON.readValue(text, type);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE, "stored run state does not parse: " + e.getMessage(), e);
    }
  }

  private static FerryException failure(String message, SQLException e) {
    return new FerryException(ErrorCode.CONNECTION, message + ": " + e.getMessage(), e);
  }
}
