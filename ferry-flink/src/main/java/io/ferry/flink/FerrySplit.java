package io.ferry.flink;

import io.ferry.spi.Position;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A split of the connector's plan as Flink's split state: its place in the plan, its encoded form,
 * and the position after the last batch the reader emitted (what a checkpoint keeps, so a restored
 * reader continues there). {@code started} says an earlier attempt may have written rows of it past
 * that position: the sink discards them before the split is written again.
 */
record FerrySplit(int ordinal, String id, byte[] encoded, Position position, boolean started)
    implements SourceSplit, java.io.Serializable {
  @Override
  public String splitId() {
    return id;
  }

  FerrySplit at(Position next) {
    return new FerrySplit(ordinal, id, encoded, next, true);
  }

  FerrySplit restarted() {
    return new FerrySplit(ordinal, id, encoded, position, true);
  }

  /** Encodes splits for Flink's checkpoints. */
  static final class Serializer implements SimpleVersionedSerializer<FerrySplit> {
    static final Serializer INSTANCE = new Serializer();

    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(FerrySplit split) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        write(out, split);
      }
      return bytes.toByteArray();
    }

    @Override
    public FerrySplit deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("unknown split state version " + version);
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        return read(in);
      }
    }

    static void write(DataOutputStream out, FerrySplit split) throws IOException {
      out.writeInt(split.ordinal());
      out.writeUTF(split.id());
      out.writeInt(split.encoded().length);
      out.write(split.encoded());
      out.writeBoolean(split.started());
      Position p = split.position();
      out.writeBoolean(p != null);
      if (p != null) {
        out.writeInt(p.version());
        out.writeInt(p.bytes().length);
        out.write(p.bytes());
        out.writeUTF(p.description());
      }
    }

    static FerrySplit read(DataInputStream in) throws IOException {
      int ordinal = in.readInt();
      String id = in.readUTF();
      byte[] encoded = new byte[in.readInt()];
      in.readFully(encoded);
      boolean started = in.readBoolean();
      Position position = null;
      if (in.readBoolean()) {
        int version = in.readInt();
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        position = new Position(version, b, in.readUTF());
      }
      return new FerrySplit(ordinal, id, encoded, position, started);
    }
  }
}
