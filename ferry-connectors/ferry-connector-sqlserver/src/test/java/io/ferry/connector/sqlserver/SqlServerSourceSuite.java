package io.ferry.connector.sqlserver;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The shared source suite on a SQL Server database: tables made with the dialect's DDL. */
abstract class SqlServerSourceSuite extends SourceTestSuite {
  protected abstract SqlServerTestDatabase database();

  @Override
  protected Connector connector() {
    return new SqlServerConnector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) throws Exception {
    database().create(request.name(), request.schema());
    database().insert(request.name(), request.schema(), request.rows());
    Map<String, Object> options = database().options(request.name());
    options.put("batchSize", request.batchSize());
    return SourceDataset.holding(options, request.rows());
  }

  @AfterEach
  void dropTables() throws Exception {
    database().dropAll();
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SOURCE_PRESERVES_ORDER || behavior.byDefault();
  }

  /**
   * int8 is created as SMALLINT (TINYINT is unsigned) and reads back as int16; JSON and nested
   * values are NVARCHAR(MAX) text and read back as string. The sink suite writes all of them.
   */
  @Override
  protected boolean supportsType(DataType type) {
    return switch (type.kind()) {
      case INT8, JSON, ROW, ARRAY, MAP -> false;
      default -> true;
    };
  }
}
