package io.ferry.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs and checkpoints as JSON files: {@code <state>/runs/<run key>/run.json} and {@code
 * checkpoint.json}. Each file is replaced atomically (written beside, forced to disk, renamed), so
 * a crash at any moment leaves the previous version or the new one, never a torn file. A run is
 * claimed with an OS file lock on {@code lock}, which the OS releases when the process dies.
 */
public final class FileCheckpointStore implements CheckpointStore {
  private static final ErrorCode RUN_KEY_INVALID = ErrorCode.user("run.key-invalid");
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private final Path runsDirectory;
  private final Path cursorsDirectory;

  public FileCheckpointStore(Path stateDirectory) {
    this.runsDirectory = stateDirectory.resolve("runs");
    this.cursorsDirectory = stateDirectory.resolve("cursors");
  }

  @Override
  public Optional<CursorState> cursor(String key) {
    return read(cursorFile(key), CursorState.class).filter(c -> c.key().equals(key));
  }

  @Override
  public List<CursorState> cursors() {
    if (!Files.isDirectory(cursorsDirectory)) {
      return List.of();
    }
    List<CursorState> cursors = new ArrayList<>();
    try (Stream<Path> files = Files.list(cursorsDirectory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        read(file, CursorState.class).ifPresent(cursors::add);
      }
    } catch (IOException e) {
      throw failure("cannot list " + cursorsDirectory, e);
    }
    cursors.sort(Comparator.comparing(CursorState::key));
    return cursors;
  }

  @Override
  public synchronized void saveCursor(CursorState cursor) {
    write(cursorFile(cursor.key()), cursor);
  }

  @Override
  public synchronized boolean deleteCursor(String key) {
    try {
      return Files.deleteIfExists(cursorFile(key));
    } catch (IOException e) {
      throw failure("cannot delete the cursor of " + key, e);
    }
  }

  /**
   * {@code <state>/cursors/<key>.json}; a key with characters other than letters, digits, {@code
   * _.-} gets them replaced and a digest of the key appended, so two keys never share a file.
   */
  private Path cursorFile(String key) {
    String safe = key.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (!safe.equals(key) || safe.startsWith(".")) {
      try {
        byte[] digest =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        safe = safe + "-" + java.util.HexFormat.of().formatHex(digest, 0, 6);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK always has SHA-256", e);
      }
    }
    return cursorsDirectory.resolve(safe + ".json");
  }

  @Override
  public void save(RunRecord run) {
    write(directory(run.runKey()).resolve("run.json"), run);
  }

  @Override
  public Optional<RunRecord> run(String runKey) {
    return read(directory(runKey).resolve("run.json"), RunRecord.class);
  }

  @Override
  public List<RunRecord> runs() {
    if (!Files.isDirectory(runsDirectory)) {
      return List.of();
    }
    List<RunRecord> runs = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(runsDirectory)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        read(dir.resolve("run.json"), RunRecord.class).ifPresent(runs::add);
      }
    } catch (IOException e) {
      throw failure("cannot list " + runsDirectory, e);
    }
    runs.sort(Comparator.comparing(RunRecord::createdAt).reversed());
    return runs;
  }

  @Override
  public void save(Checkpoint checkpoint) {
    write(directory(checkpoint.runKey()).resolve("checkpoint.json"), checkpoint);
  }

  @Override
  public Optional<Checkpoint> checkpoint(String runKey) {
    Path file = directory(runKey).resolve("checkpoint.json");
    try {
      return Optional.of(Checkpoint.read(JSON, Files.readString(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("cannot read " + file, e);
    }
  }

  @Override
  public Optional<Claim> claim(String runKey) {
    Path lockFile = directory(runKey).resolve("lock");
    try {
      Files.createDirectories(lockFile.getParent());
      FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very process
      }
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      FileLock held = lock;
      return Optional.of(
          new Claim() {
            /**
             * The kernel keeps the lock for this process until it is released or the process ends.
             */
            @Override
            public boolean held() {
              return held.isValid();
            }

            @Override
            public void close() {
              try {
                held.release();
                channel.close();
              } catch (IOException e) {
                throw failure("cannot release " + lockFile, e);
              }
            }
          });
    } catch (IOException e) {
      throw failure("cannot lock " + lockFile, e);
    }
  }

  @Override
  public boolean isClaimed(String runKey) {
    if (!Files.exists(directory(runKey).resolve("lock"))) {
      return false;
    }
    Optional<Claim> claim = claim(runKey);
    claim.ifPresent(Claim::close);
    return claim.isEmpty();
  }

  private Path directory(String runKey) {
    if (!runKey.matches("[A-Za-z0-9_.-]+")) {
      throw new FerryException(RUN_KEY_INVALID, "'" + runKey + "' is not a run key");
    }
    return runsDirectory.resolve(runKey);
  }

  private static void write(Path file, Object value) {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(value)));
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw failure("cannot write " + file, e);
    }
  }

  private static <T> Optional<T> read(Path file, Class<T> type) {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(file), type));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static FerryException failure(String message, IOException e) {
    return new FerryException(ErrorCode.IO, message + ": " + e.getMessage(), e);
  }
}
