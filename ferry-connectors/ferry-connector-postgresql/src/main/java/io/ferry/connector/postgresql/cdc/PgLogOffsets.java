package io.ferry.connector.postgresql.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Position;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Debezium's offsets as Ferry's checkpoint: the entries of Kafka Connect's offset store (key and
 * value bytes exactly as the engine's {@code JsonConverter} writes them: key {@code
 * ["ferry",{"server":"ferry"}]}, value {@code {"lsn":…,"lsn_commit":…,"lsn_proc":…,"txId":…,
 * "ts_usec":…}}), held in a versioned {@link Position}. A reader opened at a position starts
 * Debezium with exactly these offsets ({@link PgOffsetStore}); no offset file exists.
 *
 * <p>Encoding version 1: the number of entries, then each key's and value's bytes.
 */
final class PgLogOffsets {
  /** The engine's name: the namespace of every offset key. */
  static final String ENGINE = "ferry";

  /** Debezium's {@code topic.prefix}: the partition {@code {"server": "ferry"}}. */
  static final String SERVER = "ferry";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The offset store's entries, in order. */
  record Entries(Map<ByteBuffer, ByteBuffer> map) {
    Entries {
      map = Map.copyOf(map);
    }
  }

  static final VersionedCodec<Entries> CODEC =
      VersionedCodec.of(
          "PostgreSQL log position",
          1,
          (e, out) -> {
            out.writeInt(e.map().size());
            for (Map.Entry<ByteBuffer, ByteBuffer> entry : e.map().entrySet()) {
              out.writeBytes(bytes(entry.getKey()));
              out.writeBytes(bytes(entry.getValue()));
            }
          },
          in -> {
            int n = in.readInt();
            if (n < 0 || n > 1000) {
              throw VersionedCodec.corrupt("PostgreSQL log position with " + n + " entries");
            }
            Map<ByteBuffer, ByteBuffer> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
              map.put(ByteBuffer.wrap(in.readBytes()), ByteBuffer.wrap(in.readBytes()));
            }
            return new Entries(map);
          });

  private PgLogOffsets() {}

  static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }

  /** The store key of the one partition Debezium's PostgreSQL connector uses. */
  static ByteBuffer key() {
    return KEY.duplicate();
  }

  private static final ByteBuffer KEY =
      ByteBuffer.wrap(
          ("[\"" + ENGINE + "\",{\"server\":\"" + SERVER + "\"}]")
              .getBytes(StandardCharsets.UTF_8));

  /** A position of one offset map (a record's source offset), written as the store writes it. */
  static Position position(Map<String, ?> offset) {
    try {
      byte[] value = JSON.writeValueAsBytes(offset);
      Entries e = new Entries(Map.of(KEY, ByteBuffer.wrap(value)));
      return CODEC.position(e, describe(offset.get("lsn"), offset.get("lsn_commit")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A position of the store's entries. */
  static Position ofEntries(Map<ByteBuffer, ByteBuffer> entries) {
    Entries e = new Entries(entries);
    return CODEC.position(e, describe(e));
  }

  /** The position of an LSN with nothing processed yet: where a new stream starts. */
  static Position ofLsn(long lsn) {
    Map<String, Object> offset = new LinkedHashMap<>();
    offset.put("lsn", lsn);
    offset.put("ts_usec", System.currentTimeMillis() * 1000);
    return position(offset);
  }

  /** The store's entries a position holds. */
  static Map<ByteBuffer, ByteBuffer> entries(Position position) {
    return CODEC.decode(position).map();
  }

  /** The offset map of Debezium's partition in a position, or an empty map. */
  static Map<String, Object> offset(Position position) {
    ByteBuffer value = entries(position).get(key());
    if (value == null) {
      return Map.of();
    }
    try {
      JsonNode node = JSON.readTree(bytes(value));
      Map<String, Object> out = new LinkedHashMap<>();
      node.fields()
          .forEachRemaining(
              f ->
                  out.put(
                      f.getKey(),
                      f.getValue().isIntegralNumber()
                          ? (Object) f.getValue().longValue()
                          : f.getValue().isBoolean()
                              ? f.getValue().booleanValue()
                              : f.getValue().isNull() ? null : f.getValue().asText()));
      return out;
    } catch (IOException e) {
      throw VersionedCodec.corrupt("PostgreSQL log position that is not JSON: " + e.getMessage());
    }
  }

  /**
   * The LSN up to which a position has everything: the largest of Debezium's {@code lsn}, {@code
   * lsn_proc} and {@code lsn_commit}, or -1.
   */
  static long lsn(Position position) {
    Map<String, Object> offset = offset(position);
    long max = -1;
    for (String k : List.of("lsn", "lsn_proc", "lsn_commit")) {
      if (offset.get(k) instanceof Long l) {
        max = Math.max(max, l);
      }
    }
    return max;
  }

  /**
   * The order of positions in one database's logical log, as Debezium resumes: by the commit LSN of
   * the transaction ({@code lsn_commit}; a position without one, where a stream starts, by its
   * {@code lsn}), then by the change's own {@code lsn} inside that transaction. Transactions reach
   * the log in commit order; a later transaction's changes may carry lower LSNs than an earlier
   * one's, which is why the commit LSN comes first.
   */
  static int compare(Position a, Position b) {
    long[] ka = orderKey(a);
    long[] kb = orderKey(b);
    int byCommit = Long.compareUnsigned(ka[0], kb[0]);
    return byCommit != 0 ? byCommit : Long.compareUnsigned(ka[1], kb[1]);
  }

  private static long[] orderKey(Position p) {
    Map<String, Object> offset = offset(p);
    if (!(offset.get("lsn") instanceof Long lsn)) {
      throw new io.ferry.spi.FerryException(
          io.ferry.spi.ErrorCode.STATE_INCOMPATIBLE,
          "the PostgreSQL log position "
              + p
              + " has no LSN, so it has no place in the log's order");
    }
    long commit = offset.get("lsn_commit") instanceof Long c ? c : lsn;
    return new long[] {commit, lsn};
  }

  /** {@code 16/B374D848}: PostgreSQL's text form of an LSN. */
  static String lsnText(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase()
        + "/"
        + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
  }

  /** An LSN from its text form {@code 16/B374D848}. */
  static long parseLsn(String text) {
    String[] parts = text.trim().split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("an LSN looks like 16/B374D848, not " + text);
    }
    return (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
  }

  private static String describe(Object lsn, Object commit) {
    return "lsn "
        + (lsn instanceof Number n ? lsnText(n.longValue()) : "?")
        + (commit instanceof Number n ? " (commit " + lsnText(n.longValue()) + ")" : "");
  }

  private static String describe(Entries e) {
    ByteBuffer value = e.map().get(key());
    if (value == null) {
      return "lsn (none)";
    }
    try {
      JsonNode node = JSON.readTree(bytes(value));
      JsonNode lsn = node.get("lsn");
      JsonNode commit = node.get("lsn_commit");
      return "lsn "
          + (lsn == null ? "?" : lsnText(lsn.longValue()))
          + (commit == null || commit.isNull()
              ? ""
              : " (commit " + lsnText(commit.longValue()) + ")");
    } catch (IOException ex) {
      return "lsn ? (" + Arrays.toString(bytes(value)).length() + " bytes)";
    }
  }
}
