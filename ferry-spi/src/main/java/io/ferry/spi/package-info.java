/**
 * Ferry's connector contract. A connector implements {@link io.ferry.spi.Connector} and one or more
 * roles: {@link io.ferry.spi.Source} (planned into {@link io.ferry.spi.Split}s, read by {@link
 * io.ferry.spi.SplitReader}s), {@link io.ferry.spi.Sink} (written by {@link
 * io.ferry.spi.SinkWriter}s), {@link io.ferry.spi.Catalog}, and {@link io.ferry.spi.ChangeSource}.
 * Data travels in {@link io.ferry.spi.RowBatch}es typed by {@link io.ferry.spi.DataType}; progress
 * is recorded as versioned {@link io.ferry.spi.Position}s.
 *
 * <p>This package depends on the JDK and slf4j only.
 */
package io.ferry.spi;
