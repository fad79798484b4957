package io.ferry.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole job, datagen (default 8 columns) → blackhole, through the engine: planning, reader and
 * writer threads, channel, statistics. Score: rows per second for the whole run on the given number
 * of channels; divide by the cores busy to compare with the per-core bar.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx256m"})
public class EngineThroughputBenchmark {
  private static final long ROWS = 2_000_000;

  @Param({"1"})
  public int channels;

  private Engine engine;
  private JobSpec spec;

  @Setup
  public void setUp() throws Exception {
    Path state = Files.createTempDirectory("ferry-bench");
    engine = new Engine(ConnectorRegistry.fromClassPath(getClass().getClassLoader()), state);
    spec =
        JobSpecLoader.parse(
            """
            source: {connector: datagen, rows: %d}
            sink: {connector: blackhole}
            settings: {channels: %d}
            """
                .formatted(ROWS, channels),
            false,
            null,
            "bench",
            Map.of());
  }

  @Benchmark
  @OperationsPerInvocation((int) ROWS)
  public long datagenToBlackhole() throws Exception {
    RunResult result = engine.start(spec).await();
    if (!result.allRowsArrived()) {
      throw new IllegalStateException("run did not succeed: " + result);
    }
    return result.progress().recordsWritten();
  }
}
