package io.ferry.connector.ftp;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.file.TextSinkFormat;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.FerryException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes csv, tsv or JSON Lines, plain or gzip, to an FTP or SFTP server, split by split: a writer
 * uploads each split it receives into a hidden temporary part in the target's folder and renames it
 * to a finished part when the split ends. Nothing at the output names changes before {@link
 * #commit()}: perSplit renames each finished part to its output; merged and perWriter join the
 * parts, in plan order, into one temporary file per output (downloading each part and uploading it
 * again) and rename that into place.
 *
 * <p>Parts are named after the run: a resumed run keeps the finished splits' parts and writes the
 * unfinished splits again ({@link SinkResume.WholeSplit}).
 */
final class RemoteSink implements Sink {
  private static final String TEMPORARY = ".tmp";
  private static final String FINISHED = ".done";
  private static final String PATH = RemoteOptions.SINK_PATH.name();
  private static final int COPY_BUFFER = 256 << 10;

  private final RemoteAccess access;
  private final TextSinkFormat format;
  private final String target;
  private final String folder;
  private final boolean gzip;
  private final RemoteFileMode fileMode;
  private final boolean overwrite;
  private final ConnectorContext context;

  /** The name of {@code path} up to its first dot, and from it: {@code orders}, {@code .csv.gz}. */
  private final String stem;

  private final String extensions;

  /** How every file of this run beside the target starts: {@code .orders.csv.ferry-<run>-}. */
  private final String runPrefix;

  /** A finished part: {@code <runPrefix><split>-<writer>.done}. */
  private final Pattern finishedPart;

  private final Pattern numberedOutput;

  private volatile Schema schema;
  private volatile boolean resumed;

  /** The files of this run when the resumed run started discarding splits (engine thread only). */
  private List<String> resumeFiles;

  RemoteSink(RemoteAccess access, Options options, ConnectorContext context) {
    this.access = requireNonNull(access, "access is null");
    this.context = requireNonNull(context, "context is null");
    this.format = TextSinkFormat.of(options);
    this.target = options.get(RemoteOptions.SINK_PATH).trim();
    this.folder = RemotePaths.parent(target);
    String name = RemotePaths.name(target);
    if (name.isEmpty() || RemotePaths.hasWildcard(target)) {
      throw new io.ferry.spi.InvalidOptionsException(
          io.ferry.spi.ErrorCode.OPTION_INVALID,
          List.of(new OptionProblem(PATH, "must name a file, without wildcards")));
    }
    this.gzip = format.gzip(name);
    this.fileMode = options.get(RemoteOptions.FILE_MODE);
    this.overwrite = options.get(RemoteOptions.OVERWRITE);
    int dot = name.indexOf('.', 1);
    this.stem = dot < 0 ? name : name.substring(0, dot);
    this.extensions = dot < 0 ? "" : name.substring(dot);
    this.runPrefix = "." + name + ".ferry-" + context.runKey() + "-";
    this.finishedPart =
        Pattern.compile(Pattern.quote(runPrefix) + "(\\d+)-(\\d+)" + Pattern.quote(FINISHED));
    this.numberedOutput =
        Pattern.compile(Pattern.quote(stem) + "-\\d{5}" + Pattern.quote(extensions));
  }

  RemoteAccess access() {
    return access;
  }

  boolean gzip() {
    return gzip;
  }

  TextSinkFormat format() {
    return format;
  }

  /** The file the rows of split {@code split} written by writer {@code writer} end up in. */
  String outputOf(int split, int writer) {
    return switch (fileMode) {
      case MERGED -> target;
      case PER_WRITER -> RemotePaths.join(folder, numbered(writer));
      case PER_SPLIT -> RemotePaths.join(folder, numbered(split));
    };
  }

  private String numbered(int index) {
    return stem + "-" + String.format("%05d", index) + extensions;
  }

  /** Where writer {@code writer} writes split {@code split}, while and after it does. */
  String partOf(int split, int writer, boolean finished) {
    return RemotePaths.join(
        folder,
        runPrefix
            + String.format("%05d", split)
            + "-"
            + writer
            + (finished ? FINISHED : TEMPORARY));
  }

  /**
   * Whether split {@code split}'s part starts with the header: every part that becomes a file of
   * its own does; in a merged file only the first split's part, so the parts concatenate to one
   * file; perWriter outputs get the header at commit.
   */
  boolean partHasHeader(int split) {
    return format.header()
        && (fileMode == RemoteFileMode.PER_SPLIT
            || (fileMode == RemoteFileMode.MERGED && split == 0));
  }

  @Override
  public List<OptionProblem> check() {
    try {
      return access.call("check " + target + " on " + access.where(), this::check);
    } catch (FerryException e) {
      return RemoteAccess.problemsOf(e);
    }
  }

  private List<OptionProblem> check(RemoteFs fs) {
    RemoteFs.Entry existing = fs.stat(target);
    if (existing != null && existing.directory()) {
      return List.of(
          new OptionProblem(PATH, target + " is a folder; path names the file to write"));
    }
    String dir = folder;
    RemoteFs.Entry entry = fs.stat(dir);
    while (entry == null && !RemotePaths.parent(dir).equals(dir)) {
      dir = RemotePaths.parent(dir);
      entry = fs.stat(dir);
    }
    if (entry != null && !entry.directory()) {
      return List.of(
          new OptionProblem(PATH, dir + " is a file, not a folder, on " + access.where()));
    }
    if (!overwrite) {
      List<String> outputs = existingOutputs(fs);
      if (!outputs.isEmpty()) {
        return List.of(
            new OptionProblem(
                PATH,
                outputs.get(0)
                    + (outputs.size() > 1 ? " and " + (outputs.size() - 1) + " more" : "")
                    + " already exist on "
                    + access.where()
                    + "; set overwrite: true to replace"));
      }
    }
    return List.of();
  }

  /** Files at the places this sink writes to, from this or an earlier run. */
  private List<String> existingOutputs(RemoteFs fs) {
    if (fileMode == RemoteFileMode.MERGED) {
      RemoteFs.Entry e = fs.stat(target);
      return e != null ? List.of(target) : List.of();
    }
    RemoteFs.Entry dir = fs.stat(folder);
    if (dir == null || !dir.directory()) {
      return List.of();
    }
    List<String> outputs = new ArrayList<>();
    for (RemoteFs.Entry e : fs.list(folder)) {
      if (e.file() && numberedOutput.matcher(e.name()).matches()) {
        outputs.add(RemotePaths.join(folder, e.name()));
      }
    }
    outputs.sort(null);
    return outputs;
  }

  /** Every file of this run beside the target: parts, finished or not, and joined outputs. */
  private List<String> runFiles(RemoteFs fs) {
    RemoteFs.Entry dir = fs.stat(folder);
    if (dir == null || !dir.directory()) {
      return List.of();
    }
    List<String> files = new ArrayList<>();
    for (RemoteFs.Entry e : fs.list(folder)) {
      if (e.name().startsWith(runPrefix)) {
        files.add(e.name());
      }
    }
    files.sort(null);
    return files;
  }

  @Override
  public void prepare(Schema schema) {
    this.schema = requireNonNull(schema, "schema is null");
    access.call(
        "create the folder " + folder + " on " + access.where(),
        fs -> {
          fs.mkdirs(folder);
          return null;
        });
  }

  /** Finished parts of earlier attempts stay; unfinished splits are discarded one by one. */
  @Override
  public SinkResume resumeModel() {
    return SinkResume.wholeSplit(this::reopen, this::discardSplit);
  }

  private void reopen(Schema schema) {
    resumed = true;
    prepare(schema);
  }

  private synchronized void discardSplit(int split) {
    if (resumeFiles == null) {
      resumeFiles = new ArrayList<>(access.call("list " + folder, this::runFiles));
    }
    String prefix = runPrefix + String.format("%05d", split) + "-";
    List<String> doomed = resumeFiles.stream().filter(f -> f.startsWith(prefix)).toList();
    if (doomed.isEmpty()) {
      return;
    }
    access.call(
        "delete the parts of split " + split,
        fs -> {
          for (String name : doomed) {
            fs.delete(RemotePaths.join(folder, name));
          }
          return null;
        });
    resumeFiles.removeAll(doomed);
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    Schema columns = schema;
    if (columns == null) {
      throw new IllegalStateException("prepare(schema) must run before createWriter");
    }
    return new RemoteSinkWriter(this, writerIndex, columns, context.dirtyRows());
  }

  @Override
  public void commit() {
    access.retry("publish " + target + " on " + access.where(), this::commitOnce);
  }

  private Void commitOnce() {
    try (RemoteFs fs = access.connect()) {
      // Finished parts by output, each in plan order.
      Map<String, SortedMap<Integer, String>> outputs = new TreeMap<>();
      if (fileMode == RemoteFileMode.MERGED) {
        outputs.put(target, new TreeMap<>());
      }
      for (String name : runFiles(fs)) {
        Matcher m = finishedPart.matcher(name);
        if (m.matches()) {
          int split = Integer.parseInt(m.group(1));
          outputs
              .computeIfAbsent(outputOf(split, Integer.parseInt(m.group(2))), o -> new TreeMap<>())
              .put(split, RemotePaths.join(folder, name));
        }
      }
      if (resumed
          && outputs.values().stream().allMatch(Map::isEmpty)
          && !existingOutputs(fs).isEmpty()) {
        // An earlier attempt published the outputs and deleted its parts, then ended before the
        // run was recorded as done: there is nothing left to publish.
        return null;
      }
      List<String> stale =
          fileMode != RemoteFileMode.MERGED && overwrite
              ? new ArrayList<>(existingOutputs(fs))
              : new ArrayList<>();
      if (fileMode == RemoteFileMode.PER_SPLIT) {
        for (Map.Entry<String, SortedMap<Integer, String>> output : outputs.entrySet()) {
          for (String part : output.getValue().values()) {
            publish(fs, part, output.getKey());
          }
          stale.remove(output.getKey());
        }
      } else {
        int index = 0;
        for (Map.Entry<String, SortedMap<Integer, String>> output : outputs.entrySet()) {
          String joined = join(fs, output.getValue(), index++);
          publish(fs, joined, output.getKey());
          stale.remove(output.getKey());
        }
        for (SortedMap<Integer, String> parts : outputs.values()) {
          for (String part : parts.values()) {
            fs.delete(part);
          }
        }
      }
      // Files of an earlier run with more writers or splits would otherwise mix with this output.
      for (String old : stale) {
        fs.delete(old);
      }
      return null;
    }
  }

  /**
   * Copies the header (unless the first part has it) and the parts, in order, into a new temporary
   * file: written through {@code fs}, the parts read through a second connection. The parts stay as
   * they are until the output is published.
   */
  private String join(RemoteFs fs, SortedMap<Integer, String> parts, int index) {
    String joined = RemotePaths.join(folder, runPrefix + "output-" + index + TEMPORARY);
    try (RemoteFs reading = parts.isEmpty() ? null : access.connect()) {
      try (OutputStream out = new BufferedOutputStream(fs.write(joined), COPY_BUFFER)) {
        if (format.header() && (parts.isEmpty() || !partHasHeader(parts.firstKey()))) {
          out.write(format.headerBytes(schema, gzip));
        }
        byte[] buffer = new byte[COPY_BUFFER];
        for (String part : parts.values()) {
          try (InputStream in = reading.read(part, 0)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
              out.write(buffer, 0, n);
            }
          }
        }
      }
    } catch (IOException e) {
      throw RemoteErrors.io("join the parts of " + target + " into " + joined, e);
    }
    return joined;
  }

  /** Renames {@code from} onto {@code to}, refusing to replace unless overwrite. */
  private void publish(RemoteFs fs, String from, String to) {
    if (fs.stat(to) != null) {
      if (!overwrite) {
        throw new FerryException(
            RemoteErrors.OUTPUT_EXISTS,
            to
                + " appeared on "
                + access.where()
                + " while the job ran; it was left as it is and the output stays in "
                + from,
            PATH,
            null);
      }
      fs.delete(to); // servers do not agree on renaming onto an existing file
    }
    fs.rename(from, to);
  }

  /** Deletes every file of this run, finished parts included; the outputs are untouched. */
  @Override
  public void abort() {
    try {
      access.call(
          "delete the parts of " + target,
          fs -> {
            for (String name : runFiles(fs)) {
              fs.delete(RemotePaths.join(folder, name));
            }
            return null;
          });
    } catch (RuntimeException e) {
      // abort must not throw; a leftover hidden part only takes space
    }
  }
}
