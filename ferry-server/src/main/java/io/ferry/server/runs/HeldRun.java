package io.ferry.server.runs;

import io.ferry.engine.JobRun;
import io.ferry.engine.Progress;
import io.ferry.engine.RowCounts;
import io.ferry.engine.RunListener;
import io.ferry.engine.RunResult;
import io.ferry.engine.RunState;
import java.time.Duration;
import java.util.Optional;

/**
 * A run executing on this node, as {@link RunLauncher} drives it: in the server's JVM ({@link
 * #inThread}) or in a JVM of its own ({@link ChildRunProcess}), per {@code ferry.runs.isolation}.
 * In a run's own JVM ({@link ChildRunMain}) it is the engine's run, or a run of a {@code flink}
 * resource group on its Flink session cluster ({@link FlinkChildRun}).
 */
interface HeldRun {
  String runKey();

  /** Its parallel channels (on Flink: the job's parallel tasks). */
  int channels();

  /** What earlier attempts of the run wrote (a resumed run continues their counts). */
  RowCounts carriedOver();

  boolean pausable();

  RunState state();

  void pause();

  void stop();

  RunResult await() throws InterruptedException;

  Optional<RunResult> await(Duration timeout) throws InterruptedException;

  /** Its state changes and progress go to {@code events} from now on. */
  void listen(ChildRunProcess.Events events);

  /**
   * The run's own JVM halts since the server that started it is gone: a run whose writes end with
   * this JVM needs nothing; one that writes elsewhere (a Flink job) is ended there first.
   */
  default void beforeHalt() {}

  /** A run of the engine in this JVM. */
  static HeldRun inThread(JobRun run) {
    return new HeldRun() {
      @Override
      public String runKey() {
        return run.runKey();
      }

      @Override
      public RowCounts carriedOver() {
        return run.carriedOver();
      }

      @Override
      public int channels() {
        return run.settings().channels();
      }

      @Override
      public boolean pausable() {
        return run.pausable();
      }

      @Override
      public RunState state() {
        return run.state();
      }

      @Override
      public void pause() {
        run.pause();
      }

      @Override
      public void stop() {
        run.stop();
      }

      @Override
      public RunResult await() throws InterruptedException {
        return run.await();
      }

      @Override
      public Optional<RunResult> await(Duration timeout) throws InterruptedException {
        return run.await(timeout);
      }

      @Override
      public void listen(ChildRunProcess.Events events) {
        run.addListener(
            new RunListener() {
              @Override
              public void stateChanged(JobRun r, RunState from, RunState to) {
                events.state(to);
              }

              @Override
              public void progress(JobRun r, Progress progress) {
                events.progress(progress);
              }
            });
      }
    };
  }
}
