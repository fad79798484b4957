package io.ferry.engine;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Ferry's local engine: validates jobs and runs them. Thread-safe; one engine serves any number of
 * runs at once.
 *
 * <pre>{@code
 * Engine engine = new Engine(ConnectorRegistry.fromClassPath(loader), Path.of("state"));
 * JobRun run = engine.start(JobSpecLoader.load(Path.of("job.yaml"), Map.of()));
 * run.addListener(...);
 * RunResult result = run.await();
 * }</pre>
 */
public final class Engine {
  private static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ConnectorRegistry connectors;
  private final Path stateDirectory;

  /**
   * @param stateDirectory where runs keep dirty-data files and scratch space
   */
  public Engine(ConnectorRegistry connectors, Path stateDirectory) {
    this.connectors = Objects.requireNonNull(connectors, "connectors is null");
    this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory is null");
  }

  public ConnectorRegistry connectors() {
    return connectors;
  }

  /**
   * Validation phase one: connectors exist and every option parses.
   *
   * @throws JobSpecException naming every problem
   */
  public PreparedJob prepare(JobSpec spec) {
    return PreparedJob.prepare(spec, connectors, stateDirectory, newRunKey(spec.name()));
  }

  /**
   * Both validation phases and the binding of transforms and mapping; moves no data.
   *
   * @param live whether to connect to the stores (phase two)
   * @throws JobSpecException naming every problem
   */
  public void validate(JobSpec spec, boolean live) {
    try (PreparedJob job = prepare(spec)) {
      if (live) {
        job.validate();
      }
    }
  }

  /**
   * Validates the job and starts it on its own threads; returns once it runs.
   *
   * @throws JobSpecException when the job is invalid; nothing was started
   */
  public JobRun start(JobSpec spec) {
    PreparedJob job = prepare(spec);
    RowPipeline pipeline;
    try {
      job.check();
      pipeline = job.bind();
    } catch (RuntimeException e) {
      job.close();
      throw e;
    }
    JobRun run = new JobRun(job, pipeline);
    run.start();
    return run;
  }

  /** A unique, sortable run key: {@code <job>-<yyyyMMdd-HHmmss>-<6 hex>}. */
  static String newRunKey(String jobName) {
    String safe = jobName.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (safe.length() > 40) {
      safe = safe.substring(0, 40);
    }
    byte[] random = new byte[3];
    RANDOM.nextBytes(random);
    return safe
        + "-"
        + LocalDateTime.now().format(KEY_TIME)
        + "-"
        + HexFormat.of().formatHex(random);
  }
}
