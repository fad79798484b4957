package io.ferry.server.catalog;

import io.ferry.spi.Catalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Any connector with a {@link Catalog}: one call per table (the SPI has no bulk listing), each
 * failure logged for that table alone. For stores without a bulk dictionary query in Ferry yet.
 */
final class SpiReader implements MetadataReader {
  /** The database name of stores without schemas. */
  static final String NO_SCHEMA = "";

  private final Catalog catalog;

  SpiReader(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public List<String> databases() {
    List<String> schemas = catalog.schemas();
    return schemas.isEmpty() ? List.of(NO_SCHEMA) : schemas;
  }

  @Override
  public Collected.Database read(String database, ObjectFilter filter) {
    List<Collected.Table> tables = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    List<Collected.Problem> problems = new ArrayList<>();
    for (Catalog.TableRef ref : catalog.tables(database.equals(NO_SCHEMA) ? null : database)) {
      if (!filter.covers(database, ref.name())) {
        continue;
      }
      try {
        Catalog.TableInfo info = catalog.table(ref);
        Map<String, Object> attributes = new TreeMap<>();
        attributes.put("primaryKey", info.primaryKey());
        Map<String, Object> indexes = new TreeMap<>();
        info.indexes()
            .forEach(
                i -> indexes.put(i.name(), Map.of("unique", i.unique(), "columns", i.columns())));
        attributes.put("indexes", indexes);
        Map<String, Object> stats = new TreeMap<>();
        info.rowEstimate().ifPresent(n -> stats.put("rowEstimate", n));
        List<Collected.Column> columns = new ArrayList<>();
        int ordinal = 0;
        for (Catalog.ColumnInfo c : info.columns()) {
          columns.add(
              new Collected.Column(
                  c.name(),
                  ++ordinal,
                  c.nativeType(),
                  c.nullable(),
                  c.defaultValue(),
                  c.comment(),
                  Map.of("ferryType", c.type().toString())));
        }
        tables.add(
            new Collected.Table(ref.name(), "TABLE", info.comment(), attributes, stats, columns));
      } catch (RuntimeException e) {
        unreadable.add(ref.name());
        problems.add(
            new Collected.Problem(
                ref.toString(), CatalogErrors.UNREADABLE, String.valueOf(e.getMessage())));
      }
    }
    return new Collected.Database(database, tables, unreadable, problems);
  }
}
