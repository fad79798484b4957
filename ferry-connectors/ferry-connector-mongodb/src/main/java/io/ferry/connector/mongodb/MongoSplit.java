package io.ferry.connector.mongodb;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import io.ferry.spi.Split;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.bson.BsonBinaryReader;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;

/**
 * The documents whose {@code _id} sorts after {@code lower} (exclusive) and up to {@code upper}
 * (inclusive), in MongoDB's order across types ({@link BsonOrder}). A null bound is open.
 *
 * @param collection the collection, for the id
 * @param index the split's place in the plan
 * @param lower the last {@code _id} of the previous split, or null for the first
 * @param upper the last {@code _id} of this split, or null for the last
 * @param rowEstimate documents expected, or -1 when unknown
 */
record MongoSplit(String collection, int index, BsonValue lower, BsonValue upper, long rowEstimate)
    implements Split {
  static final int VERSION = 1;
  static final int POSITION_VERSION = 1;
  private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

  @Override
  public String id() {
    return collection + "#" + index;
  }

  @Override
  public OptionalLong estimatedRows() {
    return rowEstimate < 0 ? OptionalLong.empty() : OptionalLong.of(rowEstimate);
  }

  @Override
  public String toString() {
    return id()
        + " _id in "
        + (lower == null ? "(start" : "(" + BsonValues.toJson(lower))
        + ", "
        + (upper == null ? "end)" : BsonValues.toJson(upper) + "]");
  }

  /** The position after the document whose {@code _id} is {@code id}. */
  static Position position(BsonValue id) {
    return new Position(
        POSITION_VERSION,
        new Codec.Writer().writeBytes(bytes(id)).toByteArray(),
        "_id=" + io.ferry.connector.support.Values.abbreviate(BsonValues.toJson(id)));
  }

  /** The last {@code _id} read, from a position. */
  static BsonValue lastId(Position position) {
    if (position.version() != POSITION_VERSION) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "MongoDB position of version "
              + position.version()
              + " is unknown; this connector reads "
              + POSITION_VERSION);
    }
    BsonValue id = value(new Codec.Reader(position.bytes()).readBytes());
    if (id == null) {
      throw new FerryException(ErrorCode.STATE_INCOMPATIBLE, "MongoDB position without an _id");
    }
    return id;
  }

  /** One value as the BSON of {@code {v: value}}. */
  static byte[] bytes(BsonValue value) {
    BasicOutputBuffer buffer = new BasicOutputBuffer();
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      CODEC.encode(writer, new BsonDocument("v", value), EncoderContext.builder().build());
    }
    return buffer.toByteArray();
  }

  static BsonValue value(byte[] bytes) {
    try (BsonBinaryReader reader = new BsonBinaryReader(ByteBuffer.wrap(bytes))) {
      return CODEC.decode(reader, DecoderContext.builder().build()).get("v");
    } catch (RuntimeException e) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE, "stored MongoDB _id is corrupt: " + e.getMessage(), e);
    }
  }

  /** Version 1: collection, index, estimated rows, then each bound as a flag and its BSON. */
  static final class SplitCodec implements Codec<Split> {
    @Override
    public int version() {
      return VERSION;
    }

    @Override
    public byte[] encode(Split split) {
      MongoSplit s = (MongoSplit) split;
      Codec.Writer out =
          new Codec.Writer()
              .writeString(s.collection)
              .writeInt(s.index)
              .writeLong(s.rowEstimate)
              .writeBoolean(s.lower != null);
      if (s.lower != null) {
        out.writeBytes(bytes(s.lower));
      }
      out.writeBoolean(s.upper != null);
      if (s.upper != null) {
        out.writeBytes(bytes(s.upper));
      }
      return out.toByteArray();
    }

    @Override
    public Split decode(int version, byte[] bytes) {
      if (version != VERSION) {
        throw new FerryException(
            ErrorCode.STATE_INCOMPATIBLE,
            "MongoDB split encoding version " + version + " is unknown; this connector reads 1");
      }
      Codec.Reader in = new Codec.Reader(bytes);
      String collection = in.readString();
      if (collection == null) {
        throw new FerryException(ErrorCode.STATE_INCOMPATIBLE, "MongoDB split without collection");
      }
      int index = in.readInt();
      long rows = in.readLong();
      BsonValue lower = in.readBoolean() ? value(in.readBytes()) : null;
      BsonValue upper = in.readBoolean() ? value(in.readBytes()) : null;
      return new MongoSplit(collection, index, lower, upper, rows);
    }
  }
}
