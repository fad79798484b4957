package io.ferry.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.spi.DirtyRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirtyDataStoreTest {
  @TempDir Path dir;

  /**
   * The tasks of a run on Flink each keep their own store on one file: rows written at the same
   * time, some longer than any buffer, must each land whole on their own line.
   */
  @Test
  void storesSharingAFileNeverInterleaveTheirRows() throws Exception {
    Path file = dir.resolve("dirty.jsonl");
    int stores = 4;
    int rowsEach = 300;
    ExecutorService pool = Executors.newFixedThreadPool(stores);
    CountDownLatch start = new CountDownLatch(1);
    List<DirtyDataStore> opened = new ArrayList<>();
    List<Future<?>> writers = new ArrayList<>();
    for (int s = 0; s < stores; s++) {
      DirtyDataStore store = new DirtyDataStore(file);
      opened.add(store);
      int task = s;
      writers.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < rowsEach; i++) {
                  // Every tenth value is longer than a writer's 8 KB buffer.
                  String value = "v" + task + "-" + i + "x".repeat(i % 10 == 0 ? 20_000 : 50);
                  store.write(
                      new DirtyRow(
                          "task " + task,
                          Map.of("id", task * 1_000_000 + i, "code", value),
                          "code",
                          value,
                          "not an int32"));
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> writer : writers) {
      writer.get();
    }
    pool.shutdown();
    opened.forEach(DirtyDataStore::close);

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(stores * rowsEach);
    ObjectMapper json = new ObjectMapper();
    Set<Long> ids = new HashSet<>();
    for (String line : lines) {
      JsonNode row = json.readTree(line);
      assertThat(row.get("value").asText()).isEqualTo(row.at("/row/code").asText());
      ids.add(row.at("/row/id").asLong());
    }
    assertThat(ids).hasSize(stores * rowsEach);
  }

  @Test
  void aCleanRunLeavesNoFile() {
    Path file = dir.resolve("none.jsonl");
    try (DirtyDataStore store = new DirtyDataStore(file)) {
      assertThat(store.isEmpty()).isTrue();
    }
    assertThat(file).doesNotExist();
  }
}
