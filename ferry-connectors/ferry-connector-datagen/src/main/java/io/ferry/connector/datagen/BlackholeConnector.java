package io.ferry.connector.datagen;

import io.ferry.spi.Connector;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Sink;
import java.util.Optional;

/** {@code blackhole}: a sink that discards every row; for benchmarks and dry runs. No options. */
public final class BlackholeConnector implements Connector {
  static final OptionSet OPTIONS = OptionSet.of();

  @Override
  public String name() {
    return "blackhole";
  }

  @Override
  public String description() {
    return "Discards every row it receives, counting them; for benchmarks and dry runs.";
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(Role.of(OPTIONS, (options, context) -> new BlackholeSink()));
  }
}
