package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.engine.CursorState;
import io.ferry.engine.FileCheckpointStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CursorCommandTest {
  @TempDir Path state;

  @Test
  void showsSetsAndResetsAJobsCursor() {
    FileCheckpointStore store = new FileCheckpointStore(state);
    store.saveCursor(
        new CursorState(
            "orders",
            "updated_at",
            "TIMESTAMP",
            "2024-05-01T08:30:00",
            "orders-run-1",
            Instant.now()));

    Cli.Result list = Cli.ferry("runs", "cursor", "--state-dir", state.toString());
    assertThat(list.exitCode()).isZero();
    assertThat(list.out())
        .contains("orders")
        .contains("updated_at")
        .contains("2024-05-01T08:30:00")
        .contains("orders-run-1");

    Cli.Result set =
        Cli.ferry(
            "runs",
            "cursor",
            "orders",
            "--set",
            "2024-06-01 00:00:00",
            "--state-dir",
            state.toString());
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(store.cursor("orders").orElseThrow().value()).isEqualTo("2024-06-01 00:00:00");
    assertThat(store.cursor("orders").orElseThrow().column()).isEqualTo("updated_at");
    assertThat(store.cursor("orders").orElseThrow().runKey()).isNull();

    Cli.Result bad =
        Cli.ferry("runs", "cursor", "orders", "--set", "1 OR 1=1", "--state-dir", state.toString());
    assertThat(bad.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(bad.err()).contains("not a cursor value");
    assertThat(store.cursor("orders").orElseThrow().value()).isEqualTo("2024-06-01 00:00:00");

    Cli.Result noColumn =
        Cli.ferry("runs", "cursor", "other job", "--set", "42", "--state-dir", state.toString());
    assertThat(noColumn.exitCode()).isEqualTo(ExitCode.INVALID);
    assertThat(noColumn.err()).contains("--column");
    Cli.Result withColumn =
        Cli.ferry(
            "runs",
            "cursor",
            "other job",
            "--set",
            "42",
            "--column",
            "id",
            "--state-dir",
            state.toString());
    assertThat(withColumn.exitCode()).isZero();
    assertThat(store.cursor("other job").orElseThrow().value()).isEqualTo("42");
    assertThat(store.cursors()).extracting(CursorState::key).containsExactly("orders", "other job");

    Cli.Result reset =
        Cli.ferry("runs", "cursor", "orders", "--reset", "--state-dir", state.toString());
    assertThat(reset.exitCode()).isZero();
    assertThat(reset.out()).contains("reads every row");
    assertThat(store.cursor("orders")).isEmpty();
    Cli.Result shown = Cli.ferry("runs", "cursor", "orders", "--state-dir", state.toString());
    assertThat(shown.out()).contains("no committed cursor");
  }
}
