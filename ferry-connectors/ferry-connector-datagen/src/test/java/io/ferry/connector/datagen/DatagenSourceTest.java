package io.ferry.connector.datagen;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Column;
import io.ferry.spi.Connector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared source suite. Datagen cannot hold given rows: the fixture asks for random columns of
 * the requested types ({@code id} as a sequence), and the suite checks every split, resumed reader
 * and decoded split against one reader's full read.
 */
class DatagenSourceTest extends SourceTestSuite {
  @Override
  protected Connector connector() {
    return new DatagenConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) {
    List<Map<String, Object>> columns = new ArrayList<>();
    for (Column column : request.schema().columns()) {
      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("name", column.name());
      spec.put("type", column.type().toString());
      if (column.name().equals("id")) {
        spec.put("kind", "sequence");
        spec.put("start", 0);
      } else {
        spec.put("kind", "random");
        spec.put("nullRatio", column.nullable() ? 0.1 : 0);
      }
      columns.add(spec);
    }
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("rows", request.rowCount());
    options.put("seed", 42);
    options.put("batchSize", request.batchSize());
    options.put("columns", columns);
    return SourceDataset.generated(options);
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return switch (behavior) {
      case SOURCE_PRESERVES_ORDER, SOURCE_EXACT_ROW_ESTIMATE -> true;
      default -> behavior.byDefault();
    };
  }
}
