package io.ferry.engine;

import io.ferry.engine.internal.BatchChannel;
import io.ferry.engine.internal.BatchSizer;
import io.ferry.engine.internal.RetryingReader;
import io.ferry.engine.internal.RowPipeline;
import io.ferry.engine.internal.Tally;
import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a job. Splits are taken from a shared queue by N channels; each channel is a reader
 * thread (read a split, run the pipeline, respect the rate limits) and a writer thread (write,
 * flush at each split's end and every {@code flushInterval}), joined by a {@link BatchChannel}
 * bounded in bytes. A split's position is committed only after the writer's flush returned.
 *
 * <p>After every flush the run writes a {@link Checkpoint} (each split's last flushed position) to
 * its {@link CheckpointStore}; every state change is saved there before listeners hear of it.
 *
 * <ul>
 *   <li>{@link #pause()}: readers stop pulling, writers write and flush what was read, the last
 *       checkpoint is written, connections are released; the run is PAUSED and {@link
 *       Engine#resume} continues it, also in another process.
 *   <li>{@link #stop()}: the same, then the sink aborts; the run is STOPPED for good.
 *   <li>A reader's error a retry may fix (a lost connection) opens the split again after its last
 *       batch, up to {@link Settings#maxRetries()} times ({@link RetryingReader}). A writer's such
 *       error replaces the channel's writer, up to as many times per split (see Lane): the
 *       channel's reader stops, the sink discards what was written past the checkpoint of each
 *       split the channel had not finished (as a resume after kill -9 does), and those splits are
 *       read again from their committed positions. A sink that cannot resume ({@link
 *       SinkResume.None}) cannot discard, so its writer is not retried. Such an error that remains
 *       pauses the run with its checkpoint and the reason; any other error fails it.
 *   <li>A run whose {@link CheckpointStore.Claim} is no longer held (its lease lapsed; another
 *       process may have taken it over) stops writing at once: no write, flush, checkpoint, commit
 *       or abort after that, and its record is left to the new holder. It ends PAUSED here with
 *       {@link CheckpointStore#CLAIM_LOST}.
 * </ul>
 */
public final class JobRun {
  private static final Logger log = LoggerFactory.getLogger(JobRun.class);

  private final PreparedJob job;
  private final RowPipeline pipeline;
  private final CheckpointStore store;
  private final CheckpointStore.Claim claim;
  private final Checkpoint resumeFrom;

  /** The body of a {@code kind: cdc} run; null for other kinds. */
  private final CdcRun cdc;

  private volatile RunRecord record;
  private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private final AtomicReference<RunState> state;
  private final AtomicReference<FerryException> failure = new AtomicReference<>();
  private volatile boolean stopRequested;
  private volatile boolean pauseRequested;
  private volatile boolean halted;

  // Counting: each split's counts behind its committed position (SplitTask.counts), the counts
  // no split owns, and the tallies of this attempt's readers and writers for live progress.
  private final RowCounts carriedOver;
  private final Duration carriedActive;
  private final RowCounts unowned;
  private final RowCounts restored;
  private final List<Tally> tallies = new CopyOnWriteArrayList<>();
  private final AtomicInteger splitsDone = new AtomicInteger();
  private final List<BatchChannel<Envelope>> channels = new CopyOnWriteArrayList<>();

  /**
   * The counts of channel attempts a writer's failure ended, less what those attempts committed:
   * rows read or written again after the retry, which the live counts must not count twice.
   */
  private RowCounts superseded = RowCounts.ZERO;

  private volatile List<SplitTask> tasks = List.of();
  private volatile boolean checkpointed;
  private volatile long estimatedRecords = -1;
  private volatile long startNanos;
  private volatile long endNanos;

  /** Speeds are measured over the last {@link #RATE_WINDOW} of samples at least this far apart. */
  private static final long SAMPLE_SPACING = TimeUnit.MILLISECONDS.toNanos(200);

  private static final long RATE_WINDOW = TimeUnit.SECONDS.toNanos(5);

  /** {nanoTime, rows written, bytes written} of this attempt, oldest first. */
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();

  /**
   * @param record the run as stored: CREATED for a new run, PAUSED for a resumed one
   * @param claim this process's hold on the run, released when the run ends or pauses
   * @param resumeFrom the checkpoint to continue from, or null to plan afresh
   */
  JobRun(
      PreparedJob job,
      RowPipeline pipeline,
      CheckpointStore store,
      RunRecord record,
      CheckpointStore.Claim claim,
      Checkpoint resumeFrom) {
    this.job = job;
    this.pipeline = pipeline;
    this.store = store;
    this.record = record;
    this.claim = claim;
    job.fence().hold(claim);
    this.resumeFrom = resumeFrom;
    this.state = new AtomicReference<>(record.state());
    this.cdc = job.changeSource() == null ? null : new CdcRun(this, job, store, resumeFrom);
    if (resumeFrom == null) {
      carriedOver = RowCounts.ZERO;
      carriedActive = Duration.ZERO;
      unowned = RowCounts.ZERO;
      restored = RowCounts.ZERO;
    } else {
      carriedOver = resumeFrom.counts();
      carriedActive = resumeFrom.activeTime();
      RowCounts inSplits = RowCounts.ZERO;
      RowCounts kept = RowCounts.ZERO;
      for (Checkpoint.SplitCheckpoint saved : resumeFrom.splits()) {
        inSplits = inSplits.plus(saved.counts());
        if (keepsCounts(saved)) {
          kept = kept.plus(saved.counts());
        }
      }
      unowned = carriedOver.minus(inSplits);
      restored = unowned.plus(kept);
    }
  }

  /**
   * Whether a split of the checkpoint keeps its position and counts: not when the sink keeps whole
   * splits only and the split was unfinished, since it is read again from its beginning.
   */
  private boolean keepsCounts(Checkpoint.SplitCheckpoint saved) {
    return saved.state() == SplitProgress.State.DONE
        || !(job.sink().resumeModel() instanceof SinkResume.WholeSplit);
  }

  /**
   * The counts this attempt continues from, as the checkpoint it resumed from has them ({@link
   * RowCounts#ZERO} for a run's first attempt): what earlier attempts reported already.
   */
  public RowCounts carriedOver() {
    return carriedOver;
  }

  /** The run's unique key. */
  public String runKey() {
    return job.runKey();
  }

  public String jobName() {
    return job.spec().name();
  }

  /**
   * The engine settings this attempt runs with, after the resume rule ({@link Settings#forResume}).
   */
  public Settings settings() {
    return job.settings();
  }

  public RunState state() {
    return state.get();
  }

  public void addListener(RunListener listener) {
    listeners.add(listener);
  }

  /** Asks the run to stop; returns at once. The run ends STOPPED unless it already ended. */
  public void stop() {
    stopRequested = true;
  }

  /**
   * Asks the run to pause; returns at once. The run ends PAUSED with its checkpoint, unless it
   * already ended; {@link Engine#resume} continues it.
   */
  public void pause() {
    if (job.sink().resumeModel().resumable()) {
      pauseRequested = true;
    } else {
      log.info("Run {}: the sink cannot continue a run later, so the run stops instead", runKey());
      stopRequested = true;
    }
  }

  /** Whether {@link #pause()} pauses (rather than stops): the sink can continue a run later. */
  public boolean pausable() {
    return job.sink().resumeModel().resumable();
  }

  /** Whether a writer's failure (or a lost claim) halted the run: nothing may be written. */
  boolean halted() {
    return halted;
  }

  /** Whether readers should stop pulling: the run ends, pauses, or a reader failed. */
  boolean interrupted() {
    return halted || stopRequested || pauseRequested || failure.get() != null;
  }

  /** Waits for the end of the run. */
  public RunResult await() throws InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the run's coordinator failed", e.getCause());
    }
  }

  /** Waits at most {@code timeout}; empty when the run is still going. */
  public java.util.Optional<RunResult> await(Duration timeout) throws InterruptedException {
    try {
      return java.util.Optional.of(result.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return java.util.Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the run's coordinator failed", e.getCause());
    }
  }

  /**
   * The cursor range an incremental run reads, e.g. {@code id in (28, 40]} (docs/incremental.md);
   * empty for other runs.
   */
  public java.util.Optional<String> incrementalRange() {
    return java.util.Optional.ofNullable(job.incrementalRange()).map(Object::toString);
  }

  /** The run's end as a future, for callers that compose. */
  public CompletableFuture<RunResult> completion() {
    return result;
  }

  void start() {
    Thread coordinator = new Thread(this::coordinate, "ferry-" + runKey());
    coordinator.start();
  }

  // ---- coordination ----------------------------------------------------------------------

  private void coordinate() {
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-" + runKey() + "-progress");
              t.setDaemon(true);
              return t;
            });
    try {
      synchronized (this) {
        startNanos = System.nanoTime();
        samples.add(new long[] {startNanos, restored.written(), restored.bytesWritten()});
      }
      moveTo(RunState.RUNNING, null, true);
      long interval = job.settings().progressInterval().toMillis();
      ticker.scheduleAtFixedRate(
          () -> publish(snapshot()), interval, interval, TimeUnit.MILLISECONDS);
      execute();
    } catch (Throwable t) {
      fail(t);
    } finally {
      ticker.shutdownNow();
      finish();
    }
  }

  private void execute() throws InterruptedException {
    if (cdc != null) {
      cdc.execute();
      return;
    }
    Source source = job.source();
    Sink sink = job.sink();
    int channelCount = job.settings().channels();
    List<SplitTask> planned = resumeFrom == null ? plan(source, channelCount) : restore(source);
    tasks = List.copyOf(planned);
    long estimate = 0;
    boolean known = !planned.isEmpty();
    for (SplitTask task : planned) {
      if (task.split.estimatedRows().isPresent()) {
        estimate += task.split.estimatedRows().getAsLong();
      } else {
        known = false;
      }
    }
    estimatedRecords = known ? estimate : source.estimatedRows().orElse(planned.isEmpty() ? 0 : -1);
    List<SplitTask> pending =
        planned.stream().filter(t -> t.state != SplitProgress.State.DONE).toList();
    log.info(
        "Run {}: {} splits ({} to read) on {} channels",
        runKey(),
        planned.size(),
        pending.size(),
        channelCount);
    checkpoint();

    if (resumeFrom == null) {
      sink.prepare(pipeline.output());
    } else {
      // Engine.resume admitted the run only with a resumable sink.
      SinkResume.Resumable model = (SinkResume.Resumable) sink.resumeModel();
      model.reopen(pipeline.output());
      discardPastCheckpoints(source, model, pending);
    }
    Deque<SplitTask> queue = new ConcurrentLinkedDeque<>(pending);
    RateLimit rateLimit =
        new RateLimit(job.settings().recordsPerSecond(), job.settings().bytesPerSecond());
    int active = Math.max(1, Math.min(channelCount, pending.size()));
    long capacity = channelCapacity(active);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < active; i++) {
      Lane lane = new Lane(i, queue, rateLimit, capacity, sink.createWriter(i));
      // The lane's thread writes and starts the lane's reader; a failure it does not retry halts
      // everything, since the sink is what broke.
      threads.add(thread("writer-" + i, lane::run, this::fail));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() == null && !stopRequested && !pauseRequested) {
      job.errorLimit().checkShare(liveCounts().read());
    }
  }

  /**
   * Rows an interrupted attempt wrote after a split's checkpoint would be written again: where the
   * source can name what is left of a split as a key range, the sink removes those rows first (an
   * upsert sink may ignore it). Without a range, the sink's own idempotence is all there is; the
   * connector's README says what that means for it.
   */
  private void discardPastCheckpoints(
      Source source, SinkResume.Resumable model, List<SplitTask> pending) {
    for (SplitTask task : pending) {
      Discards.discard(runKey(), source, pipeline, model, task.split, task.ordinal, task.committed);
    }
  }

  private List<SplitTask> plan(Source source, int channelCount) {
    Codec<Split> codec = source.splitCodec();
    List<SplitTask> planned = new ArrayList<>();
    for (Split split : source.planner().plan(channelCount)) {
      planned.add(new SplitTask(split, codec.encode(split), planned.size()));
    }
    return planned;
  }

  /**
   * The splits of the checkpoint, with their states and committed positions. For a sink that keeps
   * whole splits only, an unfinished split starts again from its beginning.
   */
  private List<SplitTask> restore(Source source) {
    Codec<Split> codec = source.splitCodec();
    List<SplitTask> restoredTasks = new ArrayList<>();
    for (Checkpoint.SplitCheckpoint saved : resumeFrom.splits()) {
      SplitTask task =
          new SplitTask(
              codec.decode(resumeFrom.splitCodecVersion(), saved.split()),
              saved.split(),
              restoredTasks.size());
      boolean done = saved.state() == SplitProgress.State.DONE;
      task.state = done ? SplitProgress.State.DONE : SplitProgress.State.PENDING;
      if (keepsCounts(saved)) {
        task.committed = saved.committed();
        task.counts = saved.counts();
      }
      if (done) {
        splitsDone.incrementAndGet();
      }
      restoredTasks.add(task);
    }
    job.errorLimit().carryOver(restored.dirty());
    return restoredTasks;
  }

  /**
   * Saves each split's last flushed position. Called after a writer's flush returned (and once
   * before the first read), so the checkpoint never gets ahead of the sink.
   */
  synchronized void checkpoint() {
    ensureHeld();
    List<Checkpoint.SplitCheckpoint> splits = new ArrayList<>(tasks.size());
    if (cdc != null) {
      splits.addAll(cdc.checkpointEntries());
    }
    for (SplitTask t : tasks) {
      SplitProgress.State saved =
          t.state == SplitProgress.State.DONE ? t.state : SplitProgress.State.PENDING;
      splits.add(
          new Checkpoint.SplitCheckpoint(t.split.id(), t.encoded, saved, t.committed, t.counts));
    }
    store.save(
        new Checkpoint(
            Checkpoint.VERSION,
            runKey(),
            cdc != null ? 0 : job.source().splitCodec().version(),
            splits,
            committedCounts(),
            activeTime(),
            Instant.now()));
    checkpointed = true;
  }

  /** The counts behind the committed positions, with those no split owns. */
  private synchronized RowCounts committedCounts() {
    RowCounts sum = unowned.plus(job.dirtyRows().unattributed.counts());
    if (cdc != null) {
      sum = sum.plus(cdc.committedCounts());
    }
    for (SplitTask t : tasks) {
      sum = sum.plus(t.counts);
    }
    return sum;
  }

  /** The counts now: the committed ones and what this attempt's readers and writers did since. */
  private RowCounts liveCounts() {
    RowCounts sum = restored.plus(job.dirtyRows().unattributed.counts());
    if (cdc != null) {
      sum = sum.plus(cdc.liveCounts());
    }
    for (Tally t : tallies) {
      sum = sum.plus(t.counts());
    }
    synchronized (this) {
      return sum.minus(superseded);
    }
  }

  /** Running time over all attempts. */
  private Duration activeTime() {
    long start = startNanos;
    if (start == 0) {
      return carriedActive;
    }
    long end = endNanos;
    return carriedActive.plusNanos((end != 0 ? end : System.nanoTime()) - start);
  }

  /**
   * Heap bytes per byte of row data the batch sizer counts, for rows of small values as Java
   * objects (boxes, strings, dates and the batch's slots): measured about 4 on an 8-column table
   * (ferry_bench.orders: 130 data bytes, ~500 heap bytes a row).
   */
  private static final int HEAP_PER_DATA_BYTE = 4;

  /**
   * The configured capacity, lowered when all channels together would take more than a quarter of
   * the heap: rows in flight must never be what runs a job out of memory.
   */
  private long channelCapacity(int channelCount) {
    long configured = job.settings().channelCapacity();
    long budget =
        Math.max(
            64L << 10, Runtime.getRuntime().maxMemory() / 4 / channelCount / HEAP_PER_DATA_BYTE);
    if (configured > budget) {
      log.info(
          "Run {}: channel capacity lowered from {} to {} bytes to fit {} channels in the heap",
          runKey(),
          configured,
          budget,
          channelCount);
      return budget;
    }
    return configured;
  }

  private Thread thread(
      String name, Runnable body, java.util.function.Consumer<Throwable> onFailure) {
    return new Thread(
        () -> {
          try {
            body.run();
          } catch (Throwable t) {
            onFailure.accept(t);
          }
        },
        "ferry-" + runKey() + "-" + name);
  }

  private void read(Attempt attempt, Deque<SplitTask> queue, RateLimit rateLimit) {
    BatchChannel<Envelope> channel = attempt.channel;
    Tally tally = attempt.readerTally;
    job.dirtyRows().countOn(tally);
    RowPipeline.Counters counters =
        new RowPipeline.Counters(tally.filtered, job.dirtyRows().onConvert());
    // The tally's counts already handed to the writer, each with the batch they belong to.
    RowCounts handedOn = RowCounts.ZERO;
    SplitTask task = null;
    try {
      while (!attempt.stopped() && (task = queue.poll()) != null) {
        attempt.taken.add(task);
        task.state = SplitProgress.State.RUNNING;
        String location = "split " + task.split.id();
        try (RetryingReader reader =
            new RetryingReader(
                job.source(),
                task.split,
                task.committed,
                job.settings(),
                runKey(),
                attempt::stopped)) {
          RowBatch batch;
          while (!attempt.stopped() && (batch = reader.next()) != null) {
            int rows = batch.size();
            long bytesRead = BatchSizer.estimate(batch);
            rateLimit.acquire(rows, bytesRead);
            tally.read.add(rows);
            tally.bytesRead.add(bytesRead);
            RowBatch out = pipeline.apply(batch, location, counters);
            long bytes = out == batch && out.size() == rows ? bytesRead : BatchSizer.estimate(out);
            RowCounts now = tally.counts();
            if (!channel.put(new Envelope(task, out, bytes, false, now.minus(handedOn)), bytes)) {
              return;
            }
            handedOn = now;
          }
        }
        RowCounts now = tally.counts();
        if (attempt.stopped()
            || !channel.put(new Envelope(task, null, 0, true, now.minus(handedOn)), 0)) {
          return;
        }
        handedOn = now;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Rows counted but not handed on (dirty rows of a batch a failure cut short) go with the
      // split they came from, unless the run halted.
      RowCounts left = tally.counts().minus(handedOn);
      if (task != null && !left.equals(RowCounts.ZERO)) {
        try {
          channel.put(new Envelope(task, null, 0, false, left), 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      job.dirtyRows().countOn(null);
      channel.close();
    }
  }

  /**
   * Writes what the attempt's reader hands on, flushing at each split's end and every {@code
   * flushInterval}, and closes the writer at the end; a failure passes to the caller with the
   * writer still open.
   */
  private void write(Attempt attempt, SinkWriter writer) {
    BatchChannel<Envelope> channel = attempt.channel;
    long flushIntervalNanos = job.settings().flushInterval().toNanos();
    long lastFlush = System.nanoTime();
    Tally tally = attempt.writerTally;
    job.dirtyRows().countOn(tally);
    Unflushed unflushed = attempt.unflushed;
    SplitTask current = null;
    try {
      Envelope e;
      while ((e = channel.take()) != null) {
        if (e.task != current && (e.batch != null || e.endOfSplit)) {
          current = e.task;
          attempt.writing = current;
          writer.beginSplit(current.ordinal);
        }
        unflushed.add(e);
        if (e.batch != null && !e.batch.isEmpty()) {
          ensureHeld();
          writer.write(e.batch);
          tally.handed.add(e.batch.size());
          tally.bytesHanded.add(e.bytes);
        }
        if (e.endOfSplit || System.nanoTime() - lastFlush >= flushIntervalNanos) {
          ensureHeld();
          writer.flush();
          if (e.endOfSplit) {
            writer.endSplit(e.task.ordinal);
          }
          commit(unflushed, e.endOfSplit ? e.task : null);
          if (e.endOfSplit) {
            attempt.splitEnded();
          }
          lastFlush = System.nanoTime();
        }
      }
      if (!halted) {
        ensureHeld();
        writer.flush();
        commit(unflushed, null);
      }
      writer.close();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      closeQuietly(writer);
    } finally {
      job.dirtyRows().countOn(null);
    }
  }

  private void closeQuietly(SinkWriter writer) {
    try {
      writer.close();
    } catch (RuntimeException e) {
      log.debug("Run {}: closing a failed writer failed", runKey(), e);
    }
  }

  /**
   * One channel: a reader thread and a writer (on the lane's own thread) joined by a {@link
   * BatchChannel}, and the retry of its writer. When the writer fails for a reason a retry may fix,
   * the lane ends that attempt (its reader stops, the channel drops what it holds, the writer is
   * closed), lets the sink discard what was written past the checkpoint of each split the attempt
   * took and did not finish, puts those splits back at the head of the queue to be read again from
   * their committed positions, and starts a new attempt with a new writer. That is a resume after
   * kill -9 in miniature, with the same guarantee: no row lost or written twice, as far as the
   * sink's resume model guarantees it. A split's writing is retried at most {@link
   * Settings#maxRetries()} times, waiting {@link Settings#retryBackoff()} and twice as long for
   * each further retry.
   */
  private final class Lane {
    private final int index;
    private final Deque<SplitTask> queue;
    private final RateLimit rateLimit;
    private final long capacity;
    private SinkWriter writer;

    /**
     * Retries of failures while no split was being written, since this lane last finished a split
     * (a split's own retries are counted on its {@link SplitTask}).
     */
    private int retries;

    Lane(int index, Deque<SplitTask> queue, RateLimit rateLimit, long capacity, SinkWriter writer) {
      this.index = index;
      this.queue = queue;
      this.rateLimit = rateLimit;
      this.capacity = capacity;
      this.writer = writer;
    }

    void run() {
      while (true) {
        Attempt attempt = new Attempt(this, new BatchChannel<>(capacity));
        channels.add(attempt.channel);
        Thread reader =
            thread(
                "reader-" + index,
                () -> read(attempt, queue, rateLimit),
                t -> {
                  // An attempt given up is read again from its checkpoint: its reader's end
                  // is no failure of the run.
                  if (!attempt.cancelled) {
                    failReading(t);
                  }
                });
        reader.start();
        try {
          write(attempt, writer);
          join(reader);
          return;
        } catch (Throwable t) {
          FerryException retriable = retriable(t);
          if (retriable == null) {
            fail(explained(t));
            join(reader);
            closeQuietly(writer);
            return;
          }
          attempt.cancelled = true;
          attempt.channel.abort();
          join(reader);
          closeQuietly(writer);
          writer = null;
          if (!recover(attempt, retriable)) {
            return;
          }
        }
      }
    }

    /**
     * The failure as an error a new writer may not meet, or null when the run must end with it: not
     * retriable, no retries allowed, the run ending anyway, or a sink that cannot discard.
     */
    private FerryException retriable(Throwable t) {
      if (!(t instanceof FerryException f)
          || !f.retriable()
          || f.code().equals(CheckpointStore.CLAIM_LOST)
          || job.settings().maxRetries() == 0
          || interrupted()
          || !job.sink().resumeModel().resumable()) {
        return null;
      }
      return f;
    }

    /**
     * The failure, saying why it was not retried when a retry was asked for and could have fixed it
     * but the sink cannot resume; the run fails with it (see finish).
     */
    private Throwable explained(Throwable t) {
      if (t instanceof FerryException f
          && f.retriable()
          && job.settings().maxRetries() > 0
          && !job.sink().resumeModel().resumable()) {
        return new FerryException(
            f.code(),
            f.getMessage()
                + " (not retried: the sink cannot discard what it wrote past the last checkpoint,"
                + " so writing the split again could duplicate rows)",
            f.option(),
            f);
      }
      return t;
    }

    /**
     * Prepares the next attempt after {@code error}: waits, has the sink discard what the attempt
     * wrote past the checkpoint, requeues its unfinished splits and creates a new writer. A failure
     * of those steps a retry may fix counts as one more retry of the same split.
     *
     * @return false when the run ends instead (retries used up, the run ending, another error); the
     *     failure is recorded then
     */
    private boolean recover(Attempt attempt, FerryException error) {
      FerryException last = error;
      SplitTask atFault = attempt.writing;
      while (true) {
        // The split being written carries its retries to whichever lane writes it next.
        int count = atFault != null ? atFault.writeRetries.incrementAndGet() : ++retries;
        int max = job.settings().maxRetries();
        if (count > max) {
          fail(last);
          return false;
        }
        log.warn(
            "Run {}: writing {} failed ({}); reading it again from its checkpoint with a new"
                + " writer, retry {} of {}",
            runKey(),
            atFault == null ? "on channel " + index : "split " + atFault.split.id(),
            last.getMessage(),
            count,
            max);
        try {
          backOff(count);
          if (interrupted()) {
            fail(last);
            return false;
          }
          requeue(attempt);
          writer = job.sink().createWriter(index);
          return true;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fail(last);
          return false;
        } catch (RuntimeException e) {
          FerryException again = retriable(e);
          if (again == null) {
            fail(explained(e));
            return false;
          }
          last = again;
        }
      }
    }

    /** Waits before retry {@code retry}: backoff, 2 × backoff, 4 × backoff... */
    private void backOff(int retry) throws InterruptedException {
      long nanos = job.settings().retryBackoff().toNanos();
      if (nanos <= 0) {
        return;
      }
      long wait = nanos << Math.min(retry - 1, 12);
      long end = System.nanoTime() + wait;
      long left;
      // In steps, so that a pause or stop does not wait for the whole backoff.
      while (!interrupted() && (left = end - System.nanoTime()) > 0) {
        Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
      }
    }

    /**
     * The sink discards what the attempt wrote past the checkpoint of each split it took and did
     * not finish, then those splits go back to the head of the queue, to be read again from their
     * committed positions (from their start for a sink that keeps whole splits). Done at most once
     * per attempt; a discard that fails is done again with the next retry.
     */
    private void requeue(Attempt attempt) {
      if (attempt.requeued) {
        return;
      }
      List<SplitTask> unfinished =
          attempt.taken.stream().filter(t -> t.state != SplitProgress.State.DONE).toList();
      SinkResume.Resumable model = (SinkResume.Resumable) job.sink().resumeModel();
      discardPastCheckpoints(job.source(), model, unfinished);
      synchronized (JobRun.this) {
        RowCounts lost =
            attempt
                .readerTally
                .counts()
                .plus(attempt.writerTally.counts())
                .minus(attempt.unflushed.committed);
        for (SplitTask task : unfinished) {
          if (model instanceof SinkResume.WholeSplit) {
            lost = lost.plus(task.counts);
            task.counts = RowCounts.ZERO;
            task.committed = null;
          }
          task.state = SplitProgress.State.PENDING;
        }
        superseded = superseded.plus(lost);
        for (int i = unfinished.size() - 1; i >= 0; i--) {
          queue.addFirst(unfinished.get(i));
        }
        attempt.requeued = true;
        checkpoint();
      }
    }
  }

  private static void join(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** One reader and one writer of a lane, from the lane's start or its last retry. */
  private final class Attempt {
    final BatchChannel<Envelope> channel;
    final Tally readerTally = new Tally();
    final Tally writerTally = new Tally();
    final Unflushed unflushed = new Unflushed(writerTally);
    private final Lane lane;

    /** The splits the reader took, in order. */
    final List<SplitTask> taken = new CopyOnWriteArrayList<>();

    /** The split the writer writes (or wrote last); the writer's thread only. */
    SplitTask writing;

    /** The attempt was given up after its writer failed: the reader stops. */
    volatile boolean cancelled;

    boolean requeued;

    Attempt(Lane lane, BatchChannel<Envelope> channel) {
      this.lane = lane;
      this.channel = channel;
      tallies.add(readerTally);
      tallies.add(writerTally);
    }

    /** Whether the reader should stop pulling: the run is ending or this attempt was given up. */
    boolean stopped() {
      return cancelled || interrupted();
    }

    /** The writer finished a split: the next split has its own retries. */
    void splitEnded() {
      lane.retries = 0;
    }
  }

  /**
   * What one writer handed to its sink since its last flush, by split: the counts the readers sent
   * with the rows, how many rows and bytes it wrote, and the last position.
   */
  private static final class Unflushed {
    private final Tally tally;
    private final Map<SplitTask, Part> parts = new LinkedHashMap<>();
    private long rejectedBefore;

    /** Everything {@link #flushed} moved onto splits so far. */
    private RowCounts committed = RowCounts.ZERO;

    Unflushed(Tally tally) {
      this.tally = tally;
    }

    private static final class Part {
      RowCounts counts = RowCounts.ZERO;
      long rows;
      long bytes;
      Position position;
    }

    void add(Envelope e) {
      Part part = parts.computeIfAbsent(e.task, t -> new Part());
      part.counts = part.counts.plus(e.counts);
      if (e.batch != null) {
        part.rows += e.batch.size();
        part.bytes += e.bytes;
        if (e.batch.position() != null) {
          part.position = e.batch.position();
        }
      }
    }

    /**
     * Moves the flushed parts onto their splits. The rows the sink rejected since the last flush
     * are those of the split it writes now (the last part): a writer flushes at each split's end.
     */
    void flushed() {
      long rejectedNow = tally.dirtyOnWrite.sum();
      long rejected = rejectedNow - rejectedBefore;
      rejectedBefore = rejectedNow;
      int left = parts.size();
      for (Map.Entry<SplitTask, Part> entry : parts.entrySet()) {
        SplitTask task = entry.getKey();
        Part part = entry.getValue();
        long dirty = --left == 0 ? rejected : 0;
        RowCounts moved =
            part.counts.plus(new RowCounts(0, part.rows - dirty, 0, part.bytes, 0, 0, 0, dirty));
        task.counts = task.counts.plus(moved);
        committed = committed.plus(moved);
        if (part.position != null) {
          task.committed = part.position;
        }
      }
      parts.clear();
    }
  }

  /**
   * Records the positions and counts of rows the sink has just flushed, the split that ended with
   * them (or null), and checkpoints them: one step, so a checkpoint never has one without the
   * other.
   */
  private synchronized void commit(Unflushed unflushed, SplitTask ended) {
    unflushed.flushed();
    if (ended != null) {
      ended.state = SplitProgress.State.DONE;
      splitsDone.incrementAndGet();
    }
    checkpoint();
  }

  /** Throws {@link CheckpointStore#CLAIM_LOST} when this process no longer holds the run. */
  void ensureHeld() {
    if (!claim.held()) {
      throw claimLost();
    }
  }

  private FerryException claimLost() {
    return new FerryException(
        CheckpointStore.CLAIM_LOST,
        "run "
            + runKey()
            + " stopped writing: this process no longer holds it (its lease ran out; another"
            + " process may continue it from the checkpoint)");
  }

  /** Records the failure and halts the run at once: channels drop what they hold. */
  private void fail(Throwable t) {
    record(t);
    halted = true;
    channels.forEach(BatchChannel::abort);
  }

  /** Records a reader's failure: other readers stop, writers still flush what was read. */
  private void failReading(Throwable t) {
    record(t);
  }

  private void record(Throwable t) {
    FerryException error =
        t instanceof FerryException f
            ? f
            : new FerryException(
                ErrorCode.INTERNAL,
                "internal error: " + t.getClass().getName() + ": " + t.getMessage(),
                t);
    if (failure.compareAndSet(null, error)) {
      // The result carries the failure to the caller; the log keeps the stack of internal ones.
      if (t instanceof FerryException) {
        log.info("Run {} failed: {}", runKey(), error.getMessage());
      } else {
        log.error("Run {} failed", runKey(), t);
      }
    }
  }

  private void finish() {
    endNanos = System.nanoTime();
    Sink sink = job.sink();
    // A pause that came after the last split was written has nothing left to pause.
    boolean finished =
        !tasks.isEmpty() && tasks.stream().allMatch(t -> t.state == SplitProgress.State.DONE);
    if (pauseRequested && finished) {
      pauseRequested = false;
    }
    if (failure.get() == null && !stopRequested && !pauseRequested) {
      try {
        ensureHeld();
        sink.commit();
        if (job.incrementalRange() != null) {
          // Only a run whose rows all reached the target moves the cursor on.
          ensureHeld();
          Incremental.commit(job, job.incrementalRange(), store, record.createdAt());
        }
      } catch (Throwable t) {
        fail(t);
      }
    }
    // Once lost, a claim stays lost: whatever is done with the run now (continue, commit, abort,
    // record its end) is for whoever holds it next.
    FerryException first = failure.get();
    boolean lost =
        !claim.held() || (first != null && first.code().equals(CheckpointStore.CLAIM_LOST));
    FerryException error = lost ? claimLost() : first;
    RunState end;
    if (lost) {
      end = RunState.PAUSED;
    } else if (error != null) {
      // A fault a retry may fix pauses the run: its checkpoint is intact, resume continues.
      end =
          error.retriable() && job.sink().resumeModel().resumable()
              ? RunState.PAUSED
              : RunState.FAILED;
    } else if (stopRequested) {
      end = RunState.STOPPED;
    } else if (pauseRequested) {
      end = RunState.PAUSED;
    } else {
      end = RunState.SUCCEEDED;
    }
    if (!lost && (end == RunState.FAILED || end == RunState.STOPPED)) {
      try {
        sink.abort();
      } catch (RuntimeException e) {
        log.warn("Run {}: the sink's abort failed: {}", runKey(), e.toString());
      }
    }
    RunResult.Verification verification =
        end == RunState.SUCCEEDED && cdc == null && pipeline != null ? verify() : null;
    try {
      job.close();
    } catch (RuntimeException e) {
      log.warn("Run {}: closing the source or sink failed: {}", runKey(), e.toString());
    }
    deleteWorkDirectory();
    if (checkpointed) {
      // Once more with the attempt's whole active time and what the sink's commit reported.
      try {
        checkpoint();
      } catch (RuntimeException e) {
        log.warn("Run {}: the last checkpoint failed: {}", runKey(), e.toString());
      }
    }
    try {
      moveTo(end, error == null ? null : error.getMessage(), !lost);
    } finally {
      claim.close();
      Progress last = snapshot();
      publish(last);
      result.complete(
          new RunResult(
              end,
              last,
              error,
              job.dirtyData().isEmpty() ? null : job.dirtyData().file(),
              verification));
    }
  }

  /**
   * The verification the job's {@code verify} setting asks for, once the copy committed: with the
   * run's own source and sink, still open, so nothing is prepared or checked again. The copy's
   * figures end before it ({@link #endNanos}).
   */
  private RunResult.Verification verify() {
    try {
      // In the run's work directory: a resumed run continues it; a run that ended removes it.
      return Engine.afterCopy(
              job,
              pipeline,
              Engine.defaultReport(job.stateDirectory(), job.spec().name()),
              job.workDirectory().resolve("verify.checkpoint.json"))
          .map(r -> new RunResult.Verification(r, null))
          .orElse(null);
    } catch (FerryException e) {
      log.info("Run {}: the verification failed: {}", runKey(), e.getMessage());
      return new RunResult.Verification(null, e);
    } catch (RuntimeException e) {
      log.error("Run {}: the verification failed", runKey(), e);
      return new RunResult.Verification(
          null,
          new FerryException(
              ErrorCode.INTERNAL,
              "internal error: " + e.getClass().getName() + ": " + e.getMessage(),
              e));
    }
  }

  private void deleteWorkDirectory() {
    java.nio.file.Path dir = job.workDirectory();
    if (java.nio.file.Files.isDirectory(dir)) {
      try (var paths = java.nio.file.Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException e) {
        log.warn("Run {}: cannot delete {}: {}", runKey(), dir, e.toString());
      }
    }
  }

  /**
   * Saves the new state, then announces it.
   *
   * @param save false when the run is no longer this process's to record
   */
  private void moveTo(RunState next, String message, boolean save) {
    RunState previous = state.get();
    if (!previous.canMoveTo(next)) {
      throw new IllegalStateException("a run cannot move from " + previous + " to " + next);
    }
    record = record.with(next, snapshotIn(next), message);
    if (save) {
      store.save(record);
    }
    state.set(next);
    for (RunListener l : listeners) {
      try {
        l.stateChanged(this, previous, next);
      } catch (RuntimeException e) {
        log.warn("A run listener failed: {}", e.toString());
      }
    }
  }

  private void publish(Progress progress) {
    for (RunListener l : listeners) {
      try {
        l.progress(this, progress);
      } catch (RuntimeException e) {
        log.warn("A run listener failed: {}", e.toString());
      }
    }
  }

  /** The statistics now. */
  public synchronized Progress progress() {
    return snapshot();
  }

  private Progress snapshot() {
    return snapshotIn(state.get());
  }

  /**
   * The statistics in {@code runState}. While the attempt runs, counts include rows not flushed
   * yet; once it ended they are the committed ones, and speeds are zero.
   */
  private synchronized Progress snapshotIn(RunState runState) {
    boolean ended = endNanos != 0;
    RowCounts committed = committedCounts();
    RowCounts counts = ended ? committed : liveCounts();
    double rps = 0;
    double bps = 0;
    if (!ended && startNanos != 0) {
      long now = System.nanoTime();
      if (now - samples.getLast()[0] >= SAMPLE_SPACING) {
        samples.addLast(new long[] {now, counts.written(), counts.bytesWritten()});
      }
      // The oldest sample kept is the newest one at least a window old (or the attempt's start).
      while (samples.size() > 1) {
        var it = samples.iterator();
        it.next();
        if (now - it.next()[0] < RATE_WINDOW) {
          break;
        }
        samples.removeFirst();
      }
      long[] oldest = samples.getFirst();
      double seconds = (now - oldest[0]) / 1e9;
      if (seconds > 0) {
        rps = Math.max(0, (counts.written() - oldest[1]) / seconds);
        bps = Math.max(0, (counts.bytesWritten() - oldest[2]) / seconds);
      }
    }
    long waitForWriter = 0;
    long waitForReader = 0;
    for (BatchChannel<Envelope> c : channels) {
      waitForWriter += c.putWaitNanos();
      waitForReader += c.takeWaitNanos();
    }
    List<SplitTask> all = tasks;
    List<SplitProgress> splits = new ArrayList<>(all.size());
    for (SplitTask t : all) {
      splits.add(new SplitProgress(t.split.id(), t.state, t.counts.written(), t.committed));
    }
    if (cdc != null) {
      splits.addAll(cdc.splitProgress());
    }
    return new Progress(
        runKey(),
        runState,
        record.createdAt(),
        activeTime(),
        counts,
        committed,
        estimatedRecords,
        cdc != null ? cdc.tableCount() : all.size(),
        cdc != null ? cdc.tablesDone() : splitsDone.get(),
        rps,
        bps,
        Duration.ofNanos(waitForWriter),
        Duration.ofNanos(waitForReader),
        splits,
        cdc == null ? null : cdc.changeProgress());
  }

  /** A split and its progress; fields are written by one thread at a time. */
  private static final class SplitTask {
    final Split split;
    final byte[] encoded;

    /** The split's place in the plan: the same in every attempt of the run. */
    final int ordinal;

    volatile SplitProgress.State state = SplitProgress.State.PENDING;
    volatile Position committed;

    /** The counts of the rows up to {@code committed}. */
    volatile RowCounts counts = RowCounts.ZERO;

    /** Writer failures of this split retried so far, on any lane: at most maxRetries. */
    final java.util.concurrent.atomic.AtomicInteger writeRetries =
        new java.util.concurrent.atomic.AtomicInteger();

    SplitTask(Split split, byte[] encoded, int ordinal) {
      this.split = split;
      this.encoded = encoded;
      this.ordinal = ordinal;
    }
  }

  /** A batch of one split, or the mark that the split ended. */
  /**
   * A batch of one split, or the mark that the split ended, with the counts of the rows read for it
   * (filtered and dirty ones included) since the envelope before; or only such counts, when a
   * failure cut a batch short (batch null, not the end).
   */
  private record Envelope(
      SplitTask task, RowBatch batch, long bytes, boolean endOfSplit, RowCounts counts) {}

  /**
   * Job-wide record and byte limits, shared by all readers (Bucket4j token buckets). A bucket
   * starts empty and holds at most {@link #BURST} of a second's tokens, so no stretch of a second,
   * the first included, passes more than the limit and that small burst.
   */
  private static final class RateLimit {
    private static final int BURST_PER_SECOND = 20;

    /** The burst a bucket allows, as a share of its rate: 1/20, 50 ms worth of tokens. */
    static final double BURST = 1.0 / BURST_PER_SECOND;

    private final Bucket records;
    private final long recordCapacity;
    private final Bucket bytes;
    private final long byteCapacity;

    RateLimit(OptionalLong recordsPerSecond, OptionalLong bytesPerSecond) {
      this.recordCapacity =
          recordsPerSecond.isPresent() ? capacity(recordsPerSecond.getAsLong()) : 0;
      this.records = recordsPerSecond.isPresent() ? bucket(recordsPerSecond.getAsLong()) : null;
      this.byteCapacity = bytesPerSecond.isPresent() ? capacity(bytesPerSecond.getAsLong()) : 0;
      this.bytes = bytesPerSecond.isPresent() ? bucket(bytesPerSecond.getAsLong()) : null;
    }

    private static long capacity(long perSecond) {
      return Math.max(1, perSecond / BURST_PER_SECOND);
    }

    private static Bucket bucket(long perSecond) {
      return Bucket.builder()
          .addLimit(
              Bandwidth.builder()
                  .capacity(capacity(perSecond))
                  .refillGreedy(perSecond, Duration.ofSeconds(1))
                  .initialTokens(0)
                  .build())
          .build();
    }

    void acquire(long recordCount, long byteCount) throws InterruptedException {
      consume(records, recordCapacity, recordCount);
      consume(bytes, byteCapacity, byteCount);
    }

    // A batch may be larger than a bucket's capacity: take it in capacity-sized bites.
    private static void consume(Bucket bucket, long capacity, long tokens)
        throws InterruptedException {
      if (bucket == null) {
        return;
      }
      while (tokens > 0) {
        long bite = Math.min(tokens, capacity);
        bucket.asBlocking().consume(bite);
        tokens -= bite;
      }
    }
  }
}
