package io.ferry.connector.ftp;

import io.ferry.connector.ftp.RemoteOptions.Protocol;
import io.ferry.spi.Connector;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.Optional;

/** Reads and writes csv, tsv and JSON Lines files on an FTP server. */
public final class FtpConnector implements Connector {
  @Override
  public String name() {
    return "ftp";
  }

  @Override
  public String description() {
    return "Reads and writes csv, tsv and JSON Lines files, plain, gzip or bzip2 (zip read only), on an"
        + " FTP server.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(
        Role.of(
            RemoteOptions.source(Protocol.FTP),
            (options, context) -> new RemoteSource(new FtpAccess(options), options, context)));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(
        Role.of(
            RemoteOptions.sink(Protocol.FTP),
            (options, context) -> new RemoteSink(new FtpAccess(options), options, context)));
  }
}
