package io.ferry.connector.support;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The one place a connector's persisted payloads (splits, positions) check their encoding version.
 * A codec writes its current version with {@link Codec.Writer} and reads each version it ever wrote
 * with {@link Codec.Reader}; a version it does not know fails with {@link
 * ErrorCode#STATE_INCOMPATIBLE} naming what was stored, the version found and the versions read.
 *
 * <pre>{@code
 * static final VersionedCodec<FilePosition> CODEC =
 *     VersionedCodec.of("file position", 1, FilePosition::write, FilePosition::read);
 * }</pre>
 *
 * <p>When an encoding changes, raise the version and keep reading the old one with {@link
 * #alsoReads}: checkpoints written by an older connector must still decode.
 *
 * @param <T> the encoded class
 */
public final class VersionedCodec<T> implements Codec<T> {
  private final String what;
  private final int version;
  private final BiConsumer<? super T, Codec.Writer> writer;
  private final Map<Integer, Function<Codec.Reader, ? extends T>> readers;

  private VersionedCodec(
      String what,
      int version,
      BiConsumer<? super T, Codec.Writer> writer,
      Map<Integer, Function<Codec.Reader, ? extends T>> readers) {
    this.what = what;
    this.version = version;
    this.writer = writer;
    this.readers = readers;
  }

  /**
   * A codec that writes and reads {@code version}.
   *
   * @param what what is stored, for messages, e.g. {@code "file split"}
   * @param writer writes a value's fields in order
   * @param reader reads them back in the same order
   */
  public static <T> VersionedCodec<T> of(
      String what,
      int version,
      BiConsumer<? super T, Codec.Writer> writer,
      Function<Codec.Reader, ? extends T> reader) {
    requireNonNull(what, "what is null");
    requireNonNull(writer, "writer is null");
    requireNonNull(reader, "reader is null");
    Map<Integer, Function<Codec.Reader, ? extends T>> readers = new TreeMap<>();
    readers.put(version, reader);
    return new VersionedCodec<>(what, version, writer, readers);
  }

  /** This codec, also reading an older version's bytes with {@code reader}. */
  public VersionedCodec<T> alsoReads(int olderVersion, Function<Codec.Reader, ? extends T> reader) {
    if (olderVersion >= version) {
      throw new IllegalArgumentException(
          "version " + olderVersion + " is not older than " + version);
    }
    Map<Integer, Function<Codec.Reader, ? extends T>> more = new TreeMap<>(readers);
    more.put(olderVersion, requireNonNull(reader, "reader is null"));
    return new VersionedCodec<>(what, version, writer, more);
  }

  @Override
  public int version() {
    return version;
  }

  @Override
  public byte[] encode(T value) {
    Codec.Writer out = new Codec.Writer();
    writer.accept(value, out);
    return out.toByteArray();
  }

  @Override
  public T decode(int storedVersion, byte[] bytes) {
    Function<Codec.Reader, ? extends T> reader = readers.get(storedVersion);
    if (reader == null) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          what
              + " encoding version "
              + storedVersion
              + " is unknown; this connector reads "
              + (readers.size() == 1 ? String.valueOf(version) : readers.keySet()));
    }
    return reader.apply(new Codec.Reader(bytes));
  }

  /** {@code value} as a checkpoint position with this codec's version. */
  public Position position(T value, String description) {
    return new Position(version, encode(value), description);
  }

  /** The value a {@link #position} holds. */
  public T decode(Position position) {
    return decode(position.version(), position.bytes());
  }

  /**
   * The error for stored bytes that decode but make no sense, e.g. a split without a file.
   *
   * @param problem what is wrong, e.g. {@code "file split without a file"}
   */
  public static FerryException corrupt(String problem) {
    return new FerryException(ErrorCode.STATE_INCOMPATIBLE, problem);
  }
}
