package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs Ferry jobs in-process through the engine, as {@code ferry run} does. */
final class FerryJobs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FerryJobs() {}

  /** A dirty row as the engine's dirty-data file records it. */
  record Dirty(String location, String column, String reason, JsonNode row) {
    long id() {
      return row.get("id").asLong();
    }
  }

  /** How a job ended, with its dirty rows. */
  record Outcome(RunResult result, List<Dirty> dirty) {
    /** Fails, with the run's failure, unless the run succeeded. */
    Outcome succeeded() {
      assertThat(result.state())
          .as("run state; failure: %s", result.failure())
          .isEqualTo(RunState.SUCCEEDED);
      return this;
    }
  }

  /** Runs {@code yaml} to its end and reads its dirty-data file. */
  static Outcome run(Path stateDirectory, String name, String yaml) throws InterruptedException {
    Engine engine =
        new Engine(
            ConnectorRegistry.fromClassPath(FerryJobs.class.getClassLoader()), stateDirectory);
    RunResult result = engine.start(JobSpecLoader.parse(yaml, false, null, name, Map.of())).await();
    List<Dirty> dirty = new ArrayList<>();
    if (result.dirtyDataFile() != null && Files.exists(result.dirtyDataFile())) {
      try {
        for (String line : Files.readAllLines(result.dirtyDataFile())) {
          JsonNode n = JSON.readTree(line);
          dirty.add(
              new Dirty(
                  n.path("location").asText(null),
                  n.path("column").isNull() ? null : n.path("column").asText(),
                  n.path("reason").asText(),
                  n.path("row")));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Outcome(result, dirty);
  }
}
