package io.ferry.connector.datagen;

import io.ferry.connector.testkit.Rows;
import io.ferry.connector.testkit.TestConnectorContext;
import io.ferry.spi.Connector;
import io.ferry.spi.Source;
import java.util.List;
import java.util.Map;

/** Creates datagen sources from raw options and reads them, as the engine would. */
final class DatagenTestSupport {
  private DatagenTestSupport() {}

  static Source source(Map<String, ?> raw) {
    Connector.Role<Source> role = new DatagenConnector().source().orElseThrow();
    return role.create(role.options().parse(raw), new TestConnectorContext("datagen"));
  }

  /** Every row, reading the splits planned for {@code parallelism} in order. */
  static List<Object[]> read(Source source, int parallelism) {
    return Rows.readSequentially(source, source.planner().plan(parallelism));
  }

  static List<Object[]> read(Map<String, ?> raw) {
    try (Source source = source(raw)) {
      return read(source, 1);
    }
  }

  /** One column spec as a job file writes it: name, type, kind, then parameter pairs. */
  static Map<String, Object> column(String name, String type, String kind, Object... parameters) {
    Map<String, Object> spec = new java.util.LinkedHashMap<>();
    spec.put("name", name);
    spec.put("type", type);
    spec.put("kind", kind);
    for (int i = 0; i < parameters.length; i += 2) {
      spec.put((String) parameters[i], parameters[i + 1]);
    }
    return spec;
  }
}
