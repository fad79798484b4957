package io.ferry.connector.oracle;

import io.ferry.spi.Option;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the sink does with an empty string (or a zero-length byte array), which Oracle cannot hold:
 * it stores {@code ''} as NULL. Ferry keeps NULL and empty apart everywhere else, so the loss is
 * either logged or refused, never silent.
 */
enum EmptyStrings implements Option.Choice {
  /** Write it; Oracle stores NULL. Logged at WARN once per column and sink. */
  NULL("null"),
  /** Send the row to the dirty-data store instead of writing it. */
  DIRTY("dirty");

  private static final Logger LOG = LoggerFactory.getLogger(EmptyStrings.class);

  private final String choice;

  EmptyStrings(String choice) {
    this.choice = choice;
  }

  @Override
  public String choice() {
    return choice;
  }

  /** The policy for one sink: remembers the columns it already warned about. */
  Policy policy() {
    return new Policy(this);
  }

  /** Applies the policy to one empty value; shared by the writers of one sink. */
  static final class Policy {
    private final EmptyStrings mode;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    private Policy(EmptyStrings mode) {
      this.mode = mode;
    }

    /**
     * Called for each empty value about to be bound to {@code column}.
     *
     * @throws IllegalArgumentException in mode {@link #DIRTY}: the row goes to the dirty-data store
     *     with this reason
     */
    void accept(String column) {
      if (mode == DIRTY) {
        throw new IllegalArgumentException(
            "empty value in column "
                + column
                + ": Oracle stores an empty string or zero-length binary as NULL (option"
                + " emptyStrings: dirty)");
      }
      if (warned.add(column)) {
        LOG.warn(
            "Column {} receives an empty value ('' or zero-length binary), which Oracle stores as"
                + " NULL. Further ones in this column are not logged; set emptyStrings: dirty to"
                + " divert such rows to the dirty-data store instead.",
            column);
      }
    }

    EmptyStrings mode() {
      return mode;
    }
  }
}
