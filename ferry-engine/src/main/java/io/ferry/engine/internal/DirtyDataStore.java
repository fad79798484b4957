package io.ferry.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps dirty rows as JSON Lines, one object per row: {@code time}, {@code location}, {@code
 * column}, {@code value}, {@code reason} and the {@code row} by column name. The file is created
 * with the first dirty row, so a clean run leaves none. Thread-safe; and several stores may append
 * to one file (the tasks of a run on Flink share it when they share a machine): each row goes to
 * the file in one append, so rows never interleave.
 */
public final class DirtyDataStore implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private OutputStream out;

  public DirtyDataStore(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  synchronized void write(DirtyRow row) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", Instant.now().toString());
    line.put("location", row.location());
    line.put("column", row.column());
    line.put("value", jsonValue(row.value()));
    line.put("reason", row.reason());
    Map<String, Object> values = new LinkedHashMap<>();
    row.row().forEach((k, v) -> values.put(k, jsonValue(v)));
    line.put("row", values);
    try {
      if (out == null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // Appends: a resumed run adds to the file of its earlier attempts.
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      byte[] json = JSON.writeValueAsBytes(line);
      byte[] record = Arrays.copyOf(json, json.length + 1);
      record[json.length] = '\n';
      // One unbuffered append per row: dirty rows are rare, each must survive a crash of the run,
      // and another store appending to the same file cannot split it.
      out.write(record);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.IO, "cannot write the dirty-data file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether the file holds no row, of this attempt or an earlier one of the run. */
  public synchronized boolean isEmpty() {
    return out == null && !Files.exists(file);
  }

  /** Values as JSON-friendly objects: exact numbers, ISO times, Base64 bytes. */
  private static Object jsonValue(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      return n;
    }
    if (value instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    if (value instanceof TemporalAccessor) {
      return value.toString();
    }
    if (value instanceof Object[] fields) {
      return Arrays.stream(fields).map(DirtyDataStore::jsonValue).toList();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(DirtyDataStore::jsonValue).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), jsonValue(v)));
      return copy;
    }
    return value.toString();
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
