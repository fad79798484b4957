package io.ferry.connector.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.spi.Codec;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import org.junit.jupiter.api.Test;

/** Splits and positions stored by earlier versions of the connector still decode. */
class StoredStateTest {
  @Test
  void aVersion1SplitAsWrittenBeforeDecodes() {
    byte[] stored =
        new Codec.Writer()
            .writeString("/data/a.csv")
            .writeLong(1024)
            .writeLong(4096)
            .writeLong(10_000)
            .toByteArray();
    FileSplit split = new FileSplit("/data/a.csv", 1024, 4096, 10_000);
    assertThat(FileSplit.CODEC.decode(1, stored)).isEqualTo(split);
    assertThat(FileSplit.CODEC.encode(split)).isEqualTo(stored);
    FerryException e =
        catchThrowableOfType(FerryException.class, () -> FileSplit.CODEC.decode(2, stored));
    assertThat(e.code()).isEqualTo(ErrorCode.STATE_INCOMPATIBLE);
    assertThat(e).hasMessage("file split encoding version 2 is unknown; this connector reads 1");
  }

  @Test
  void aVersion1PositionAsWrittenBeforeDecodes() {
    byte[] stored = new Codec.Writer().writeLong(512).writeLong(7).toByteArray();
    assertThat(FilePosition.decode(new Position(1, stored, "offset 512, line 7")))
        .isEqualTo(new FilePosition(512, 7));
    assertThat(new FilePosition(512, 7).encode().bytes()).isEqualTo(stored);
    assertThat(
            catchThrowableOfType(
                    FerryException.class,
                    () -> FilePosition.decode(new Position(3, stored, "offset 512")))
                .code())
        .isEqualTo(ErrorCode.STATE_INCOMPATIBLE);
  }
}
