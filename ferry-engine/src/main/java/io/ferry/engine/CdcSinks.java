package io.ferry.engine;

import io.ferry.engine.internal.DirtyRowCounter;
import io.ferry.spi.Catalog;
import io.ferry.spi.Connector;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.SinkResume;
import io.ferry.spi.SinkWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink of a {@code kind: cdc} job as its run sees it: one sink per captured table, made from
 * the job's sink section with {@code ${table}} replaced by the table's name. As a {@link Sink} it
 * stands for all of them towards {@link JobRun} (resumable, abort and close reach every table's
 * sink); it writes nothing itself.
 */
final class CdcSinks implements Sink {
  private static final Logger log = LoggerFactory.getLogger(CdcSinks.class);

  /** What {@code ${table}} becomes when the options are parsed before the tables are known. */
  static final String PROBE_TABLE = "ferry_cdc_table";

  private final JobSpec spec;
  private final String runKey;
  private final ZoneId zone;
  private final Path work;
  private final DirtyRowCounter dirtyRows;
  private final LocalFiles localFiles;
  private final Connector connector;
  private final RunFence fence;
  private final List<Sink> opened = new ArrayList<>();

  CdcSinks(
      JobSpec spec,
      String runKey,
      ZoneId zone,
      Path work,
      DirtyRowCounter dirtyRows,
      LocalFiles localFiles,
      Connector connector,
      RunFence fence) {
    this.spec = spec;
    this.runKey = runKey;
    this.zone = zone;
    this.work = work;
    this.dirtyRows = dirtyRows;
    this.localFiles = localFiles;
    this.connector = connector;
    this.fence = fence;
  }

  /**
   * The sink section with a stand-in table, for parsing its options before the tables are known.
   */
  static JobSpec.ConnectorSpec probe(JobSpec.ConnectorSpec sink) {
    return withTable(sink, PROBE_TABLE);
  }

  /** The sink section with {@code ${table}} replaced by {@code name} in every text value. */
  static JobSpec.ConnectorSpec withTable(JobSpec.ConnectorSpec sink, String name) {
    Map<String, Object> options = new LinkedHashMap<>();
    sink.options().forEach((k, v) -> options.put(k, replace(v, name)));
    return new JobSpec.ConnectorSpec(sink.section(), sink.connector(), options);
  }

  private static Object replace(Object value, String name) {
    if (value instanceof String s) {
      return s.replace("${table}", name);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> replace(v, name)).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, replace(v, name)));
      return copy;
    }
    return value;
  }

  /** The sink section of {@code table}'s target. */
  JobSpec.ConnectorSpec sectionFor(Catalog.TableRef table) {
    return withTable(spec.sink(), table.name());
  }

  /** Creates the sink of {@code table}'s target; closed with this. */
  synchronized Sink open(Catalog.TableRef table) {
    JobSpec.ConnectorSpec section = sectionFor(table);
    Sink sink =
        connector
            .sink()
            .orElseThrow()
            .create(
                connector.sink().orElseThrow().options().parse(section.options()),
                PreparedJob.sinkContext(spec, runKey, zone, work, dirtyRows, localFiles, fence));
    opened.add(sink);
    return sink;
  }

  /** A cdc run always continues from its checkpoint: every change is applied by key. */
  @Override
  public SinkResume resumeModel() {
    return SinkResume.byKeyRange(schema -> {}, range -> {});
  }

  @Override
  public boolean appliesChanges() {
    return true;
  }

  @Override
  public void prepare(Schema schema) {
    throw new UnsupportedOperationException("a cdc run opens a sink per table");
  }

  @Override
  public SinkWriter createWriter(int writerIndex) {
    throw new UnsupportedOperationException("a cdc run opens a sink per table");
  }

  @Override
  public synchronized void abort() {
    for (Sink sink : opened) {
      try {
        sink.abort();
      } catch (RuntimeException e) {
        log.warn("Run {}: a sink's abort failed: {}", runKey, e.toString());
      }
    }
  }

  @Override
  public synchronized void close() {
    RuntimeException first = null;
    for (Sink sink : opened) {
      try {
        sink.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    opened.clear();
    if (first != null) {
      throw first;
    }
  }
}
