package io.ferry.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The safety rules of a collection that do not need a store (docs/catalog.md#safety-rules): a run
 * stopped partway writes only whole databases and removes nothing; a database that fails stops
 * every removal; the removal guard; every remote call's timeouts.
 */
class CollectionSafetyTest {
  /** Stands for the process dying while it reads a database: nothing after it runs. */
  private static final class Killed extends Error {
    private static final long serialVersionUID = 1L;
  }

  /** Records what a collection writes; each database read "finds" the removals it is given. */
  private static final class RecordingStore extends CatalogStore {
    final List<String> applied = new ArrayList<>();
    final List<List<Long>> removed = new ArrayList<>();
    final Map<String, List<Long>> removalsFound;
    final int current;
    List<Long> uncovered = List.of();

    RecordingStore(Map<String, List<Long>> removalsFound, int current) {
      super(null, null, null);
      this.removalsFound = removalsFound;
      this.current = current;
    }

    @Override
    void apply(
        long dataSourceId,
        long instanceId,
        Collected.Database read,
        ObjectFilter filter,
        Tally tally,
        List<Long> removals) {
      applied.add(read.name());
      removals.addAll(removalsFound.getOrDefault(read.name(), List.of()));
    }

    @Override
    List<Long> inVanishedDatabases(long dataSourceId, Set<String> listed, ObjectFilter filter) {
      return List.of();
    }

    @Override
    List<Long> uncovered(long dataSourceId, ObjectFilter filter) {
      return uncovered;
    }

    @Override
    int currentTables(long dataSourceId) {
      return current;
    }

    @Override
    void remove(List<Long> ids, long instanceId, Tally tally) {
      if (!ids.isEmpty()) {
        removed.add(List.copyOf(ids));
      }
    }
  }

  /** Databases a, b, c; reading {@code failing} throws {@code failure}. */
  private static MetadataReader reader(String failing, Throwable failure) {
    return new MetadataReader() {
      @Override
      public List<String> databases() {
        return List.of("a", "b", "c");
      }

      @Override
      public Collected.Database read(String database, ObjectFilter filter) throws Exception {
        if (database.equals(failing)) {
          if (failure instanceof Error e) {
            throw e;
          }
          throw (Exception) failure;
        }
        return new Collected.Database(database, List.of(), List.of(), List.of());
      }
    };
  }

  private static final CollectionService.Task TASK =
      new CollectionService.Task(1, "mysql", ObjectFilter.of(null, null));

  @Test
  void aRunStoppedPartwayHasWrittenWholeDatabasesAndRemovedNothing() {
    RecordingStore store = new RecordingStore(Map.of("a", List.of(7L)), 100);
    assertThatThrownBy(
            () ->
                CollectionService.collect(
                    store,
                    TASK,
                    9,
                    reader("b", new Killed()),
                    new CatalogStore.Tally(),
                    new int[3],
                    new ArrayList<>(),
                    CollectionService.Removals.NONE))
        .isInstanceOf(Killed.class);
    assertThat(store.applied).containsExactly("a");
    assertThat(store.removed).as("removals are written last").isEmpty();
  }

  @Test
  void aDatabaseThatFailsStopsEveryRemovalAndTheRestIsCollected() throws Exception {
    RecordingStore store = new RecordingStore(Map.of("a", List.of(7L), "c", List.of(8L)), 100);
    List<Collected.Problem> problems = new ArrayList<>();
    boolean removed =
        CollectionService.collect(
            store,
            TASK,
            9,
            reader("b", new SQLException("timed out")),
            new CatalogStore.Tally(),
            new int[3],
            problems,
            CollectionService.Removals.NONE);
    assertThat(removed).isFalse();
    assertThat(store.applied).containsExactly("a", "c");
    assertThat(store.removed).isEmpty();
    assertThat(problems)
        .containsExactly(new Collected.Problem("b", CatalogErrors.DATABASE_FAILED, "timed out"));
  }

  @Test
  void theRemovalGuardStopsARunThatWouldRemoveMoreThanHalfUntilConfirmed() throws Exception {
    List<Long> eleven = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    // 11 of 20: guarded.
    RecordingStore guarded = new RecordingStore(Map.of("a", eleven), 20);
    List<Collected.Problem> problems = new ArrayList<>();
    assertThat(
            CollectionService.collect(
                guarded,
                TASK,
                9,
                reader(null, null),
                new CatalogStore.Tally(),
                new int[3],
                problems,
                CollectionService.Removals.NONE))
        .isFalse();
    assertThat(guarded.removed).isEmpty();
    assertThat(problems)
        .extracting(Collected.Problem::code)
        .containsExactly(CatalogErrors.REMOVAL_GUARD);
    assertThat(problems.get(0).message()).contains("remove 11 of 20", "confirmRemovals=true");
    // Confirmed: removed.
    RecordingStore confirmed = new RecordingStore(Map.of("a", eleven), 20);
    assertThat(
            CollectionService.collect(
                confirmed,
                TASK,
                9,
                reader(null, null),
                new CatalogStore.Tally(),
                new int[3],
                new ArrayList<>(),
                new CollectionService.Removals(true, false)))
        .isTrue();
    assertThat(confirmed.removed).containsExactly(eleven);
    // 11 of 22 (not more than half), or 10 of 12 (not more than 10): not guarded.
    RecordingStore half = new RecordingStore(Map.of("a", eleven), 22);
    CollectionService.collect(
        half,
        TASK,
        9,
        reader(null, null),
        new CatalogStore.Tally(),
        new int[3],
        problems,
        CollectionService.Removals.NONE);
    assertThat(half.removed).containsExactly(eleven);
    RecordingStore few = new RecordingStore(Map.of("a", eleven.subList(0, 10)), 12);
    CollectionService.collect(
        few,
        TASK,
        9,
        reader(null, null),
        new CatalogStore.Tally(),
        new int[3],
        problems,
        CollectionService.Removals.NONE);
    assertThat(few.removed).hasSize(1);
  }

  @Test
  void aNarrowerTaskRemovesWhatItDoesNotCoverOnlyWhenAsked() throws Exception {
    RecordingStore store = new RecordingStore(Map.of(), 100);
    store.uncovered = List.of(41L, 42L);
    CollectionService.collect(
        store,
        TASK,
        9,
        reader(null, null),
        new CatalogStore.Tally(),
        new int[3],
        new ArrayList<>(),
        CollectionService.Removals.NONE);
    assertThat(store.removed).isEmpty();
    CollectionService.collect(
        store,
        TASK,
        9,
        reader(null, null),
        new CatalogStore.Tally(),
        new int[3],
        new ArrayList<>(),
        new CollectionService.Removals(false, true));
    assertThat(store.removed).containsExactly(List.of(41L, 42L));
  }

  @Test
  void everyConnectionHasConnectLoginAndSocketTimeoutsUnlessTheDataSourceSetsThem() {
    Duration statement = Duration.ofSeconds(120);
    Properties mysql =
        CollectionService.properties(MetaModels.Reader.MYSQL, Map.of("user", "u"), statement);
    assertThat(mysql)
        .containsEntry("connectTimeout", "10000")
        .containsEntry("socketTimeout", "150000");
    Properties postgres =
        CollectionService.properties(MetaModels.Reader.POSTGRESQL, Map.of(), statement);
    assertThat(postgres)
        .containsEntry("connectTimeout", "10")
        .containsEntry("loginTimeout", "10")
        .containsEntry("socketTimeout", "150");
    assertThat(CollectionService.properties(MetaModels.Reader.ORACLE, Map.of(), statement))
        .containsEntry("oracle.net.CONNECT_TIMEOUT", "10000")
        .containsEntry("oracle.jdbc.ReadTimeout", "150000");
    assertThat(CollectionService.properties(MetaModels.Reader.SQLSERVER, Map.of(), statement))
        .containsEntry("loginTimeout", "10")
        .containsEntry("socketTimeout", "150000");
    // The data source's own properties win.
    assertThat(
            CollectionService.properties(
                MetaModels.Reader.MYSQL,
                Map.of("properties", Map.of("connectTimeout", "2000")),
                statement))
        .containsEntry("connectTimeout", "2000");
  }

  @Test
  void aServerThatAcceptsButNeverAnswersFailsTheConnectionInTime() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept()); // and never a byte back
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      int port = silent.getLocalPort();
      for (MetaModels.Reader reader :
          List.of(MetaModels.Reader.MYSQL, MetaModels.Reader.POSTGRESQL)) {
        // The timeouts of a data source that sets them short: the drivers honour them during
        // the handshake, as they do the defaults (10 s).
        Map<String, Object> options =
            Map.of(
                "host",
                "127.0.0.1",
                "port",
                port,
                "database",
                "x",
                "properties",
                reader == MetaModels.Reader.MYSQL
                    ? Map.of("connectTimeout", "1000", "socketTimeout", "1000")
                    : Map.of("connectTimeout", "1", "loginTimeout", "1", "socketTimeout", "1"));
        long start = System.nanoTime();
        assertThatThrownBy(
                () ->
                    CollectionService.connect(
                        reader,
                        options,
                        Duration.ofSeconds(1),
                        CollectionService.class.getClassLoader()))
            .as(reader.name())
            .isInstanceOf(SQLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as(reader.name())
            .isLessThan(Duration.ofSeconds(8));
      }
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
