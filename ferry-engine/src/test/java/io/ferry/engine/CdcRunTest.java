package io.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cdc run loop against a scripted change source ({@link ChangeMemoryConnector}): the snapshot
 * with changes made while it reads, the hand-off to the log, per-key order with key changes, the
 * checkpoint after the flush, resume after an abrupt end (the state directory as a kill -9 left
 * it), refusals.
 */
@org.junit.jupiter.api.Timeout(60)
class CdcRunTest {
  @TempDir Path dir;

  private final Random random = new Random(17);
  private final AtomicInteger nextId = new AtomicInteger(10_000);

  @BeforeEach
  void reset() {
    ChangeMemoryConnector.reset();
  }

  private Engine engine(Path state) {
    return new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
  }

  private static JobSpec job(String cdc, String extraSource) {
    String yaml =
        """
        name: capture
        kind: cdc
        source:
          connector: changemem
          tables: [a, b]
        %s
        sink:
          connector: changemem
          table: "t_${table}"
        cdc:
        %s
        settings:
          channels: 2
          flushInterval: 50ms
          progressInterval: 50ms
        """
            .formatted(extraSource, cdc);
    return JobSpecLoader.parse(yaml, false, null, "capture", Map.of());
  }

  private static void seed(int rows) {
    for (int i = 0; i < rows; i++) {
      ChangeMemoryConnector.insert("a", i * 7, "a" + i);
      ChangeMemoryConnector.insert("b", i * 11, "b" + i);
    }
  }

  /** One random write: insert, update, delete, key change, or a transaction over both tables. */
  private void randomChange() {
    String table = random.nextBoolean() ? "a" : "b";
    List<Long> ids = List.copyOf(ChangeMemoryConnector.sourceRows(table).keySet());
    int op = random.nextInt(5);
    if (ids.isEmpty() || op == 0) {
      ChangeMemoryConnector.insert(table, nextId.incrementAndGet() % 990, "new");
      return;
    }
    long id = ids.get(random.nextInt(ids.size()));
    switch (op) {
      case 1 -> ChangeMemoryConnector.update(table, id, "upd" + random.nextInt(1000));
      case 2 -> ChangeMemoryConnector.delete(table, id);
      case 3 -> {
        long newId = nextId.incrementAndGet() % 990;
        if (!ChangeMemoryConnector.sourceRows(table).containsKey(newId)) {
          ChangeMemoryConnector.changeKey(table, id, newId);
        }
      }
      default -> {
        synchronized (ChangeMemoryConnector.class) {
          ChangeMemoryConnector.update(table, id, "tx");
          ChangeMemoryConnector.insert(table.equals("a") ? "b" : "a", 995, "tx-other");
          ChangeMemoryConnector.delete(table.equals("a") ? "b" : "a", 995);
        }
      }
    }
  }

  private static boolean caughtUp() {
    return ChangeMemoryConnector.targetRows("t_a").equals(ChangeMemoryConnector.sourceRows("a"))
        && ChangeMemoryConnector.targetRows("t_b").equals(ChangeMemoryConnector.sourceRows("b"));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "not caught up: source a="
                + ChangeMemoryConnector.sourceRows("a")
                + " target a="
                + ChangeMemoryConnector.targetRows("t_a"));
      }
      Thread.sleep(20);
    }
  }

  /** Until the run reads the log: its start position is taken. */
  private static void awaitStreaming(JobRun run) throws InterruptedException {
    await(
        () -> {
          ChangeProgress changes = run.progress().changes();
          return changes != null
              && changes.position() != null
              && changes.phase() == ChangeProgress.Phase.STREAMING;
        });
  }

  /**
   * The file store of a run that the test "kills": {@link #kill} copies the state directory as a
   * kill -9 at that instant leaves it. A real kill freezes every file at once; a copy taken while
   * the run goes on writing would mix files of different moments (a run record of one instant, a
   * checkpoint of a later one) and could meet a {@code .tmp} file renamed away under it. So saves
   * share a lock that the copy holds exclusively: no save runs while the copy is taken, and each
   * file is the last version saved before the kill (saves replace files atomically, so a kill
   * leaves no half-written one either).
   */
  private static final class KillableStore implements CheckpointStore {
    private final Path state;
    private final FileCheckpointStore files;
    private final ReadWriteLock saves = new ReentrantReadWriteLock();

    KillableStore(Path state) {
      this.state = state;
      this.files = new FileCheckpointStore(state);
    }

    /** The process dies here (as far as {@code to} knows); the run itself goes on writing. */
    void kill(Path to) {
      saves.writeLock().lock();
      try {
        copyState(state, to);
      } finally {
        saves.writeLock().unlock();
      }
    }

    @Override
    public void save(RunRecord run) {
      saves.readLock().lock();
      try {
        files.save(run);
      } finally {
        saves.readLock().unlock();
      }
    }

    @Override
    public void save(Checkpoint checkpoint) {
      saves.readLock().lock();
      try {
        files.save(checkpoint);
      } finally {
        saves.readLock().unlock();
      }
    }

    @Override
    public Optional<RunRecord> run(String runKey) {
      return files.run(runKey);
    }

    @Override
    public Optional<CursorState> cursor(String key) {
      return files.cursor(key);
    }

    @Override
    public List<CursorState> cursors() {
      return files.cursors();
    }

    @Override
    public void saveCursor(CursorState cursor) {
      files.saveCursor(cursor);
    }

    @Override
    public boolean deleteCursor(String key) {
      return files.deleteCursor(key);
    }

    @Override
    public List<RunRecord> runs() {
      return files.runs();
    }

    @Override
    public Optional<Checkpoint> checkpoint(String runKey) {
      return files.checkpoint(runKey);
    }

    @Override
    public Optional<Claim> claim(String runKey) {
      return files.claim(runKey);
    }

    @Override
    public boolean isClaimed(String runKey) {
      return files.isClaimed(runKey);
    }

    /** Files as they are: called with no save under way (locks are the OS's, not files). */
    private static void copyState(Path from, Path to) {
      try (Stream<Path> found = Files.walk(from)) {
        for (Path f : (Iterable<Path>) found::iterator) {
          Path target = to.resolve(from.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(target);
          } else if (!f.getFileName().toString().equals("lock")) {
            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private Engine engine(KillableStore store, Path state) {
    return new Engine(
        ConnectorRegistry.fromClassPath(getClass().getClassLoader()),
        state,
        store,
        LocalFiles.unrestricted());
  }

  @Test
  void snapshotWithConcurrentChangesThenLogConvergesRowForRow() throws Exception {
    seed(40);
    ChangeMemoryConnector.duringSnapshot = this::randomChange;
    JobRun run = engine(dir.resolve("state")).start(job("  startup: initial", ""));
    awaitStreaming(run);
    ChangeMemoryConnector.duringSnapshot = () -> {};
    for (int i = 0; i < 200; i++) {
      randomChange();
    }
    await(CdcRunTest::caughtUp);
    long end = ChangeMemoryConnector.LOG.size();
    await(() -> ChangeMemoryConnector.COMMITTED.contains(end));

    Progress progress = run.progress();
    assertThat(progress.state()).isEqualTo(RunState.RUNNING);
    assertThat(progress.changes().tables())
        .extracting(ChangeProgress.TableProgress::snapshot)
        .containsOnly(SplitProgress.State.DONE);
    assertThat(progress.changes().changesApplied()).isPositive();
    assertThat(ChangeMemoryConnector.offset(progress.changes().position())).isEqualTo(end);

    run.stop();
    RunResult result = run.await();
    assertThat(result.state()).isEqualTo(RunState.STOPPED);
    assertThat(result.failure()).isNull();
    assertThat(caughtUp()).isTrue();
    // Checkpointed only what was flushed: positions only grow.
    assertThat(ChangeMemoryConnector.COMMITTED).isSorted();
  }

  @Test
  void aLostTargetConnectionWhileStreamingIsRetriedFromTheCheckpoint() throws Exception {
    seed(20);
    JobRun run = engine(dir.resolve("state")).start(job("  startup: initial", ""));
    awaitStreaming(run);
    ChangeMemoryConnector.FAILING_APPLIES.set(2);
    for (int i = 0; i < 100; i++) {
      randomChange();
    }
    await(CdcRunTest::caughtUp);
    assertThat(ChangeMemoryConnector.FAILING_APPLIES.get()).as("both failures happened").isZero();
    assertThat(run.progress().state()).isEqualTo(RunState.RUNNING);
    run.stop();
    assertThat(run.await().failure()).isNull();
    assertThat(caughtUp()).isTrue();
    assertThat(ChangeMemoryConnector.COMMITTED).isSorted();
  }

  @Test
  void resumesAfterAKillDuringTheSnapshot() throws Exception {
    seed(60);
    Path state = dir.resolve("state");
    Path killed = dir.resolve("killed");
    KillableStore store = new KillableStore(state);
    AtomicInteger batches = new AtomicInteger();
    ChangeMemoryConnector.duringSnapshot =
        () -> {
          randomChange();
          if (batches.incrementAndGet() == 25) {
            store.kill(killed);
          }
        };
    JobRun run = engine(store, state).start(job("  startup: initial", ""));
    await(() -> batches.get() > 25);
    run.stop();
    run.await();
    ChangeMemoryConnector.duringSnapshot = () -> {};
    for (int i = 0; i < 100; i++) {
      randomChange();
    }

    Engine after = engine(killed);
    assertThat(after.runOf(run.runKey()).orElseThrow().state()).isEqualTo(RunState.PAUSED);
    JobRun resumed = after.resume(run.runKey(), job("  startup: initial", ""), Map.of());
    await(CdcRunTest::caughtUp);
    resumed.pause();
    RunResult result = resumed.await();
    assertThat(result.state()).isEqualTo(RunState.PAUSED);
    assertThat(caughtUp()).isTrue();
  }

  @Test
  void resumesAfterAKillWhileStreamingAndReappliesIdempotently() throws Exception {
    seed(20);
    Path state = dir.resolve("state");
    Path killed = dir.resolve("killed");
    KillableStore store = new KillableStore(state);
    JobRun run = engine(store, state).start(job("  startup: initial", ""));
    await(CdcRunTest::caughtUp);
    for (int i = 0; i < 50; i++) {
      randomChange();
    }
    await(CdcRunTest::caughtUp);
    store.kill(killed); // the changes below reach the target, not the killed state's checkpoint
    for (int i = 0; i < 150; i++) {
      randomChange();
    }
    await(CdcRunTest::caughtUp);
    run.stop();
    run.await();
    for (int i = 0; i < 50; i++) {
      randomChange();
    }

    JobRun resumed = engine(killed).resume(run.runKey(), job("  startup: initial", ""), Map.of());
    await(CdcRunTest::caughtUp);
    long end = ChangeMemoryConnector.LOG.size();
    await(() -> ChangeMemoryConnector.COMMITTED.contains(end));
    resumed.stop();
    assertThat(resumed.await().state()).isEqualTo(RunState.STOPPED);
    assertThat(caughtUp()).isTrue();
  }

  @Test
  void latestSkipsTheSnapshotAndAppliesOnlyNewChanges() throws Exception {
    seed(5);
    JobRun run = engine(dir.resolve("state")).start(job("  startup: latest", ""));
    awaitStreaming(run);
    ChangeMemoryConnector.insert("a", 500, "after");
    ChangeMemoryConnector.update("a", 0, "changed");
    await(() -> ChangeMemoryConnector.targetRows("t_a").size() == 2);
    run.stop();
    run.await();
    assertThat(ChangeMemoryConnector.targetRows("t_a"))
        .isEqualTo(Map.of(0L, "changed", 500L, "after"));
    assertThat(ChangeMemoryConnector.targetRows("t_b")).isEmpty();
  }

  @Test
  void softDeletesKeepTheRowFlagged() throws Exception {
    seed(3);
    JobRun run =
        engine(dir.resolve("state")).start(job("  startup: initial\n  deleteMode: soft", ""));
    await(() -> ChangeMemoryConnector.targetRows("t_a").size() == 3);
    ChangeMemoryConnector.delete("a", 7);
    await(() -> ChangeMemoryConnector.targetRows("t_a").size() == 2);
    run.stop();
    run.await();
    assertThat(ChangeMemoryConnector.TARGET.get("t_a").get(7L)[2]).isEqualTo(true);
  }

  @Test
  void aTableWithoutKeyIsRefusedUnlessTheJobNamesItsKey() throws Exception {
    seed(3);
    JobRun refused = engine(dir.resolve("state")).start(job("  startup: initial", "  noKey: true"));
    RunResult result = refused.await();
    assertThat(result.state()).isEqualTo(RunState.FAILED);
    assertThat(result.failure().getMessage())
        .contains("db.a has no primary key")
        .contains("cdc: {keys: {a: [col1, col2]}}");

    JobRun run =
        engine(dir.resolve("state2"))
            .start(job("  startup: initial\n  keys: {a: [id], b: id}", "  noKey: true"));
    await(CdcRunTest::caughtUp);
    ChangeMemoryConnector.delete("b", 11);
    await(CdcRunTest::caughtUp);
    run.stop();
    assertThat(run.await().state()).isEqualTo(RunState.STOPPED);
  }

  @Test
  void aSchemaChangePausesByDefaultAndApplyFollowsIt() throws Exception {
    seed(2);
    Schema wider =
        Schema.of(
            new Column("id", DataType.INT64, false),
            Column.of("name", DataType.STRING),
            Column.of("note", DataType.STRING));
    JobRun run = engine(dir.resolve("state")).start(job("  startup: latest", ""));
    awaitStreaming(run);
    ChangeMemoryConnector.insert("a", 100, "before the DDL");
    ChangeMemoryConnector.alter("a", wider, "ALTER TABLE a ADD note TEXT");
    ChangeMemoryConnector.insert("a", 101, "after the DDL");
    RunResult result = run.await();
    assertThat(result.state()).isEqualTo(RunState.PAUSED);
    assertThat(result.failure().getMessage())
        .contains("ALTER TABLE a ADD note TEXT")
        .contains("the target lacks the new columns");
    // What came before the DDL was flushed; nothing after it.
    assertThat(ChangeMemoryConnector.targetRows("t_a")).isEqualTo(Map.of(100L, "before the DDL"));

    JobRun resumed =
        engine(dir.resolve("state"))
            .resume(run.runKey(), job("  startup: latest\n  schemaChanges: apply", ""), Map.of());
    await(() -> ChangeMemoryConnector.targetRows("t_a").containsKey(101L));
    resumed.stop();
    assertThat(resumed.await().state()).isEqualTo(RunState.STOPPED);
  }

  @Test
  void aSinkThatCannotApplyChangesIsRefused() {
    String yaml =
        """
        kind: cdc
        source: {connector: changemem, tables: [a]}
        sink: {connector: memory, table: "${table}"}
        """;
    JobSpec spec = JobSpecLoader.parse(yaml, false, null, "refused", Map.of());
    assertThatThrownBy(() -> engine(dir.resolve("state")).validate(spec, false))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining("sink cannot apply changes");
  }

  @Test
  void sharedMiningRefusesAStoreThatCannotKeepALogAndAStartupOfItsOwn(@TempDir Path dir) {
    JobSpec spec =
        job("  startup: position\n  sharedMining: true\n  miningLog: {connector: changemem}", "");
    assertThatThrownBy(() -> engine(dir).start(spec))
        .isInstanceOf(JobSpecException.class)
        .hasMessageContaining(
            "cdc.miningLog.connector: connector 'changemem' cannot be a mining-log store")
        .hasMessageContaining("cdc.startup: sharedMining reads the mining log");
  }
}
