package io.ferry.connector.mongodb;

import io.ferry.connector.support.VersionedCodec;
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
  private static final BsonDocumentCodec BSON = new BsonDocumentCodec();

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

  /** Version 1: the {@code _id} as the BSON of {@code {v: _id}}. */
  private static final VersionedCodec<BsonValue> POSITION_CODEC =
      VersionedCodec.of(
          "MongoDB position",
          1,
          (id, out) -> out.writeBytes(bytes(id)),
          in -> {
            BsonValue id = value(in.readBytes());
            if (id == null) {
              throw VersionedCodec.corrupt("MongoDB position without an _id");
            }
            return id;
          });

  /** The position after the document whose {@code _id} is {@code id}. */
  static Position position(BsonValue id) {
    return POSITION_CODEC.position(
        id, "_id=" + io.ferry.connector.support.Values.abbreviate(BsonValues.toJson(id)));
  }

  /** The last {@code _id} read, from a position. */
  static BsonValue lastId(Position position) {
    return POSITION_CODEC.decode(position);
  }

  /** One value as the BSON of {@code {v: value}}. */
  static byte[] bytes(BsonValue value) {
    BasicOutputBuffer buffer = new BasicOutputBuffer();
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      BSON.encode(writer, new BsonDocument("v", value), EncoderContext.builder().build());
    }
    return buffer.toByteArray();
  }

  static BsonValue value(byte[] bytes) {
    try (BsonBinaryReader reader = new BsonBinaryReader(ByteBuffer.wrap(bytes))) {
      return BSON.decode(reader, DecoderContext.builder().build()).get("v");
    } catch (RuntimeException e) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE, "stored MongoDB _id is corrupt: " + e.getMessage(), e);
    }
  }

  /** Version 1: collection, index, estimated rows, then each bound as a flag and its BSON. */
  static final Codec<Split> CODEC =
      VersionedCodec.of(
          "MongoDB split",
          1,
          (split, out) -> {
            MongoSplit s = (MongoSplit) split;
            out.writeString(s.collection).writeInt(s.index).writeLong(s.rowEstimate);
            out.writeBoolean(s.lower != null);
            if (s.lower != null) {
              out.writeBytes(bytes(s.lower));
            }
            out.writeBoolean(s.upper != null);
            if (s.upper != null) {
              out.writeBytes(bytes(s.upper));
            }
          },
          in -> {
            String collection = in.readString();
            if (collection == null) {
              throw VersionedCodec.corrupt("MongoDB split without collection");
            }
            int index = in.readInt();
            long rows = in.readLong();
            BsonValue lower = in.readBoolean() ? value(in.readBytes()) : null;
            BsonValue upper = in.readBoolean() ? value(in.readBytes()) : null;
            return new MongoSplit(collection, index, lower, upper, rows);
          });
}
