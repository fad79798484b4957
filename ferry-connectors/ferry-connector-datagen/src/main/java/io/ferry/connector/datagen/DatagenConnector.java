package io.ferry.connector.datagen;

import io.ferry.connector.support.CommonOptions;
import io.ferry.spi.Connector;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Source;
import io.ferry.spi.Validator;
import java.util.List;
import java.util.Optional;

/**
 * {@code datagen}: a source of typed, deterministic rows for tests and benchmarks, like DataX's
 * streamreader but with every Ferry type and exactly reproducible data. See the module's README for
 * the generator kinds and the default schema.
 */
public final class DatagenConnector implements Connector {
  static final Option<Long> ROWS =
      Option.longInteger("rows")
          .defaultValue(1000L)
          .validator(Validator.atLeast(0L))
          .description("Rows to generate in all; the splits share them out.")
          .build();

  static final Option<Long> SEED =
      Option.longInteger("seed")
          .defaultValue(0L)
          .description(
              "Fixes every generated value: the same seed, rows and columns give the same data on"
                  + " every run, whatever the parallelism.")
          .build();

  static final Option<List<ColumnSpec>> COLUMNS =
      Option.object("columns", ColumnSpec::parseAll)
          .description(
              "The columns to generate, each a map of name, type (e.g. decimal(12,2)), kind"
                  + " (sequence, random, constant, choice), the kind's parameters and nullRatio;"
                  + " absent: an 8-column order table (see the README).")
          .build();

  static final Option<Long> ROWS_PER_SECOND =
      Option.longInteger("rowsPerSecond")
          .validator(Validator.atLeast(1L))
          .description(
              "Paces each split reader to at most this many rows per second; absent: as fast as"
                  + " possible. Per reader, not per job: the engine's own rate limits apply to the"
                  + " whole job.")
          .build();

  static final Option<Integer> BATCH_SIZE =
      CommonOptions.batchSize(1024, 1_000_000, "Rows per batch a reader emits.");

  static final OptionSet OPTIONS = OptionSet.of(ROWS, SEED, COLUMNS, ROWS_PER_SECOND, BATCH_SIZE);

  @Override
  public String name() {
    return "datagen";
  }

  @Override
  public String description() {
    return "Generates typed, deterministic rows from a seed, for tests and benchmarks.";
  }

  @Override
  public Optional<Role<Source>> source() {
    return Optional.of(Role.of(OPTIONS, (options, context) -> new DatagenSource(options)));
  }
}
