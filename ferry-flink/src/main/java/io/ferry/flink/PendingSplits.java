package io.ferry.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** The enumerator's checkpointed state: the splits not assigned yet, in order. */
record PendingSplits(List<FerrySplit> splits) {
  /** Encodes the enumerator's state. */
  static final class Serializer implements SimpleVersionedSerializer<PendingSplits> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(PendingSplits state) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(state.splits().size());
        for (FerrySplit s : state.splits()) {
          FerrySplit.Serializer.write(out, s);
        }
      }
      return bytes.toByteArray();
    }

    @Override
    public PendingSplits deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("unknown enumerator state version " + version);
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        int n = in.readInt();
        List<FerrySplit> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          splits.add(FerrySplit.Serializer.read(in));
        }
        return new PendingSplits(splits);
      }
    }
  }
}
