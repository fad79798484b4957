package io.ferry.server.runs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A run's state written and then announced: to {@code ferry_task_run} ({@link RunStore}) first,
 * then over the WebSocket ({@link RunProgress}) and to the listeners of runs that end or are placed
 * on a node (the scheduler's instances). Shared by {@link RunService}, which decides, and {@link
 * RunLauncher}, which executes.
 */
@Component
public class RunEvents {
  private static final Logger log = LoggerFactory.getLogger(RunEvents.class);

  private final RunStore store;
  private final RunProgress runProgress;
  private final List<Consumer<RunService.View>> endListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<RunService.View>> placedListeners = new CopyOnWriteArrayList<>();

  public RunEvents(RunStore store, RunProgress runProgress) {
    this.store = store;
    this.runProgress = runProgress;
  }

  /** Calls {@code listener} with every run that ends (SUCCEEDED, FAILED or STOPPED). */
  void onEnded(Consumer<RunService.View> listener) {
    endListeners.add(listener);
  }

  /** Calls {@code listener} when a node takes a run to execute it: queued, started or resumed. */
  void onPlaced(Consumer<RunService.View> listener) {
    placedListeners.add(listener);
  }

  void placed(long id) {
    RunService.View v = store.stored(id).view();
    for (Consumer<RunService.View> l : placedListeners) {
      try {
        l.accept(v);
      } catch (RuntimeException e) {
        log.warn("A listener failed on the placement of run {}", id, e);
      }
    }
  }

  void ended(long id) {
    RunService.View v = store.stored(id).view();
    for (Consumer<RunService.View> l : endListeners) {
      try {
        l.accept(v);
      } catch (RuntimeException e) {
        log.warn("A listener failed on the end of run {}", id, e);
      }
    }
  }

  void saveState(long id, String state, String message, boolean ended) {
    writeState(id, state, message, ended, false);
  }

  /**
   * {@link #saveState} of a run this node executes, unless another node took it over meanwhile.
   *
   * @return whether it was saved (the run is still this node's)
   */
  boolean saveHeldState(long id, String state, String message, boolean ended) {
    return writeState(id, state, message, ended, true);
  }

  /** Writes the state; an end is announced to the end listeners. */
  private boolean writeState(long id, String state, String message, boolean ended, boolean held) {
    boolean saved = store.writeState(id, state, message, ended, held);
    if (saved && ended) {
      ended(id);
    }
    return saved;
  }

  /** Announces the run's state as stored over the WebSocket. */
  void publishState(long id) {
    runProgress.publishState(store.stored(id).view());
  }
}
