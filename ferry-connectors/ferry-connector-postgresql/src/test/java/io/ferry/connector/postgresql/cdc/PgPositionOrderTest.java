package io.ferry.connector.postgresql.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PgPositionOrderTest {
  private static Position change(long commit, long lsn) {
    Map<String, Object> offset = new LinkedHashMap<>();
    offset.put("lsn", lsn);
    offset.put("lsn_commit", commit);
    offset.put("lsn_proc", lsn);
    offset.put("txId", 1L);
    offset.put("ts_usec", 1L);
    return PgLogOffsets.position(offset);
  }

  @Test
  void ordersByCommitLsnThenTheChangesLsn() {
    // Transaction A commits at 0x500 with changes at 0x100 and 0x300; B commits at 0x600 with a
    // change at 0x200 (lower than A's second change: it began earlier, committed later).
    List<Position> sorted =
        List.of(
            PgLogOffsets.ofLsn(0x50),
            change(0x500, 0x100),
            change(0x500, 0x300),
            change(0x600, 0x200),
            change(0x600, 0x580),
            PgLogOffsets.ofLsn(0x700),
            change(0x1_0000_0000L, 0x10)); // past 32 bits
    List<Position> shuffled = new ArrayList<>(sorted);
    Collections.shuffle(shuffled, new java.util.Random(3));
    shuffled.sort(PgLogOffsets::compare);
    assertThat(shuffled).containsExactlyElementsOf(sorted);
    assertThat(PgLogOffsets.compare(change(0x500, 0x300), change(0x500, 0x300))).isZero();
  }

  @Test
  void aPositionWithoutAnLsnHasNoPlace() {
    Position none = PgLogOffsets.position(Map.of("ts_usec", 1L));
    assertThatThrownBy(() -> PgLogOffsets.compare(none, PgLogOffsets.ofLsn(1)))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("has no LSN");
  }
}
