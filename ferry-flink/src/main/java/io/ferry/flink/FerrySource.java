package io.ferry.flink;

import java.util.List;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Ferry job's source as a FLIP-27 source: the enumerator hands out the splits the connector's
 * {@link io.ferry.spi.SplitPlanner} planned (on the driver, so every attempt has the same plan),
 * and each reader reads them with the connector's {@link io.ferry.spi.SplitReader} through the
 * job's pipeline, keeping each split's position in Flink's checkpointed split state.
 */
final class FerrySource implements Source<Chunk, FerrySplit, PendingSplits> {
  private static final long serialVersionUID = 1L;

  private final ShippedJob job;
  private final List<FerrySplit> splits;

  FerrySource(ShippedJob job, List<FerrySplit> splits) {
    this.job = job;
    this.splits = List.copyOf(splits);
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SplitEnumerator<FerrySplit, PendingSplits> createEnumerator(
      SplitEnumeratorContext<FerrySplit> context) {
    return new SplitAssigner(context, splits);
  }

  @Override
  public SplitEnumerator<FerrySplit, PendingSplits> restoreEnumerator(
      SplitEnumeratorContext<FerrySplit> context, PendingSplits checkpoint) {
    return new SplitAssigner(context, checkpoint.splits());
  }

  @Override
  public SimpleVersionedSerializer<FerrySplit> getSplitSerializer() {
    return FerrySplit.Serializer.INSTANCE;
  }

  @Override
  public SimpleVersionedSerializer<PendingSplits> getEnumeratorCheckpointSerializer() {
    return new PendingSplits.Serializer();
  }

  @Override
  public SourceReader<Chunk, FerrySplit> createReader(SourceReaderContext context) {
    return new FerryReader(job, context);
  }
}
