package io.ferry.connector.testkit;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.Schema;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link SourceTestSuite} test needs a source to read, handed to {@link
 * SourceTestSuite#createDataset}.
 *
 * @param name a short name for the dataset, unique within one test ({@code standard}, {@code
 *     types}, {@code empty}); use it for tables, topics or files (prefix it when several test
 *     classes share one store)
 * @param schema the columns the source must report, names and types in this order
 * @param rows the rows to store; a store fixture writes exactly these, a generated source produces
 *     {@code rows.size()} rows of {@code schema} of its own
 * @param batchSize rows per batch the source should emit where it has such an option: small values
 *     let the resume test stop after several batches
 * @param directory an empty folder of this test for files the fixture writes
 */
public record DatasetRequest(
    String name, Schema schema, List<Object[]> rows, int batchSize, Path directory) {
  public DatasetRequest {
    requireNonNull(name, "name is null");
    requireNonNull(schema, "schema is null");
    rows = List.copyOf(rows);
    requireNonNull(directory, "directory is null");
  }

  /** How many rows the source must produce. */
  public int rowCount() {
    return rows.size();
  }
}
