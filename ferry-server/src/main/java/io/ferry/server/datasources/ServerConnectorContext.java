package io.ferry.server.datasources;

import io.ferry.spi.ConnectorContext;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.LocalFiles;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The context of connector instances the server creates outside runs: connection tests and catalog
 * browsing, which read nothing row by row. Local files are those of jobs ({@code
 * ferry.file-roots}).
 */
record ServerConnectorContext(String jobName, Path workDirectory, LocalFiles localFiles)
    implements ConnectorContext {
  @Override
  public String runKey() {
    return jobName;
  }

  @Override
  public ZoneId zone() {
    return ZoneOffset.UTC;
  }

  @Override
  public DirtyRowSink dirtyRows() {
    return row -> {
      throw new IllegalStateException("no rows are read outside runs");
    };
  }
}
