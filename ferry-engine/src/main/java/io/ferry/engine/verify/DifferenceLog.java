package io.ferry.engine.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the differences of one verification go, from any thread: every one to the JSON Lines file
 * (one object per line: {@code kind}, {@code key}, {@code columns} with {@code column}, {@code
 * source}, {@code target}), the first few to a sample for display, all into counts. Holds no more
 * than the sample in memory. A file that stays empty is removed.
 */
final class DifferenceLog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int sampleSize;
  private final Path path;
  private final BufferedWriter file;
  private final List<Difference> sample = new ArrayList<>();
  private long missing;
  private long extra;
  private long different;

  /**
   * @param path the file, replaced if it exists; null for none
   */
  DifferenceLog(int sampleSize, Path path) {
    this.sampleSize = sampleSize;
    this.path = path;
    try {
      if (path != null && path.toAbsolutePath().getParent() != null) {
        Files.createDirectories(path.toAbsolutePath().getParent());
      }
      this.file = path == null ? null : Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.IO, "cannot write the verification report " + path + ": " + e.getMessage());
    }
  }

  synchronized void add(Difference d) {
    switch (d.kind()) {
      case MISSING -> missing++;
      case EXTRA -> extra++;
      case DIFFERENT -> different++;
    }
    if (sample.size() < sampleSize) {
      sample.add(d);
    }
    if (file != null) {
      ObjectNode line = JSON.createObjectNode();
      line.put("kind", d.kind().name().toLowerCase(java.util.Locale.ROOT));
      ObjectNode key = line.putObject("key");
      d.key().forEach(key::put);
      var columns = line.putArray("columns");
      for (Difference.ColumnDifference c : d.columns()) {
        columns
            .addObject()
            .put("column", c.column())
            .put("source", c.source())
            .put("target", c.target());
      }
      try {
        file.write(JSON.writeValueAsString(line));
        file.newLine();
      } catch (IOException e) {
        throw new FerryException(
            ErrorCode.IO, "cannot write the verification report: " + e.getMessage());
      }
    }
  }

  /**
   * Adds every difference of a JSON Lines file this class wrote (a key range's own log, or the
   * report of an earlier attempt), in its order.
   */
  void addAll(Path lines) {
    addAll(lines, null);
  }

  /**
   * @param table names the differences' key columns with this table ({@link Difference#inTable});
   *     null to keep them
   */
  void addAll(Path lines, String table) {
    try (java.io.BufferedReader in = Files.newBufferedReader(lines, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          Difference d = parse(line);
          add(table == null ? d : d.inTable(table));
        }
      }
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.IO, "cannot read the differences in " + lines + ": " + e.getMessage());
    }
  }

  /** A line of the file as the difference it was written from. */
  static Difference parse(String line) throws IOException {
    com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(line);
    java.util.Map<String, String> key = new java.util.LinkedHashMap<>();
    com.fasterxml.jackson.databind.JsonNode keys = n.path("key");
    for (java.util.Iterator<String> it = keys.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      key.put(name, text(keys.get(name)));
    }
    List<Difference.ColumnDifference> columns = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode c : n.path("columns")) {
      columns.add(
          new Difference.ColumnDifference(
              c.path("column").asText(), text(c.path("source")), text(c.path("target"))));
    }
    return new Difference(
        Difference.Kind.valueOf(n.path("kind").asText().toUpperCase(java.util.Locale.ROOT)),
        key,
        columns);
  }

  private static String text(com.fasterxml.jackson.databind.JsonNode v) {
    return v.isNull() || v.isMissingNode() ? null : v.asText();
  }

  /** Writes out what is buffered. */
  synchronized void flush() {
    if (file != null) {
      try {
        file.flush();
      } catch (IOException e) {
        throw new FerryException(
            ErrorCode.IO, "cannot write the verification report: " + e.getMessage());
      }
    }
  }

  synchronized long missing() {
    return missing;
  }

  synchronized long extra() {
    return extra;
  }

  synchronized long different() {
    return different;
  }

  synchronized List<Difference> sample() {
    return List.copyOf(sample);
  }

  /** Closes the file; removes it when it holds no difference, so equal tables leave none. */
  @Override
  public synchronized void close() {
    if (file != null) {
      try {
        file.close();
        if (missing + extra + different == 0) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        throw new FerryException(
            ErrorCode.IO, "cannot write the verification report: " + e.getMessage());
      }
    }
  }
}
