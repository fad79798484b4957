package io.ferry.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Position;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split and enumerator states Flink checkpoints: what goes in comes back, versioned. */
class SplitStateTest {
  private static final FerrySplit FRESH =
      new FerrySplit(3, "range-3", new byte[] {1, 2, 3}, null, false);

  @Test
  void aSplitWithItsPositionSurvivesTheCheckpoint() throws IOException {
    FerrySplit moved = FRESH.at(new Position(2, new byte[] {9, 8}, "id=4711"));
    FerrySplit.Serializer serializer = FerrySplit.Serializer.INSTANCE;

    FerrySplit back = serializer.deserialize(serializer.getVersion(), serializer.serialize(moved));

    assertThat(back.ordinal()).isEqualTo(3);
    assertThat(back.id()).isEqualTo("range-3");
    assertThat(back.encoded()).containsExactly(1, 2, 3);
    assertThat(back.position()).isEqualTo(new Position(2, new byte[] {9, 8}, "id=4711"));
    assertThat(back.position().description()).isEqualTo("id=4711");
    assertThat(back.started()).as("a split that moved may have rows in the target").isTrue();
    FerrySplit fresh = serializer.deserialize(1, serializer.serialize(FRESH));
    assertThat(fresh.position()).isNull();
    assertThat(fresh.started()).isFalse();
    assertThatThrownBy(() -> serializer.deserialize(2, serializer.serialize(FRESH)))
        .hasMessageContaining("unknown split state version 2");
  }

  @Test
  void theEnumeratorKeepsItsPendingSplitsInOrder() throws IOException {
    PendingSplits.Serializer serializer = new PendingSplits.Serializer();
    List<FerrySplit> splits = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      splits.add(new FerrySplit(i, "s" + i, new byte[] {(byte) i}, null, i == 1));
    }

    PendingSplits back = serializer.deserialize(1, serializer.serialize(new PendingSplits(splits)));

    assertThat(back.splits()).extracting(FerrySplit::id).containsExactly("s0", "s1", "s2");
    assertThat(back.splits()).extracting(FerrySplit::started).containsExactly(false, true, false);
  }
}
