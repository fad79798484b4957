package io.ferry.connector.file;

import io.ferry.spi.Connector;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.Optional;

/** Reads and writes csv, tsv and JSON Lines files on a local or mounted file system. */
public final class FileConnector implements Connector {
  @Override
  public String name() {
    return "file";
  }

  @Override
  public String description() {
    return "Reads and writes csv, tsv and JSON Lines files, plain, gzip or bzip2 (zip read only),"
        + " on a local or mounted file system.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(Role.of(FileOptions.SOURCE_OPTIONS, FileSource::new));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(Role.of(FileOptions.SINK_OPTIONS, FileSink::new));
  }
}
