package io.ferry.connector.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.spi.Connector;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Checks and conversions both suites share. */
final class ConnectorChecks {
  private ConnectorChecks() {}

  /**
   * The connector has a lower-case name and a description and is listed in {@code
   * META-INF/services/io.ferry.spi.Connector}, so the engine finds it.
   */
  static void assertRegistered(Connector connector) {
    assertThat(connector.name()).as("connector name").matches("[a-z][a-z0-9-]*");
    assertThat(connector.description()).as("description of %s", connector.name()).isNotBlank();
    List<String> registered = new ArrayList<>();
    for (Connector c : ServiceLoader.load(Connector.class)) {
      registered.add(c.getClass().getName() + " " + c.name());
    }
    assertThat(registered)
        .as("connectors listed in META-INF/services/io.ferry.spi.Connector")
        .contains(connector.getClass().getName() + " " + connector.name());
  }

  /** Copies of the rows with every top-level TIMESTAMP_TZ value moved to offset UTC. */
  static List<Object[]> offsetsToUtc(Schema schema, List<Object[]> rows) {
    List<Object[]> copies = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      Object[] copy = row.clone();
      for (int c = 0; c < Math.min(copy.length, schema.size()); c++) {
        if (schema.column(c).type().kind() == TypeKind.TIMESTAMP_TZ
            && copy[c] instanceof OffsetDateTime t) {
          copy[c] = t.withOffsetSameInstant(ZoneOffset.UTC);
        }
      }
      copies.add(copy);
    }
    return copies;
  }
}
