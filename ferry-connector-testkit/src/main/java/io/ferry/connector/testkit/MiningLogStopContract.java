package io.ferry.connector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.connector.support.ChangeEventJson;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.MiningLog;
import io.ferry.spi.Position;
import java.util.List;
import java.util.function.LongFunction;

/**
 * What every {@link MiningLog} store must do for a table's stop and resume
 * (docs/adr/0009-shared-mining.md): the wish, the stop at the head and mined-to position, the
 * catch-up that moves the stop with its events, the resume after a catch-up (cover kept) and after
 * a lost stop (one number spent, the table covered from it), and the head check on each of them.
 */
public final class MiningLogStopContract {
  private MiningLogStopContract() {}

  /**
   * Runs the contract on a prepared, empty log.
   *
   * @param log the log under test
   * @param other a second handle on the same log (another writer)
   * @param event an event of {@code table} numbered n, with a position of n
   * @param position a position numbered n
   */
  public static void check(
      MiningLog log,
      MiningLog other,
      TableRef table,
      TableRef second,
      LongFunction<ChangeEvent> event,
      LongFunction<Position> position) {
    log.request(List.of(table, second));
    log.cover(List.of(table, second));
    long head = log.append(log.state().head(), encoded(event.apply(1)), position.apply(10));
    long coveredFrom = log.state().tables().get(table);

    assertThatThrownBy(() -> log.askStopped(new TableRef("none", "such"), true))
        .isInstanceOf(FerryException.class)
        .matches(e -> ((FerryException) e).code().equals(ErrorCode.NOT_FOUND))
        .hasMessageContaining("none.such");
    other.askStopped(table, true); // anyone may ask
    MiningLog.State asked = log.state();
    assertThat(asked.stopAsked()).containsExactly(table);
    assertThat(asked.stopped()).isEmpty();

    long h = head;
    assertThatThrownBy(() -> other.stopped(h - 1, table, position.apply(10)))
        .isInstanceOf(FerryException.class)
        .matches(e -> ((FerryException) e).code().equals(MiningLog.CONFLICT));
    log.stopped(head, table, position.apply(10));
    MiningLog.State stopped = log.state();
    assertThat(stopped.stopped()).containsOnlyKeys(table);
    assertThat(stopped.stopped().get(table).at()).isEqualTo(position.apply(10));
    assertThat(stopped.stopped().get(table).head()).isEqualTo(head);
    assertThat(stopped.tables().get(table)).as("still covered").isEqualTo(coveredFrom);

    // The other table goes on; the stopped one is caught up later, its stop moving with it.
    head = log.append(head, encoded(event.apply(2)), position.apply(20));
    log.askStopped(table, false);
    assertThat(log.state().stopAsked()).isEmpty();
    assertThat(log.state().stopped()).as("a resume asked, not done").containsOnlyKeys(table);
    long before = head;
    head = log.caughtUp(head, table, encoded(event.apply(11), event.apply(12)), position.apply(12));
    assertThat(head).isEqualTo(before + 2);
    MiningLog.State caught = log.state();
    assertThat(caught.head()).isEqualTo(head);
    assertThat(caught.minedTo()).as("the run's position stays").isEqualTo(position.apply(20));
    assertThat(caught.stopped().get(table).at()).isEqualTo(position.apply(12));
    assertThat(log.read(before, List.of(table), 10).events())
        .extracting(e -> e.event().position())
        .containsExactly(position.apply(11), position.apply(12));
    head = log.resumed(head, table, true);
    MiningLog.State resumed = log.state();
    assertThat(resumed.stopped()).isEmpty();
    assertThat(resumed.head()).isEqualTo(head);
    assertThat(resumed.tables().get(table)).as("cover kept").isEqualTo(coveredFrom);

    // A stop whose source log was lost: one number spent, the table covered from it.
    log.askStopped(table, true);
    log.stopped(head, table, position.apply(20));
    log.askStopped(table, false);
    long spent = log.resumed(head, table, false);
    assertThat(spent).isEqualTo(head + 1);
    MiningLog.State lost = log.state();
    assertThat(lost.head()).isEqualTo(spent);
    assertThat(lost.tables().get(table)).isEqualTo(spent);
    assertThat(lost.tables().get(second)).isEqualTo(coveredFrom);
    assertThat(lost.stopped()).isEmpty();
    assertThat(log.read(head, List.of(table, second), 10).events()).isEmpty();
    assertThat(log.read(head, List.of(table, second), 10).scannedTo()).isEqualTo(spent);
    long next = log.append(spent, encoded(event.apply(3)), position.apply(30));
    assertThat(next).isEqualTo(spent + 1);
  }

  private static List<MiningLog.Encoded> encoded(ChangeEvent... events) {
    return ChangeEventJson.encoded(List.of(events));
  }
}
