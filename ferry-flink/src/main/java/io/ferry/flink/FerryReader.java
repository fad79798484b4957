package io.ferry.flink;

import io.ferry.engine.RowCounts;
import io.ferry.engine.TaskWork;
import io.ferry.spi.Position;
import io.ferry.spi.Split;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.io.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the splits assigned to one Flink task, one at a time: a fetch thread reads batches with the
 * connector's reader through the job's pipeline ({@link TaskWork.Reader}) into a small queue, and
 * the task's thread emits them, moving the split's position (its checkpointed state) batch by
 * batch. A split an earlier attempt may have written in part is first cleaned in the target past
 * its position ({@link TaskWork#discard}), as a resumed local run does.
 */
final class FerryReader implements SourceReader<Chunk, FerrySplit> {
  private static final Logger log = LoggerFactory.getLogger(FerryReader.class);

  /** Batches read ahead of the task thread: bounds memory like the local engine's channel. */
  private static final int READ_AHEAD = 4;

  private final ShippedJob job;
  private final SourceReaderContext context;
  private final Deque<FerrySplit> assigned = new ArrayDeque<>();
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(READ_AHEAD);
  private final Object lock = new Object();
  private CompletableFuture<Void> available = new CompletableFuture<>();
  private TaskWork work;
  private TaskCounts counts;
  private FerrySplit current;
  private boolean noMoreSplits;
  private Thread fetcher;
  private volatile boolean closing;

  private record End(RowCounts rest) {}

  private record Failed(Throwable error) {}

  FerryReader(ShippedJob job, SourceReaderContext context) {
    this.job = job;
    this.context = context;
  }

  @Override
  public void start() {
    work = TaskWork.open(job.spec(), job.runKey, job.registry(), job.stateDirectory());
    context.sendSplitRequest();
  }

  private TaskCounts counts() {
    if (counts == null) {
      counts = TaskCounts.of(job.runKey, context.getIndexOfSubtask());
    }
    return counts;
  }

  @Override
  public InputStatus pollNext(ReaderOutput<Chunk> output) {
    if (current == null) {
      FerrySplit next = assigned.poll();
      if (next == null) {
        return noMoreSplits ? InputStatus.END_OF_INPUT : InputStatus.NOTHING_AVAILABLE;
      }
      begin(next);
    }
    Object item = queue.poll();
    if (item == null) {
      return InputStatus.NOTHING_AVAILABLE;
    }
    if (item instanceof Failed failed) {
      throw Failures.toFlink(failed.error());
    }
    if (item instanceof TaskWork.Piece piece) {
      counts().add(piece.counts());
      Position position = piece.batch().position();
      if (position != null && !work.wholeSplits()) {
        current = current.at(position);
      }
      output.collect(new Chunk(current.ordinal(), piece.batch(), piece.bytes(), false));
      return InputStatus.MORE_AVAILABLE;
    }
    End end = (End) item;
    counts().add(end.rest());
    output.collect(new Chunk(current.ordinal(), null, 0, true));
    current = null;
    join();
    if (assigned.isEmpty() && !noMoreSplits) {
      context.sendSplitRequest();
    }
    return InputStatus.MORE_AVAILABLE;
  }

  private void begin(FerrySplit split) {
    // From now on an attempt may have written rows of the split.
    current = split.restarted();
    boolean again = split.started();
    fetcher =
        new Thread(
            () -> fetch(split, again),
            "ferry-" + job.runKey + "-fetch-" + context.getIndexOfSubtask());
    fetcher.setDaemon(true);
    fetcher.start();
  }

  private void fetch(FerrySplit planned, boolean again) {
    try {
      Split split = work.split(job.splitCodecVersion, planned.encoded());
      Position after = work.wholeSplits() ? null : planned.position();
      if (again) {
        work.discard(split, planned.ordinal(), after);
      }
      try (TaskWork.Reader reader = work.reader(split, after, () -> closing)) {
        TaskWork.Piece piece;
        while (!closing && (piece = reader.next()) != null) {
          put(piece);
        }
        if (!closing) {
          put(new End(reader.delta()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      if (!closing) {
        try {
          put(new Failed(t));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private void put(Object item) throws InterruptedException {
    queue.put(item);
    synchronized (lock) {
      available.complete(null);
    }
  }

  private void join() {
    Thread t = fetcher;
    fetcher = null;
    if (t != null) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public List<FerrySplit> snapshotState(long checkpointId) {
    List<FerrySplit> state = new ArrayList<>();
    if (current != null) {
      state.add(current);
    }
    state.addAll(assigned);
    return state;
  }

  @Override
  public CompletableFuture<Void> isAvailable() {
    synchronized (lock) {
      if (!queue.isEmpty() || (current == null && (!assigned.isEmpty() || noMoreSplits))) {
        return CompletableFuture.completedFuture(null);
      }
      if (available.isDone()) {
        available = new CompletableFuture<>();
      }
      return available;
    }
  }

  @Override
  public void addSplits(List<FerrySplit> splits) {
    synchronized (lock) {
      assigned.addAll(splits);
      available.complete(null);
    }
  }

  @Override
  public void notifyNoMoreSplits() {
    synchronized (lock) {
      noMoreSplits = true;
      available.complete(null);
    }
  }

  @Override
  public void close() throws Exception {
    closing = true;
    Thread t = fetcher;
    if (t != null) {
      t.interrupt();
      queue.clear();
      t.join(30_000);
      if (t.isAlive()) {
        log.warn("Run {}: a split's reader did not stop within 30 s", job.runKey);
      }
    }
    if (work != null) {
      work.close();
    }
  }
}
