package io.ferry.engine;

import io.ferry.engine.internal.BatchChannel;
import io.ferry.engine.internal.BatchSizer;
import io.ferry.spi.RowBatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reader → writer hand-off: batches of 1024 rows through a {@link BatchChannel} between two
 * threads, sized as the engine sizes them. Score: rows per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChannelHandOffBenchmark {
  private static final int BATCHES = 1_000;
  private static final int ROWS = 1024;

  private RowBatch batch;

  @Setup
  public void setUp() {
    batch = new RowBatch(8, ROWS);
    for (int r = 0; r < ROWS; r++) {
      batch.addRow(
          (long) r, r, "SKU-" + r, r % 7, null, "NEW", null, "a note of some eighty characters");
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCHES * ROWS)
  public long handOff() throws Exception {
    BatchChannel<RowBatch> channel = new BatchChannel<>(8L << 20);
    long bytes = BatchSizer.estimate(batch);
    Thread producer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < BATCHES; i++) {
                  channel.put(batch, bytes);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                channel.close();
              }
            });
    producer.start();
    long rows = 0;
    RowBatch b;
    while ((b = channel.take()) != null) {
      rows += b.size();
    }
    producer.join();
    return rows;
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long sizeBatch() {
    return BatchSizer.estimate(batch);
  }
}
