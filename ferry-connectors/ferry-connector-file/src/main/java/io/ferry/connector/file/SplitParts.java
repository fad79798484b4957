package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.FerryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a file sink writes beside its target, by name, and their commit into the outputs. A
 * writer writes each split it receives into a hidden temporary part and renames it to a finished
 * part when the split ends; {@link #commit} makes the outputs of the finished parts, in plan order:
 * perSplit renames each part to its output, merged and perWriter join the parts of an output into
 * one temporary file and rename that into place. Nothing at the output names changes before.
 *
 * <p>Every file of a run starts with {@code .<target name>.ferry-<run>-}, so a resumed run finds
 * the finished splits of its earlier attempts, and a commit interrupted by a crash is done again:
 * commit never changes a part before its output is published.
 */
public final class SplitParts {
  private static final String TEMPORARY = ".tmp";
  private static final String FINISHED = ".done";

  private final String target;
  private final FileMode fileMode;
  private final boolean header;
  private final boolean overwrite;
  private final boolean append;

  /** The name of the target up to its first dot, and from it: {@code orders}, {@code .csv.gz}. */
  private final String stem;

  private final String extensions;

  /** How every file of this run beside the target starts: {@code .orders.csv.ferry-<run>-}. */
  private final String runPrefix;

  /** A finished part: {@code <runPrefix><split>-<writer>.done}. */
  private final Pattern finishedPart;

  private final Pattern numberedOutput;

  /**
   * @param target the target's file name (without its folder)
   * @param runKey the run's key, in the parts' names
   * @param header whether every output starts with a header line
   * @param overwrite whether outputs may replace existing files
   */
  public SplitParts(
      String target, String runKey, FileMode fileMode, boolean header, boolean overwrite) {
    this(target, runKey, fileMode, header, overwrite, false);
  }

  /**
   * @param append whether the merged output is appended to an existing file ({@link AppendCommit}):
   *     then no part carries the header, which only a new or empty file gets, at commit
   */
  public SplitParts(
      String target,
      String runKey,
      FileMode fileMode,
      boolean header,
      boolean overwrite,
      boolean append) {
    if (append && fileMode != FileMode.MERGED) {
      throw new IllegalArgumentException("append needs fileMode merged");
    }
    this.append = append;
    this.target = requireNonNull(target, "target is null");
    this.fileMode = requireNonNull(fileMode, "fileMode is null");
    this.header = header;
    this.overwrite = overwrite;
    int dot = target.indexOf('.', 1);
    this.stem = dot < 0 ? target : target.substring(0, dot);
    this.extensions = dot < 0 ? "" : target.substring(dot);
    this.runPrefix = "." + target + ".ferry-" + requireNonNull(runKey, "runKey is null") + "-";
    this.finishedPart =
        Pattern.compile(Pattern.quote(runPrefix) + "(\\d+)-(\\d+)" + Pattern.quote(FINISHED));
    this.numberedOutput =
        Pattern.compile(Pattern.quote(stem) + "-\\d{5}" + Pattern.quote(extensions));
  }

  /** The output the rows of split {@code split} written by writer {@code writer} end up in. */
  public String outputOf(int split, int writer) {
    return switch (fileMode) {
      case MERGED -> target;
      case PER_WRITER -> numbered(writer);
      case PER_SPLIT -> numbered(split);
    };
  }

  private String numbered(int index) {
    return stem + "-" + String.format("%05d", index) + extensions;
  }

  /** Where writer {@code writer} writes split {@code split}, while and after it does. */
  public String partOf(int split, int writer, boolean finished) {
    return splitPrefix(split) + writer + (finished ? FINISHED : TEMPORARY);
  }

  private String splitPrefix(int split) {
    return runPrefix + String.format("%05d", split) + "-";
  }

  /**
   * Whether split {@code split}'s part starts with the header: every part that becomes a file of
   * its own does; in a merged file only the first split's part, so the parts concatenate to one
   * file; perWriter outputs get the header at commit.
   */
  public boolean partHasHeader(int split) {
    return header
        && !append
        && (fileMode == FileMode.PER_SPLIT || (fileMode == FileMode.MERGED && split == 0));
  }

  /** A hidden file of this run that is neither part nor output, e.g. to probe a folder. */
  public String scratch(String name) {
    return runPrefix + name + TEMPORARY;
  }

  /** The files of this run among {@code files}: parts, finished or not, and joined outputs. */
  public List<String> runFiles(Collection<String> files) {
    return files.stream().filter(f -> f.startsWith(runPrefix)).sorted().toList();
  }

  /** The parts of split {@code split} among {@code files}, finished or not. */
  public List<String> partsOfSplit(int split, Collection<String> files) {
    String prefix = splitPrefix(split);
    return files.stream().filter(f -> f.startsWith(prefix)).sorted().toList();
  }

  /** Files at the places this sink writes to, from this or an earlier run. */
  public List<String> existingOutputs(SinkFolder.Connection folder) {
    if (fileMode == FileMode.MERGED) {
      return folder.exists(target) ? List.of(target) : List.of();
    }
    return folder.files().stream()
        .filter(f -> numberedOutput.matcher(f).matches())
        .sorted()
        .toList();
  }

  /**
   * Publishes the finished parts in {@code folder} as the outputs and deletes them.
   *
   * @param resumed whether this run continues an earlier attempt, which may have published already
   * @param headerBytes the header line alone, for outputs whose first part lacks it
   * @throws FerryException {@link SinkFolder#outputExists()} for an output that appeared while the
   *     job ran (without overwrite)
   */
  public void commit(
      SinkFolder target, SinkFolder.Connection folder, boolean resumed, HeaderBytes headerBytes)
      throws IOException {
    Map<String, SortedMap<Integer, String>> outputs = finishedByOutput(folder.files());
    if (resumed
        && outputs.values().stream().allMatch(Map::isEmpty)
        && !existingOutputs(folder).isEmpty()) {
      // An earlier attempt published the outputs and deleted its parts, then ended before the
      // run was recorded as done: there is nothing left to publish.
      return;
    }
    List<String> stale =
        fileMode != FileMode.MERGED && overwrite
            ? new ArrayList<>(existingOutputs(folder))
            : new ArrayList<>();
    int index = 0;
    for (Map.Entry<String, SortedMap<Integer, String>> output : outputs.entrySet()) {
      SortedMap<Integer, String> parts = output.getValue();
      if (fileMode == FileMode.PER_SPLIT) {
        for (String part : parts.values()) {
          publish(target, folder, part, output.getKey());
        }
      } else {
        String joined = scratch("output-" + index++);
        boolean needsHeader = header && (parts.isEmpty() || !partHasHeader(parts.firstKey()));
        folder.join(
            joined, needsHeader ? headerBytes.get() : new byte[0], List.copyOf(parts.values()));
        publish(target, folder, joined, output.getKey());
      }
      stale.remove(output.getKey());
    }
    // Files of an earlier run with more writers or splits would otherwise mix with this output.
    for (String old : stale) {
      folder.delete(old);
    }
    folder.sync();
    if (fileMode != FileMode.PER_SPLIT) {
      for (SortedMap<Integer, String> parts : outputs.values()) {
        for (String part : parts.values()) {
          folder.delete(part);
        }
      }
    }
  }

  /** The finished parts among {@code files} by output, each output's in plan order. */
  private Map<String, SortedMap<Integer, String>> finishedByOutput(Collection<String> files) {
    Map<String, SortedMap<Integer, String>> outputs = new TreeMap<>();
    if (fileMode == FileMode.MERGED) {
      outputs.put(this.target, new TreeMap<>());
    }
    for (String name : runFiles(files)) {
      Matcher m = finishedPart.matcher(name);
      if (m.matches()) {
        int split = Integer.parseInt(m.group(1));
        outputs
            .computeIfAbsent(outputOf(split, Integer.parseInt(m.group(2))), o -> new TreeMap<>())
            .put(split, name);
      }
    }
    return outputs;
  }

  /** The finished parts of the merged output among {@code files}, in plan order. */
  List<String> finishedParts(Collection<String> files) {
    return List.copyOf(finishedByOutput(files).get(target).values());
  }

  /** Renames {@code from} onto {@code to}, refusing to replace unless overwrite. */
  private void publish(SinkFolder target, SinkFolder.Connection folder, String from, String to) {
    if (!overwrite && folder.exists(to)) {
      throw new FerryException(
          target.outputExists(),
          target.path(to)
              + " appeared while the job ran; it was left as it is and the output stays in "
              + target.path(from),
          FileOptions.SINK_PATH.name(),
          null);
    }
    folder.replace(from, to);
  }

  /** The header line alone, encoded (and compressed) as a part would start with it. */
  @FunctionalInterface
  public interface HeaderBytes {
    byte[] get() throws IOException;
  }
}
