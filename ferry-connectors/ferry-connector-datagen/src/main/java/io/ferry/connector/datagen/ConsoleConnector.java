package io.ferry.connector.datagen;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.Connector;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Sink;
import io.ferry.spi.Validator;
import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code console}: a sink that prints rows to standard output, as TSV with a header or as JSON
 * lines. Progress and the count of rows left unprinted go to standard error.
 */
public final class ConsoleConnector implements Connector {
  /** The formats rows are printed in. */
  enum Format {
    /** A header line of column names, then tab-separated values; {@code \N} is NULL. */
    TSV,
    /** One JSON object per row, keyed by column name. */
    JSON
  }

  static final Option<Format> FORMAT =
      Option.enumeration("format", Format.class)
          .defaultValue(Format.TSV)
          .description(
              "tsv: a header line, then tab-separated values with \\N for NULL and \\t, \\n, \\r,"
                  + " \\\\ escaped; json: one JSON object per line.")
          .build();

  static final Option<Long> MAX_ROWS =
      Option.longInteger("maxRows")
          .validator(Validator.atLeast(0L))
          .description(
              "Prints at most this many rows and counts the rest; absent: prints every row.")
          .build();

  static final OptionSet OPTIONS = OptionSet.of(FORMAT, MAX_ROWS);

  private final PrintStream out;
  private final PrintStream err;

  public ConsoleConnector() {
    this(System.out, System.err);
  }

  /** Prints rows to {@code out} and notes to {@code err}; tests capture both. */
  ConsoleConnector(PrintStream out, PrintStream err) {
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
  }

  @Override
  public String name() {
    return "console";
  }

  @Override
  public String description() {
    return "Prints rows to standard output as TSV or JSON lines.";
  }

  @Override
  public Optional<Role<Sink>> sink() {
    return Optional.of(
        Role.of(
            OPTIONS,
            (options, context) ->
                new ConsoleSink(out, err, options.get(FORMAT), options.get(MAX_ROWS))));
  }
}
