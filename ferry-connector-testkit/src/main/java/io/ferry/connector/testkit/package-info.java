/**
 * The shared tests every Ferry connector passes. A connector's test class extends {@link
 * io.ferry.connector.testkit.SourceTestSuite} or {@link io.ferry.connector.testkit.SinkTestSuite},
 * implements a few hooks and declares its {@link io.ferry.connector.testkit.ConnectorBehavior}s.
 * {@link io.ferry.connector.testkit.Rows} and {@link io.ferry.connector.testkit.ValueComparison}
 * read and compare rows exactly for connector-specific tests too. {@link
 * io.ferry.connector.testkit.BinlogMariaDb} starts a MariaDB with the binlog on for change-capture
 * tests of any module.
 */
package io.ferry.connector.testkit;
