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
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Runs and checkpoints in a database, for the server: the same contract as {@link
 * FileCheckpointStore}, shared by every server node that uses the same database. Records are JSON
 * text in three tables ({@link #createTables} creates them; the server's migrations may instead). A
 * claim is a lease: a row naming its holder and a time until which it holds, renewed while the run
 * executes; a node that dies stops renewing, and once the lease ran out the run counts as
 * interrupted and any node may resume it.
 */
public final class JdbcCheckpointStore implements CheckpointStore, AutoCloseable {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private final DataSource dataSource;
  private final Duration lease;
  private final String holder = UUID.randomUUID().toString();
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
      String text =
          product.contains("postgres")
              ? "TEXT"
              : product.contains("mysql") || product.contains("mariadb") ? "LONGTEXT" : "CLOB";
      s.execute(
          "CREATE TABLE IF NOT EXISTS ferry_run (run_key VARCHAR(200) PRIMARY KEY,"
              + " created_at TIMESTAMP NOT NULL, record "
              + text
              + " NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS ferry_checkpoint (run_key VARCHAR(200) PRIMARY KEY,"
              + " checkpoint "
              + text
              + " NOT NULL)");
      s.execute(
          "CREATE TABLE IF NOT EXISTS ferry_run_claim (run_key VARCHAR(200) PRIMARY KEY,"
              + " holder VARCHAR(64) NOT NULL, lease_until TIMESTAMP NOT NULL)");
    } catch (SQLException e) {
      throw failure("cannot create the checkpoint tables", e);
    }
  }

  @Override
  public void save(RunRecord run) {
    upsert(
        "UPDATE ferry_run SET record = ? WHERE run_key = ?",
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
        "UPDATE ferry_checkpoint SET checkpoint = ? WHERE run_key = ?",
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
  public Optional<Claim> claim(String runKey) {
    if (!take(runKey)) {
      return Optional.empty();
    }
    long renewMillis = Math.max(1, lease.toMillis() / 3);
    var renewal =
        renewer.scheduleAtFixedRate(
            () -> take(runKey), renewMillis, renewMillis, TimeUnit.MILLISECONDS);
    return Optional.of(
        () -> {
          renewal.cancel(false);
          execute("DELETE FROM ferry_run_claim WHERE run_key = ? AND holder = ?", runKey, holder);
        });
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

  /** Takes or renews the lease: free, expired, or already ours. */
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

  private void upsert(String update, String insert, String json, String runKey, Timestamp created) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(update)) {
        ps.setString(1, json);
        ps.setString(2, runKey);
        if (ps.executeUpdate() == 1) {
          return;
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
