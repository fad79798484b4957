package io.ferry.connector.postgresql.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgLogOffsetsTest {
  @Test
  void aPositionHoldsDebeziumsOffsetAsTheStoreKeepsIt() {
    Map<String, Object> offset = new LinkedHashMap<>();
    offset.put("lsn", 0x16B374D848L);
    offset.put("lsn_commit", 0x16B374D800L);
    offset.put("lsn_proc", 0x16B374D848L);
    offset.put("txId", 771L);
    offset.put("ts_usec", 1_700_000_000_000_000L);
    Position p = PgLogOffsets.position(offset);

    assertThat(p.version()).isEqualTo(1);
    assertThat(p.description()).isEqualTo("lsn 16/B374D848 (commit 16/B374D800)");
    // The store's key, spelled as Kafka Connect's JsonConverter writes it.
    assertThat(PgLogOffsets.entries(p))
        .containsOnlyKeys(
            ByteBuffer.wrap("[\"ferry\",{\"server\":\"ferry\"}]".getBytes(StandardCharsets.UTF_8)));
    assertThat(PgLogOffsets.offset(p)).isEqualTo(offset);
    assertThat(PgLogOffsets.lsn(p)).isEqualTo(0x16B374D848L);

    Position decoded = new Position(p.version(), p.bytes().clone(), "x");
    assertThat(decoded).isEqualTo(p);
    assertThat(PgLogOffsets.offset(decoded)).isEqualTo(offset);
  }

  @Test
  void lsnTextRoundTrips() {
    assertThat(PgLogOffsets.lsnText(PgLogOffsets.parseLsn("16/B374D848"))).isEqualTo("16/B374D848");
    assertThat(PgLogOffsets.parseLsn("0/0")).isZero();
    assertThat(PgLogOffsets.lsn(PgLogOffsets.ofLsn(42))).isEqualTo(42);
    assertThatThrownBy(() -> PgLogOffsets.parseLsn("16B374D848"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUnknownVersionIsRefused() {
    Position p = PgLogOffsets.ofLsn(7);
    assertThatThrownBy(() -> PgLogOffsets.entries(new Position(9, p.bytes(), "?")))
        .isInstanceOfSatisfying(
            FerryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_INCOMPATIBLE))
        .hasMessageContaining("version 9");
  }
}
