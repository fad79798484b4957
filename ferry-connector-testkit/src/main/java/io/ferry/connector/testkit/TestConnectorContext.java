package io.ferry.connector.testkit;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.WriteFence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ConnectorContext} for tests: a run key unique to the context, time zone UTC, a fresh
 * work directory under {@code target/testkit/}, and a dirty-row sink that collects rows so a test
 * can assert on them (the suites assert that none arrived).
 */
public final class TestConnectorContext implements ConnectorContext {
  private final String jobName;
  private final Path workDirectory;
  private final CollectingDirtyRowSink dirtyRows = new CollectingDirtyRowSink();
  private volatile WriteFence fence = WriteFence.NONE;

  /**
   * @param jobName the job name connectors see; also names the work directory
   */
  public TestConnectorContext(String jobName) {
    this.jobName = requireNonNull(jobName, "jobName is null");
    try {
      Path root = Files.createDirectories(Path.of("target", "testkit"));
      this.workDirectory = Files.createTempDirectory(root, jobName + "-").toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work directory under target/testkit", e);
    }
  }

  @Override
  public String jobName() {
    return jobName;
  }

  /** The job name and the work directory's unique suffix: unique per context. */
  @Override
  public String runKey() {
    return workDirectory.getFileName().toString();
  }

  @Override
  public ZoneId zone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Path workDirectory() {
    return workDirectory;
  }

  @Override
  public CollectingDirtyRowSink dirtyRows() {
    return dirtyRows;
  }

  /** Every path: tests name their own files. */
  @Override
  public LocalFiles localFiles() {
    return LocalFiles.unrestricted();
  }

  /** {@link WriteFence#NONE} until a test sets another. */
  @Override
  public WriteFence fence() {
    return fence;
  }

  /** The fence sinks check from now on. */
  public void fence(WriteFence fence) {
    this.fence = requireNonNull(fence, "fence is null");
  }

  /** Keeps every dirty row; never throws (there is no error limit in tests). */
  public static final class CollectingDirtyRowSink implements DirtyRowSink {
    private final List<DirtyRow> rows = new CopyOnWriteArrayList<>();

    @Override
    public void accept(DirtyRow row) {
      rows.add(requireNonNull(row, "row is null"));
    }

    /** The rows received so far, in arrival order. */
    public List<DirtyRow> rows() {
      return List.copyOf(rows);
    }
  }
}
