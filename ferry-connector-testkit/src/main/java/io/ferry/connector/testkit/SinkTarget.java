package io.ferry.connector.testkit;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.Schema;
import java.nio.file.Path;

/**
 * Where one {@link SinkTestSuite} test writes, handed to {@link SinkTestSuite#sinkOptions} and
 * {@link SinkTestSuite#readBack}.
 *
 * @param name a short name, unique within one test; use it for tables, indexes or files
 * @param schema the columns of every batch the sink will receive
 * @param directory an empty folder of this test for files
 */
public record SinkTarget(String name, Schema schema, Path directory) {
  public SinkTarget {
    requireNonNull(name, "name is null");
    requireNonNull(schema, "schema is null");
    requireNonNull(directory, "directory is null");
  }
}
