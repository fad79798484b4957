package io.ferry.connector.sqlserver;

import io.ferry.connector.testkit.ConnectorBehavior;
import io.ferry.connector.testkit.SinkTarget;
import io.ferry.connector.testkit.SinkTestSuite;
import io.ferry.spi.Connector;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

/**
 * The shared sink suite on a SQL Server database. A real server creates each table itself
 * (createTable); on the H2 stand-in the fixture creates it with the dialect's DDL, DATETIMEOFFSET
 * spelt the H2 way, because H2 does not know that type name.
 */
abstract class SqlServerSinkSuite extends SinkTestSuite {
  private final Set<String> prepared = new HashSet<>();

  protected abstract SqlServerTestDatabase database();

  @Override
  protected Connector connector() {
    return new SqlServerConnector();
  }

  @Override
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior == ConnectorBehavior.SINK_FENCES_COMMITS || behavior.byDefault();
  }

  @Override
  protected Map<String, Object> sinkOptions(SinkTarget target) throws Exception {
    Map<String, Object> options = database().options(target.name());
    options.put("keys", "id");
    options.put("batchSize", 64);
    if (database().standIn) {
      if (prepared.add(target.name())) {
        database().create(target.name(), target.schema());
      }
    } else {
      options.put("createTable", true);
      database().createdByConnector(target.name());
    }
    return options;
  }

  @Override
  protected List<Object[]> readBack(SinkTarget target) throws Exception {
    return database().read(target.name(), target.schema());
  }

  @AfterEach
  void dropTables() throws Exception {
    database().dropAll();
  }
}
