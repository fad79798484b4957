package io.ferry.connector.oracle;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.DatasetRequest;
import io.ferry.connector.testkit.SourceDataset;
import io.ferry.connector.testkit.SourceTestSuite;
import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The shared source suite on an Oracle database: tables made with the dialect's DDL, filled with
 * plain JDBC. The expected rows are the rows as Oracle holds them (empty strings are NULL).
 */
abstract class OracleSourceSuite extends SourceTestSuite {
  /** The database of this test instance. */
  protected abstract OracleTestDatabase database();

  @Override
  protected Connector connector() {
    return database().connector();
  }

  @Override
  protected SourceDataset createDataset(DatasetRequest request) throws Exception {
    database().create(request.name(), request.schema());
    database().insert(request.name(), request.schema(), request.rows());
    Map<String, Object> options = database().options(request.name());
    options.put("batchSize", request.batchSize());
    return SourceDataset.holding(options, database().asStored(request.schema(), request.rows()));
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
   * Oracle has no type that reads back as boolean, int8, int16, date or time (NUMBER(1), NUMBER(3),
   * NUMBER(5) read as int32, DATE as timestamp(0), a time is VARCHAR2 text), and JSON and nested
   * values are CLOB text: those columns cannot come back with the type they were created from. The
   * sink suite writes all of them.
   */
  @Override
  protected boolean supportsType(DataType type) {
    TypeKind kind = type.kind();
    return switch (kind) {
      case BOOLEAN, INT8, INT16, INT32, DATE, TIME, JSON, ROW, ARRAY, MAP -> false;
      default -> true;
    };
  }
}
