package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
import io.ferry.spi.Split;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A whole file, or the byte range {@code [start, end)} of an uncompressed file. A range holds every
 * record that starts inside it: its reader skips the partial record at {@code start} (the previous
 * range reads it) and finishes the record that runs past {@code end}.
 *
 * @param file the file, as the planner listed it
 * @param start first byte of the range; 0 for a whole file
 * @param end byte after the range, or {@link #TO_END} to read to the end of the file
 * @param fileBytes the file's size when planned, for progress
 */
record FileSplit(String file, long start, long end, long fileBytes) implements Split {
  static final long TO_END = -1;

  FileSplit {
    requireNonNull(file, "file is null");
    if (start < 0 || (end != TO_END && end <= start)) {
      throw new IllegalArgumentException("invalid range " + start + "-" + end + " of " + file);
    }
  }

  static FileSplit whole(Path file, long bytes) {
    return new FileSplit(file.toString(), 0, TO_END, bytes);
  }

  boolean wholeFile() {
    return end == TO_END;
  }

  @Override
  public String id() {
    return wholeFile() ? file : file + ":" + start + "-" + end;
  }

  @Override
  public OptionalLong estimatedBytes() {
    return OptionalLong.of(wholeFile() ? fileBytes : end - start);
  }

  @Override
  public String toString() {
    return id();
  }

  /** Version 1: file, start, end, fileBytes. */
  static final Codec<Split> CODEC =
      VersionedCodec.of(
          "file split",
          1,
          (split, out) -> {
            FileSplit s = (FileSplit) split;
            out.writeString(s.file).writeLong(s.start).writeLong(s.end).writeLong(s.fileBytes);
          },
          in -> {
            String file = in.readString();
            if (file == null) {
              throw VersionedCodec.corrupt("file split without a file");
            }
            return new FileSplit(file, in.readLong(), in.readLong(), in.readLong());
          });
}
