package io.ferry.connector.hbase;

import io.ferry.spi.Catalog;
import io.ferry.spi.Connector;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.Optional;

/** Reads and writes HBase 2.x tables with the official client. */
public final class HBaseConnector implements Connector {
  @Override
  public String name() {
    return "hbase";
  }

  @Override
  public String description() {
    return "Reads HBase tables split by region with declared row-key and column mappings, and"
        + " writes them through BufferedMutator Puts.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(Role.of(HBaseOptions.SOURCE_OPTIONS, HBaseSource::new));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(Role.of(HBaseOptions.SINK_OPTIONS, HBaseSink::new));
  }

  @Override
  public Optional<Role<Catalog>> catalog() {
    return Optional.of(
        Role.of(HBaseOptions.CATALOG_OPTIONS, (o, c) -> new HBaseCatalog(o, c.localFiles())));
  }
}
