package io.ferry.engine;

import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Text ↔ value conversions every text connector runs per field. Score: values per second. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConversionBenchmark {
  private static final DataType PRICE = DataType.decimal(12, 2);
  private final BigDecimal price = new BigDecimal("12345.67");
  private final LocalDateTime time = LocalDateTime.of(2024, 5, 1, 13, 45, 7);

  @Benchmark
  public void parseInt64(Blackhole bh) {
    bh.consume(Values.parse("1234567890", DataType.INT64));
  }

  @Benchmark
  public void parseDecimal(Blackhole bh) {
    bh.consume(Values.parse("12345.67", PRICE));
  }

  @Benchmark
  public void parseTimestamp(Blackhole bh) {
    bh.consume(Values.parse("2024-05-01 13:45:07", DataType.TIMESTAMP));
  }

  @Benchmark
  public void formatDecimal(Blackhole bh) {
    bh.consume(Values.format(price, PRICE));
  }

  @Benchmark
  public void formatTimestamp(Blackhole bh) {
    bh.consume(Values.format(time, DataType.TIMESTAMP));
  }
}
