package io.ferry.connector.testkit;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a source fixture returns: the options that make the connector read the dataset, and the rows
 * the source must then produce when the fixture knows them.
 *
 * @param options raw option values, as a job file would give them
 * @param expectedRows the rows the source must produce, in the dataset's order; empty for a
 *     generated source whose rows the fixture does not compute: the suite then takes one reader's
 *     full read as the reference and checks the rest against it
 */
public record SourceDataset(Map<String, Object> options, Optional<List<Object[]>> expectedRows) {
  public SourceDataset {
    options = new LinkedHashMap<>(requireNonNull(options, "options is null"));
    requireNonNull(expectedRows, "expectedRows is null");
    expectedRows = expectedRows.map(List::copyOf);
  }

  /**
   * A store holding {@code rows} (usually {@link DatasetRequest#rows()}), read with {@code
   * options}.
   */
  public static SourceDataset holding(Map<String, ?> options, List<Object[]> rows) {
    return new SourceDataset(new LinkedHashMap<>(options), Optional.of(rows));
  }

  /** A generated source, read with {@code options}, whose rows the suite learns by reading them. */
  public static SourceDataset generated(Map<String, ?> options) {
    return new SourceDataset(new LinkedHashMap<>(options), Optional.empty());
  }
}
