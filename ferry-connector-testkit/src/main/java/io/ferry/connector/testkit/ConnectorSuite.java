package io.ferry.connector.testkit;

import io.ferry.spi.Connector;
import io.ferry.spi.DataType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What {@link SourceTestSuite} and {@link SinkTestSuite} share: the connector under test, its
 * declared behaviours and types, a fresh {@link TestConnectorContext} per test, and the closing of
 * every source or sink a test opened.
 */
public abstract class ConnectorSuite {
  private TestConnectorContext context;
  private final List<AutoCloseable> opened = new ArrayList<>();

  ConnectorSuite() {}

  /** The connector under test. */
  protected abstract Connector connector();

  /**
   * Whether the connector has {@code behavior}; the default is {@link
   * ConnectorBehavior#byDefault()}.
   */
  protected boolean hasBehavior(ConnectorBehavior behavior) {
    return behavior.byDefault();
  }

  /** Whether the connector handles values of {@code type}; unsupported types are left out. */
  protected boolean supportsType(DataType type) {
    return true;
  }

  /** Rows of the large dataset: cut into several splits at parallelism 4, written by 4 writers. */
  protected int largeRowCount() {
    return 10_000;
  }

  /** This test's context; sources and sinks the suite creates receive it. */
  protected final TestConnectorContext context() {
    return context;
  }

  /** Closes {@code resource} after the test. */
  final <T extends AutoCloseable> T closeAfterTest(T resource) {
    opened.add(resource);
    return resource;
  }

  @BeforeEach
  final void createContext(TestInfo test) {
    context = new TestConnectorContext(test.getTestMethod().map(m -> m.getName()).orElse("test"));
  }

  @AfterEach
  final void closeOpened() throws Exception {
    for (AutoCloseable resource : opened) {
      resource.close();
    }
    opened.clear();
  }
}
