package io.ferry.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CodecTest {
  @Test
  void writerAndReaderRoundTrip() {
    byte[] bytes =
        new Codec.Writer()
            .writeInt(7)
            .writeLong(-1L)
            .writeBoolean(true)
            .writeString("订单 ✓")
            .writeString(null)
            .writeBytes(new byte[] {1, 2, 3})
            .toByteArray();
    Codec.Reader r = new Codec.Reader(bytes);
    assertThat(r.readInt()).isEqualTo(7);
    assertThat(r.readLong()).isEqualTo(-1L);
    assertThat(r.readBoolean()).isTrue();
    assertThat(r.readString()).isEqualTo("订单 ✓");
    assertThat(r.readString()).isNull();
    assertThat(r.readBytes()).containsExactly(1, 2, 3);
  }

  @Test
  void truncatedStateIsAnIncompatibleStateError() {
    byte[] bytes = new Codec.Writer().writeInt(1).toByteArray();
    Codec.Reader r = new Codec.Reader(bytes);
    r.readInt();
    assertThatThrownBy(r::readLong)
        .isInstanceOfSatisfying(
            FerryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_INCOMPATIBLE));
  }

  @Test
  void rowBatchGrowsRetainsAndKeepsItsPosition() {
    RowBatch batch = new RowBatch(2, 2);
    batch.addRow(1L, "a");
    batch.addRow(2L, "b");
    assertThat(batch.isFull()).isTrue();
    batch.addRow(3L, null);
    Position p = new Position(1, new byte[] {3}, "row 3");
    batch.position(p);
    batch.retain(new boolean[] {true, false, true});
    assertThat(batch.size()).isEqualTo(2);
    assertThat(batch.row(1)).containsExactly(3L, null);
    assertThat(batch.position()).isEqualTo(new Position(1, new byte[] {3}, "other text"));
    assertThatThrownBy(() -> batch.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
