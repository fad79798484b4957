package io.ferry.connector.file;

import static io.ferry.connector.file.FileTestSupport.sink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.connector.testkit.ChangeScript;
import io.ferry.spi.ChangeEvent.RowChange;
import io.ferry.spi.ChangeWriter;
import io.ferry.spi.ChangeWriter.DeleteMode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Sink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change records in JSON Lines: what each change becomes, and that a window written again after an
 * interruption (no checkpoint after its flush) is in the file once.
 */
class FileChangeWriterTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("out").resolve("items.jsonl");
  }

  private ChangeWriter writer(DeleteMode mode) {
    Sink sink = sink(Map.of("path", file().toString(), "format", "jsonl"), new TestContext(dir));
    assertThat(sink.appliesChanges()).isTrue();
    return sink.changeWriter(ChangeScript.target(mode));
  }

  private List<JsonNode> records() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file(), StandardCharsets.UTF_8)) {
      out.add(JsonValues.mapper().readTree(line));
    }
    return out;
  }

  private static List<String> positions(List<JsonNode> records) {
    return records.stream().map(r -> r.get("position").asText()).toList();
  }

  @Test
  void eachChangeBecomesARecordWithItsImagesPositionAndCommitTime() throws IOException {
    List<RowChange> batch = new ChangeScript().batch();
    try (ChangeWriter writer = writer(DeleteMode.DELETE)) {
      writer.apply(batch);
      writer.flush();
    }
    List<JsonNode> records = records();
    assertThat(records).hasSize(batch.size());
    JsonNode first = records.get(0);
    assertThat(first.get("op").asText()).isEqualTo("insert");
    assertThat(first.get("table").asText()).isEqualTo("shop.items");
    assertThat(first.get("position").asText()).isEqualTo("event 1");
    assertThat(first.get("committedAt").asText()).isEqualTo("2026-01-02T03:04:06Z");
    assertThat(first.get("before").isNull()).isTrue();
    assertThat(first.get("after").toString()).isEqualTo("{\"id\":1,\"name\":\"one\",\"qty\":1}");

    JsonNode unchanged = records.get(3);
    assertThat(unchanged.get("op").asText()).isEqualTo("update");
    assertThat(unchanged.get("after").toString()).isEqualTo("{\"id\":2,\"name\":\"two''\"}");
    assertThat(unchanged.get("unchanged").toString()).isEqualTo("[\"qty\"]");

    JsonNode keyChange = records.get(7);
    assertThat(keyChange.get("before").get("id").asLong()).isEqualTo(1);
    assertThat(keyChange.get("after").get("id").asLong()).isEqualTo(10);

    JsonNode delete = records.get(10);
    assertThat(delete.get("op").asText()).isEqualTo("delete");
    assertThat(delete.get("after").isNull()).isTrue();
    assertThat(delete.get("before").get("id").asLong()).isEqualTo(99);
  }

  @Test
  void aWindowWrittenAgainAfterAnInterruptionIsInTheFileOnce() throws IOException {
    List<RowChange> batch = new ChangeScript().batch();
    try (ChangeWriter writer = writer(DeleteMode.DELETE)) {
      writer.apply(batch.subList(0, 5));
      writer.flush(); // checkpointed by the engine
      writer.apply(batch.subList(5, 11));
      writer.flush(); // durable, but killed before the checkpoint
    }
    // ... and the next window had started: a line cut short.
    Files.writeString(file(), "{\"op\":\"ins", StandardOpenOption.APPEND);

    // The resumed run reads the log again from the checkpoint, in another writer.
    try (ChangeWriter writer = writer(DeleteMode.DELETE)) {
      writer.apply(ChangeScript.from(batch, 5));
      writer.flush();
    }
    assertThat(positions(records()))
        .isEqualTo(batch.stream().map(c -> c.position().description()).toList());

    // After the checkpoint of that window, a later change is appended: nothing is cut.
    ChangeScript more = new ChangeScript();
    for (int i = 0; i < 11; i++) {
      more.insert(100 + i, "skip", 0); // positions 1..11 of the second script
    }
    RowChange next = more.insert(200, "next", 1); // position 12
    try (ChangeWriter writer = writer(DeleteMode.SOFT)) {
      writer.apply(List.of(next));
      writer.flush();
    }
    assertThat(records()).hasSize(12);
    assertThat(records().get(11).get("after").get("id").asLong()).isEqualTo(200);
  }

  @Test
  void changeRecordsNeedJsonLinesWithoutCompression() {
    Sink sink =
        sink(
            Map.of("path", file().resolveSibling("items.csv.gz").toString()), new TestContext(dir));
    assertThat(sink.appliesChanges()).isFalse(); // ferry validate refuses the job, saying why
    assertThat(sink.changeProblems())
        .extracting(p -> p.option())
        .containsExactlyInAnyOrder("format", "compression");
    InvalidOptionsException e =
        catchThrowableOfType(
            () -> sink.changeWriter(ChangeScript.target(DeleteMode.DELETE)),
            InvalidOptionsException.class);
    assertThat(e.problems())
        .extracting(p -> p.option())
        .containsExactlyInAnyOrder("format", "compression");
  }

  @Test
  void twoWritersCannotAppendToOneFile() {
    try (ChangeWriter first = writer(DeleteMode.DELETE)) {
      FerryException e =
          catchThrowableOfType(() -> writer(DeleteMode.DELETE), FerryException.class);
      assertThat(e.option()).isEqualTo("path");
      assertThat(e.getMessage()).contains("another writer appends change records");
    }
    try (ChangeWriter again = writer(DeleteMode.DELETE)) {
      assertThat(again).as("closed, the file is free").isNotNull();
    }
  }

  @Test
  void aLongIncompleteLastLineIsCutWhenTheFileIsOpened() throws IOException {
    List<RowChange> batch = new ChangeScript().batch();
    try (ChangeWriter writer = writer(DeleteMode.DELETE)) {
      writer.apply(batch.subList(0, 2));
      writer.flush();
    }
    Files.writeString(file(), "{\"op\":\"" + "x".repeat(200_000), StandardOpenOption.APPEND);
    try (ChangeWriter writer = writer(DeleteMode.DELETE)) {
      writer.apply(batch.subList(2, 3));
      writer.flush();
    }
    assertThat(positions(records())).containsExactly("event 1", "event 2", "event 3");
  }
}
