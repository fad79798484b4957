package io.ferry.connector.hdfs;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of the files one run writes into the sink's folder: each split is written into a hidden
 * temporary file, renamed to a hidden finished file when the split ends, and renamed to its visible
 * output at commit. Names carry the run's key, so a resumed run finds its finished splits and a
 * commit interrupted by a crash is done again; outputs of different runs never collide.
 *
 * <pre>
 *   output    part__run-7_00003.orc
 *   finished  .part__run-7_00003.orc.done
 *   temporary .part__run-7_00003.orc.1.tmp   (writer 1)
 * </pre>
 *
 * Hive, Spark and Hadoop input formats skip names that start with a dot.
 */
final class RunFiles {
  private static final String FINISHED = ".done";

  private final String fileName;
  private final String runStem;
  private final String ending;
  private final Pattern finished;

  /**
   * @param fileName the outputs' prefix
   * @param ending the outputs' ending, e.g. {@code .orc} or {@code .csv.gz}
   */
  RunFiles(String fileName, String runKey, String ending) {
    this.fileName = requireNonNull(fileName, "fileName is null");
    this.runStem = fileName + "__" + requireNonNull(runKey, "runKey is null") + "_";
    this.ending = requireNonNull(ending, "ending is null");
    this.finished =
        Pattern.compile(
            "\\." + Pattern.quote(runStem) + "(\\d{5,})" + Pattern.quote(ending + FINISHED));
  }

  String output(int split) {
    return runStem + String.format("%05d", split) + ending;
  }

  String temporary(int split, int writer) {
    return "." + output(split) + "." + writer + ".tmp";
  }

  String finished(int split) {
    return "." + output(split) + FINISHED;
  }

  /** The split of a finished file's name, or -1 when {@code name} is not one of this run. */
  int finishedSplit(String name) {
    Matcher m = finished.matcher(name);
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Whether {@code name} is a hidden file of split {@code split}: temporary or finished. */
  boolean ofSplit(String name, int split) {
    return name.startsWith("." + output(split) + ".");
  }

  /** Whether {@code name} is a hidden file of this run. */
  boolean hiddenOfRun(String name) {
    return name.startsWith("." + runStem);
  }

  /** Whether {@code name} is an output of this run. */
  boolean outputOfRun(String name) {
    return name.startsWith(runStem);
  }

  /**
   * Whether overwrite replaces {@code name}: a visible file named with the prefix, not this run's.
   */
  boolean replacedByOverwrite(String name) {
    return name.startsWith(fileName) && !outputOfRun(name);
  }

  /** Whether readers see {@code name} (Hive's rule: not starting with . or _). */
  static boolean visible(String name) {
    return !name.startsWith(".") && !name.startsWith("_");
  }
}
