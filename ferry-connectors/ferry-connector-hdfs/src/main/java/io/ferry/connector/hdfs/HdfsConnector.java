package io.ferry.connector.hdfs;

import io.ferry.spi.Connector;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.util.Optional;

/** Reads and writes text, ORC and Parquet files on HDFS (Hive tables' files). */
public final class HdfsConnector implements Connector {
  @Override
  public String name() {
    return "hdfs";
  }

  @Override
  public String description() {
    return "Reads and writes text (csv, tsv, jsonl), ORC and Parquet files on HDFS, such as the"
        + " partitions of Hive tables.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(Role.of(HdfsOptions.SOURCE, HdfsSource::new));
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(Role.of(HdfsOptions.SINK, HdfsSink::new));
  }
}
