package io.ferry.connector.ftp;

import io.ferry.connector.ftp.RemoteOptions.Protocol;
import io.ferry.spi.Connector;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.Optional;

/** Reads and writes csv, tsv and JSON Lines files on an SFTP server. */
public final class SftpConnector implements Connector {
  @Override
  public String name() {
    return "sftp";
  }

  @Override
  public String description() {
    return "Reads and writes csv, tsv and JSON Lines files, plain, gzip or bzip2 (zip read only), on an"
        + " SFTP server.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(
        Role.of(
            RemoteOptions.source(Protocol.SFTP),
            (options, context) ->
                new RemoteSource(new SftpAccess(options, context.localFiles()), options, context)));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(
        Role.of(
            RemoteOptions.sink(Protocol.SFTP),
            (options, context) ->
                new RemoteSink(new SftpAccess(options, context.localFiles()), options, context)));
  }
}
