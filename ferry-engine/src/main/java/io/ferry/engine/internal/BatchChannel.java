package io.ferry.engine.internal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off between one reader and one writer: a queue bounded in bytes, not in elements, so
 * memory stays flat whatever the rows look like. One element always fits, however large, so a batch
 * bigger than the capacity cannot deadlock the pair.
 *
 * @param <T> the element class
 */
public final class BatchChannel<T> {
  private final long capacityBytes;
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private final ArrayDeque<Long> sizes = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition notEmpty = lock.newCondition();
  private long usedBytes;
  private boolean closed;
  private boolean aborted;
  private long putWaitNanos;
  private long takeWaitNanos;

  public BatchChannel(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  /**
   * Adds an element, waiting while the channel is full.
   *
   * @return false when the channel was aborted; the element was dropped
   */
  public boolean put(T element, long bytes) throws InterruptedException {
    lock.lock();
    try {
      long start = 0;
      while (!aborted && !queue.isEmpty() && usedBytes + bytes > capacityBytes) {
        if (start == 0) {
          start = System.nanoTime();
        }
        notFull.await(100, TimeUnit.MILLISECONDS);
      }
      if (start != 0) {
        putWaitNanos += System.nanoTime() - start;
      }
      if (aborted) {
        return false;
      }
      if (closed) {
        throw new IllegalStateException("channel is closed");
      }
      queue.addLast(element);
      sizes.addLast(bytes);
      usedBytes += bytes;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the oldest element, waiting while the channel is empty.
   *
   * @return null once the channel is closed and drained, or aborted
   */
  public T take() throws InterruptedException {
    lock.lock();
    try {
      long start = 0;
      while (!aborted && queue.isEmpty() && !closed) {
        if (start == 0) {
          start = System.nanoTime();
        }
        notEmpty.await(100, TimeUnit.MILLISECONDS);
      }
      if (start != 0) {
        takeWaitNanos += System.nanoTime() - start;
      }
      if (aborted || queue.isEmpty()) {
        return null;
      }
      usedBytes -= sizes.removeFirst();
      notFull.signal();
      return queue.removeFirst();
    } finally {
      lock.unlock();
    }
  }

  /** No more elements will be put; the taker drains what is left. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Drops everything and wakes both sides: used when the run fails. */
  public void abort() {
    lock.lock();
    try {
      aborted = true;
      queue.clear();
      sizes.clear();
      usedBytes = 0;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Nanoseconds the putter waited for room. */
  public long putWaitNanos() {
    lock.lock();
    try {
      return putWaitNanos;
    } finally {
      lock.unlock();
    }
  }

  /** Nanoseconds the taker waited for elements. */
  public long takeWaitNanos() {
    lock.lock();
    try {
      return takeWaitNanos;
    } finally {
      lock.unlock();
    }
  }
}
