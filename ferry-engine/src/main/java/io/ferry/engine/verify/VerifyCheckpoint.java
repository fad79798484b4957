package io.ferry.engine.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The key ranges a content comparison completed, in a JSON file, with each one's differences in a
 * file of its own beside it ({@code <file>.parts/range-<i>.jsonl}): a verification that was killed
 * and is started again with the same file and the same key ranges (the same job, the same plan)
 * compares only the ranges that were not done, and reports the done ones' differences from their
 * files. Written after each range, replaced atomically; removed with its parts when the
 * verification ends.
 */
final class VerifyCheckpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  private final Path file;
  private final Path parts;
  private final String fingerprint;
  private final int ranges;

  /** Done range → {source rows, target rows}. */
  private final Map<Integer, long[]> done = new TreeMap<>();

  private VerifyCheckpoint(Path file, String fingerprint, int ranges) {
    this.file = file;
    this.parts = file.resolveSibling(file.getFileName() + ".parts");
    this.fingerprint = fingerprint;
    this.ranges = ranges;
  }

  /**
   * The checkpoint in {@code file} when it records the same key ranges, else an empty one (an
   * earlier plan's parts are removed).
   *
   * @param plan what identifies the comparison: the key ranges, the method
   */
  static VerifyCheckpoint open(Path file, String plan, int ranges) {
    VerifyCheckpoint c = new VerifyCheckpoint(file, hash(plan), ranges);
    try {
      if (Files.isRegularFile(file)) {
        JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        if (n.path("version").asInt() == VERSION
            && n.path("fingerprint").asText().equals(c.fingerprint)
            && n.path("ranges").asInt() == ranges) {
          for (JsonNode d : n.path("done")) {
            c.done.put(
                d.path("range").asInt(),
                new long[] {d.path("sourceRows").asLong(), d.path("targetRows").asLong()});
          }
          return c;
        }
      }
      c.removeParts();
      Files.createDirectories(c.parts);
      return c;
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.IO, "cannot read the verification checkpoint " + file + ": " + e.getMessage());
    }
  }

  /** The ranges done, in order, with {source rows, target rows}. */
  synchronized Map<Integer, long[]> done() {
    return new TreeMap<>(done);
  }

  /** Where range {@code i}'s differences are written (missing when it had none). */
  Path part(int i) {
    return parts.resolve("range-" + i + ".jsonl");
  }

  /** Records range {@code i} as done; its differences are complete in {@link #part}. */
  synchronized void done(int i, long sourceRows, long targetRows) {
    done.put(i, new long[] {sourceRows, targetRows});
    ObjectNode n = JSON.createObjectNode();
    n.put("version", VERSION);
    n.put("fingerprint", fingerprint);
    n.put("ranges", ranges);
    var list = n.putArray("done");
    done.forEach(
        (range, rows) ->
            list.addObject()
                .put("range", range)
                .put("sourceRows", rows[0])
                .put("targetRows", rows[1]));
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temp, JSON.writeValueAsString(n), StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.IO, "cannot write the verification checkpoint " + file + ": " + e.getMessage());
    }
  }

  /** The verification ended: the checkpoint and its parts go. */
  void remove() {
    try {
      Files.deleteIfExists(file);
      removeParts();
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.IO,
          "cannot remove the verification checkpoint " + file + ": " + e.getMessage());
    }
  }

  private void removeParts() throws IOException {
    if (Files.isDirectory(parts)) {
      try (Stream<Path> paths = Files.walk(parts)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static String hash(String plan) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(plan.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
