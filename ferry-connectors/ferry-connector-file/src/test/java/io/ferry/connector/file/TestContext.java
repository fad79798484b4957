package io.ferry.connector.file;

import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.LocalFiles;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A connector context that keeps dirty rows in memory for assertions. */
final class TestContext implements ConnectorContext {
  final List<DirtyRow> dirty = new CopyOnWriteArrayList<>();
  private final Path workDirectory;
  private final LocalFiles localFiles;

  TestContext(Path workDirectory) {
    this(workDirectory, LocalFiles.unrestricted());
  }

  TestContext(Path workDirectory, LocalFiles localFiles) {
    this.workDirectory = workDirectory;
    this.localFiles = localFiles;
  }

  @Override
  public String jobName() {
    return "file-test";
  }

  @Override
  public String runKey() {
    return "file-test-run";
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
  public DirtyRowSink dirtyRows() {
    return dirty::add;
  }

  @Override
  public LocalFiles localFiles() {
    return localFiles;
  }
}
