package io.ferry.connector.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.FerryException;
import io.ferry.spi.Position;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinlogPositionOrderTest {
  private static Position p(String file, long offset, long rows) {
    return new BinlogPosition(file, offset, rows, null, 1_700_000_000L).toPosition();
  }

  private final Comparator<Position> order = new MySqlChangeSource.Order();

  @Test
  void ordersByFileThenGroupOffsetThenRowsOfTheGroup() {
    List<Position> sorted =
        List.of(
            p("binlog.000009", 4, 0),
            p("binlog.000009", 900, 0), // between groups: before the group's rows
            p("binlog.000009", 900, 1),
            p("binlog.000009", 900, 2),
            p("binlog.000009", 900, 1_000_000), // far inside a big transaction
            p("binlog.000009", 901, 0),
            p("binlog.000010", 4, 0), // numbered extension, not text order
            p("binlog.1000000", 4, 0)); // past .999999
    List<Position> shuffled = new ArrayList<>(sorted);
    Collections.shuffle(shuffled, new java.util.Random(7));
    shuffled.sort(order);
    assertThat(shuffled).containsExactlyElementsOf(sorted);
    assertThat(order.compare(p("binlog.000009", 900, 2), p("binlog.000009", 900, 2))).isZero();
  }

  @Test
  void theFileStampDoesNotOrder() {
    Position a = new BinlogPosition("b.000001", 10, 0, null, 1).toPosition();
    Position b = new BinlogPosition("b.000001", 10, 0, null, 2).toPosition();
    assertThat(order.compare(a, b)).isZero();
  }

  @Test
  void aGtidStartPositionHasNoPlace() {
    Position gtid = BinlogPosition.ofGtid("0-1-42").toPosition();
    assertThatThrownBy(() -> order.compare(gtid, p("binlog.000001", 4, 0)))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("gtid 0-1-42")
        .hasMessageContaining("GTID");
  }
}
