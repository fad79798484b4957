package io.ferry.connector.elasticsearch;

import io.ferry.spi.Catalog;
import io.ferry.spi.Connector;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.Map;
import java.util.Optional;

/** Elasticsearch 8.x and 7.x: sliced point-in-time or scroll reads, {@code _bulk} writes. */
public final class ElasticsearchConnector implements Connector {
  @Override
  public String name() {
    return "elasticsearch";
  }

  @Override
  public String description() {
    return "Reads Elasticsearch indexes with sliced point-in-time or scroll searches and writes"
        + " them with _bulk, optionally into a new index behind an alias switched at the end.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(Role.of(EsOptions.SOURCE_OPTIONS, EsSource::new));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(Role.of(EsOptions.SINK_OPTIONS, EsSink::new));
  }

  /**
   * A full sync loads a new index named after the run, with ids from the source's key and a mapping
   * from its schema, then moves the alias {@code index} to it and deletes what it pointed at:
   * readers see the old copy until the new one is complete.
   */
  @Override
  public Map<String, Object> fullSyncSinkDefaults() {
    return Map.of("idFromKey", true, "aliasSwitch", true, "deleteOldIndexes", true);
  }

  @Override
  public Optional<Role<Catalog>> catalog() {
    return Optional.of(
        Role.of(
            EsOptions.CATALOG_OPTIONS,
            (options, context) -> new EsCatalog(options, context.localFiles())));
  }
}
