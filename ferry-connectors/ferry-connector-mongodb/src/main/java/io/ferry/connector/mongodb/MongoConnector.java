package io.ferry.connector.mongodb;

import io.ferry.spi.Catalog;
import io.ferry.spi.Connector;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.Optional;

/** Reads and writes MongoDB collections with the official synchronous driver. */
public final class MongoConnector implements Connector {
  @Override
  public String name() {
    return "mongodb";
  }

  @Override
  public String description() {
    return "Reads MongoDB collections split by _id ranges and writes them with unordered bulk"
        + " inserts, upserts or replaces.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(Role.of(MongoOptions.SOURCE_OPTIONS, MongoSource::new));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(Role.of(MongoOptions.SINK_OPTIONS, MongoSink::new));
  }

  @Override
  public Optional<Role<Catalog>> catalog() {
    return Optional.of(Role.of(MongoOptions.CATALOG_OPTIONS, (o, c) -> new MongoCatalog(o)));
  }

  /** A shared-mining log in collections of this database (docs/shared-mining.md). */
  @Override
  public Optional<Role<io.ferry.spi.MiningLog>> miningLog() {
    return Optional.of(Role.of(MongoMiningLog.OPTIONS, (o, c) -> new MongoMiningLog(o)));
  }
}
