package io.ferry.connector.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import org.junit.jupiter.api.Test;

class VersionedCodecTest {
  record Point(String name, long offset) {}

  static final VersionedCodec<Point> V1 =
      VersionedCodec.of(
          "test point",
          1,
          (p, out) -> out.writeString(p.name()).writeLong(p.offset()),
          in -> new Point(in.readString(), in.readLong()));

  @Test
  void bytesAreThoseOfTheWriterAlone() {
    Point p = new Point("a", 42);
    assertThat(V1.encode(p))
        .isEqualTo(new Codec.Writer().writeString("a").writeLong(42).toByteArray());
    assertThat(V1.decode(1, V1.encode(p))).isEqualTo(p);
    Position position = V1.position(p, "offset 42");
    assertThat(position.version()).isEqualTo(1);
    assertThat(V1.decode(position)).isEqualTo(p);
  }

  @Test
  void anUnknownVersionIsIncompatibleState() {
    assertThatThrownBy(() -> V1.decode(2, new byte[0]))
        .isInstanceOf(FerryException.class)
        .hasMessage("test point encoding version 2 is unknown; this connector reads 1")
        .satisfies(
            e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.STATE_INCOMPATIBLE));
  }

  @Test
  void aNewerVersionStillReadsTheOlder() {
    VersionedCodec<Point> v2 =
        VersionedCodec.<Point>of(
                "test point",
                2,
                (p, out) -> out.writeLong(p.offset()).writeString(p.name()),
                in -> {
                  long offset = in.readLong();
                  return new Point(in.readString(), offset);
                })
            .alsoReads(1, in -> new Point(in.readString(), in.readLong()));
    Point p = new Point("b", 7);
    assertThat(v2.decode(1, V1.encode(p))).isEqualTo(p);
    assertThat(v2.decode(2, v2.encode(p))).isEqualTo(p);
    assertThatThrownBy(() -> v2.decode(3, new byte[0])).hasMessageEndingWith("reads [1, 2]");
  }
}
