package io.ferry.connector.mysql;

import java.util.Map;

/** The shared sink suite with {@code bulkLoad: off}: batched INSERT statements. */
class MySqlBatchedSinkSuiteIT extends MySqlSinkSuiteIT {
  @Override
  protected Map<String, Object> variantOptions() {
    return Map.of("bulkLoad", "off");
  }
}
