package io.ferry.spi;

import java.nio.file.Path;
import java.time.ZoneId;

/** What the engine gives a connector instance. */
public interface ConnectorContext {
  /** The job's name, for logs and for names the target shows (temporary files, staging tables). */
  String jobName();

  /**
   * The run's unique key, the same in every attempt of the run (a resume in another process
   * included): for names that must survive until the run ends (temporary file parts, a new index
   * that an alias moves to).
   */
  String runKey();

  /**
   * The time zone in which zone-less values (TIMESTAMP, DATE) are interpreted when a store needs an
   * instant. Explicit: never the JVM default.
   */
  ZoneId zone();

  /** A folder this connector instance may use for scratch files; deleted after the run. */
  Path workDirectory();

  /** Where rows that cannot be processed go. */
  DirtyRowSink dirtyRows();

  /**
   * The local files this instance may open: every local path an option gives goes through {@link
   * LocalFiles#resolve(String, String)} first, and the connector opens the path it returns. The
   * command line allows every path; the server only its configured folders.
   */
  LocalFiles localFiles();

  /**
   * What a sink checks immediately before each commit, so that a process that lost its run commits
   * nothing more ({@link WriteFence}). Sources ignore it.
   */
  default WriteFence fence() {
    return WriteFence.NONE;
  }
}
