package io.ferry.spi;

import java.util.List;

/** Cuts a source's work into splits that can be read independently and in any order. */
@FunctionalInterface
public interface SplitPlanner {
  /**
   * @param parallelism how many readers will run at once; plan at least that many splits when the
   *     data allows, more when the data is large (small splits balance better and resume with less
   *     to redo)
   * @return the splits, each with an id unique within this plan; empty when there is nothing to
   *     read
   */
  List<Split> plan(int parallelism);
}
