package io.ferry.engine;

import io.ferry.connector.support.ChangeEventJson;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.MiningLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Encodes the events a mining run appends into their mining-log documents ({@link ChangeEventJson})
 * — on the run's own thread, or, with {@code writeThreads} above 1, on that many threads while the
 * run reads on ("multithreaded incremental write", docs/shared-mining.md). Either way {@link
 * #drain()} hands them back in the order they were added, so the log stays in the source's order
 * and each append stays one transaction of events and position.
 *
 * <p>Used by one thread (the mining run's); the encoding threads only run the chunks it submits.
 */
final class MiningEncoder implements AutoCloseable {
  /** Events per encoding task: large enough to amortize the hand-off, small enough to spread. */
  static final int CHUNK = 256;

  private final ExecutorService pool;
  private final List<Future<List<MiningLog.Encoded>>> submitted = new ArrayList<>();
  private List<ChangeEvent> chunk = new ArrayList<>();
  private final List<MiningLog.Encoded> encoded = new ArrayList<>();
  private int size;

  /**
   * @param name the mining run's name, for the threads' names
   * @param threads 1 to encode on the caller's thread; more for a pool of that many
   */
  MiningEncoder(String name, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("writeThreads must be at least 1, got " + threads);
    }
    if (threads == 1) {
      pool = null;
    } else {
      AtomicInteger n = new AtomicInteger();
      pool =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "ferry-mining-" + name + "-encode-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
    }
  }

  /** Adds an event after those added before. */
  void add(ChangeEvent event) {
    size++;
    if (pool == null) {
      encoded.add(ChangeEventJson.encoded(event));
      return;
    }
    chunk.add(event);
    if (chunk.size() >= CHUNK) {
      submit();
    }
  }

  /** Events added and not drained. */
  int size() {
    return size;
  }

  /**
   * The events added since the last drain, encoded, in the order added; waits for their encoding.
   *
   * @throws FerryException when an event could not be encoded
   */
  List<MiningLog.Encoded> drain() {
    if (pool != null) {
      submit();
      try {
        for (Future<List<MiningLog.Encoded>> f : submitted) {
          encoded.addAll(f.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FerryException(ErrorCode.INTERNAL, "interrupted while encoding events", e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r
            ? r
            : new FerryException(ErrorCode.INTERNAL, "encoding events: " + e.getCause(), e);
      } finally {
        submitted.clear();
      }
    }
    List<MiningLog.Encoded> out = List.copyOf(encoded);
    encoded.clear();
    size = 0;
    return out;
  }

  /** Drops what was added and not drained (the run starts over from the mining log's state). */
  void discard() {
    submitted.forEach(f -> f.cancel(false));
    submitted.clear();
    chunk = new ArrayList<>();
    encoded.clear();
    size = 0;
  }

  private void submit() {
    if (chunk.isEmpty()) {
      return;
    }
    List<ChangeEvent> events = chunk;
    chunk = new ArrayList<>();
    submitted.add(pool.submit(() -> ChangeEventJson.encoded(events)));
  }

  @Override
  public void close() {
    discard();
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
