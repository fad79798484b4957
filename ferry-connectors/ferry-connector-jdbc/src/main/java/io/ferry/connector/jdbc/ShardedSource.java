package io.ferry.connector.jdbc;

import io.ferry.connector.support.VersionedCodec;
import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.CursorReads;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import io.ferry.spi.TypeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A JDBC source over several tables ({@code tables}) and/or several databases ({@code shards}),
 * read into one target: every table of every shard is a part, a {@link JdbcSource} of its own cut
 * into its own key-range splits, whose positions are the part's own, so a resumed run continues
 * each split exactly where it stopped. The parts must have the same columns (names and types, in
 * order); the rows of all parts have the first part's column names.
 *
 * <p>The combined schema has no key, and {@link #remainder} is empty: a key identifies a row within
 * one table only, and two shards may hold the same key. A sink that removes what an interrupted
 * attempt wrote past its checkpoint by key range therefore cannot do so for these splits; an upsert
 * sink with explicit keys, or a sink that rewrites whole splits, stays exact.
 */
final class ShardedSource implements Source {
  /** One table, or the query, on one database; {@code name} prefixes its split ids. */
  private record Part(String name, String option, JdbcSource source) {}

  private final List<Part> parts;
  private final List<JdbcPool> pools;
  private Schema schema;

  private ShardedSource(List<Part> parts, List<JdbcPool> pools) {
    this.parts = List.copyOf(parts);
    this.pools = List.copyOf(pools);
  }

  /**
   * The source the options describe: a plain {@link JdbcSource} for one table or query on one
   * database, else a source over all the tables of all the shards.
   *
   * @throws InvalidOptionsException naming the options that contradict each other
   */
  static Source open(Dialect dialect, Options options, ConnectorContext context) {
    boolean tables = options.has(JdbcOptions.SOURCE_TABLES);
    boolean shards = options.has(JdbcOptions.SHARDS);
    if (!tables && !shards) {
      return new JdbcSource(dialect, options, context);
    }
    checkOptions(options, tables, shards);
    List<PartSpec> specs = new ArrayList<>();
    if (!shards) {
      ConnectionSettings settings = ConnectionSettings.of(options, dialect, context.localFiles());
      for (String table : options.get(JdbcOptions.SOURCE_TABLES)) {
        specs.add(new PartSpec(table, table, "tables", settings, 0));
      }
    } else {
      specs.addAll(shardParts(dialect, options, context));
    }
    List<JdbcPool> pools = new ArrayList<>();
    List<Part> parts = new ArrayList<>();
    JdbcPool pool = null;
    int shard = -1;
    for (PartSpec spec : specs) {
      if (pool == null || spec.shard() != shard) {
        shard = spec.shard();
        pool =
            new JdbcPool(
                spec.settings(), dialect, context.zone(), JdbcPool.name(context, "source"));
        pools.add(pool);
      }
      JdbcSource source =
          new JdbcSource(
              dialect, options, context, spec.table(), spec.option(), pool, specs.size() == 1);
      parts.add(new Part(spec.name(), spec.option(), source));
    }
    return parts.size() == 1 ? parts.get(0).source() : new ShardedSource(parts, pools);
  }

  /** A part before it is opened: the table (null for the query) and where it is. */
  private record PartSpec(
      String name, String table, String option, ConnectionSettings settings, int shard) {}

  private static void checkOptions(Options options, boolean tables, boolean shards) {
    List<OptionProblem> problems = new ArrayList<>();
    if (tables && options.has(JdbcOptions.SOURCE_TABLE)) {
      problems.add(new OptionProblem("tables", "give table or tables, not both"));
    }
    if (tables && options.has(JdbcOptions.QUERY)) {
      problems.add(new OptionProblem("tables", "give tables or query, not both"));
    }
    if (shards) {
      for (String location : List.of("url", "host", "hosts", "port", "database")) {
        if (options.has(option(location))) {
          problems.add(
              new OptionProblem(
                  location, "not with shards: each shard names its own server and database"));
        }
      }
    }
    if (options.get(JdbcOptions.SNAPSHOT)) {
      problems.add(
          new OptionProblem(
              "snapshot",
              "not with several tables or shards: there is no snapshot across tables and"
                  + " databases"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
  }

  private static io.ferry.spi.Option<?> option(String name) {
    return switch (name) {
      case "url" -> JdbcOptions.URL;
      case "host" -> JdbcOptions.HOST;
      case "hosts" -> JdbcOptions.HOSTS;
      case "port" -> JdbcOptions.PORT;
      default -> JdbcOptions.DATABASE;
    };
  }

  /** Every table of every shard: the shard's own tables, else the source's table(s) or query. */
  private static List<PartSpec> shardParts(
      Dialect dialect, Options options, ConnectorContext context) {
    OptionSet location =
        OptionSet.of(
            JdbcOptions.URL,
            JdbcOptions.HOST,
            JdbcOptions.HOSTS,
            JdbcOptions.PORT,
            JdbcOptions.DATABASE);
    List<Shard> shards = options.get(JdbcOptions.SHARDS);
    List<String> common =
        options.has(JdbcOptions.SOURCE_TABLES)
            ? options.get(JdbcOptions.SOURCE_TABLES)
            : options.has(JdbcOptions.SOURCE_TABLE)
                ? List.of(options.get(JdbcOptions.SOURCE_TABLE))
                : null;
    List<PartSpec> specs = new ArrayList<>();
    List<OptionProblem> problems = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      Shard shard = shards.get(i);
      String path = "shards[" + i + "]";
      ConnectionSettings settings;
      try {
        settings =
            ConnectionSettings.of(
                    location.parse(shard.location()), options, dialect, context.localFiles())
                .reportedOn("shards");
      } catch (InvalidOptionsException e) {
        for (OptionProblem p : e.problems()) {
          problems.add(new OptionProblem("shards", path + "." + p.option() + ": " + p.message()));
        }
        continue;
      }
      List<String> tables = shard.tables() != null ? shard.tables() : common;
      if (tables != null && shard.tables() != null && options.has(JdbcOptions.QUERY)) {
        problems.add(
            new OptionProblem("shards", path + ": not with query: the query runs on every shard"));
      } else if (tables == null && !options.has(JdbcOptions.QUERY)) {
        problems.add(
            new OptionProblem(
                "shards",
                path + ": name the tables: table or tables, beside shards or in the shard"));
      } else if (tables == null) {
        specs.add(new PartSpec("shard-" + i, null, "shards", settings, i));
      } else {
        for (String table : tables) {
          specs.add(new PartSpec("shard-" + i + "." + table, table, "shards", settings, i));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    return specs;
  }

  @Override
  public List<OptionProblem> check() {
    List<OptionProblem> problems = new ArrayList<>();
    for (Part part : parts) {
      for (OptionProblem p : part.source().check()) {
        OptionProblem named =
            new OptionProblem(
                p.option(), part.name() + " (" + describe(part) + "): " + p.message());
        if (!problems.contains(named)) {
          problems.add(named);
        }
      }
    }
    if (problems.isEmpty()) {
      try {
        schema();
      } catch (FerryException e) {
        problems.add(new OptionProblem(e.option(), e.getMessage()));
      }
    }
    return problems;
  }

  private static String describe(Part part) {
    return part.source().description();
  }

  /**
   * The first part's columns, each nullable when it is in any part, without a key.
   *
   * @throws FerryException naming the table and column of the first part that differs
   */
  @Override
  public synchronized Schema schema() {
    if (schema == null) {
      Part first = parts.get(0);
      List<Column> columns = new ArrayList<>(first.source().schema().columns());
      for (Part part : parts.subList(1, parts.size())) {
        List<Column> other = part.source().schema().columns();
        for (int i = 0; i < Math.max(columns.size(), other.size()); i++) {
          Column want = i < columns.size() ? columns.get(i) : null;
          Column got = i < other.size() ? other.get(i) : null;
          if (want == null || got == null || !want.name().equalsIgnoreCase(got.name())) {
            throw mismatch(
                part,
                first,
                (got == null ? "has no column " + want.name() : "has column " + got.name())
                    + " at position "
                    + (i + 1)
                    + " where "
                    + first.name()
                    + (want == null ? " has none" : " has " + want.name()));
          }
          if (!want.type().equals(got.type())) {
            throw mismatch(
                part,
                first,
                "has column "
                    + got.name()
                    + " of type "
                    + got.type()
                    + " where "
                    + first.name()
                    + " has "
                    + want.type());
          }
          if (got.nullable() && !want.nullable()) {
            columns.set(i, new Column(want.name(), want.type(), true));
          }
        }
      }
      schema = Schema.of(columns);
    }
    return schema;
  }

  private static FerryException mismatch(Part part, Part first, String what) {
    return FerryException.option(
        ErrorCode.OPTION_INVALID,
        part.option(),
        part.name()
            + " ("
            + describe(part)
            + ") "
            + what
            + ": the tables read into one target need the same columns in the same order (pick"
            + " them with columns)");
  }

  @Override
  public SplitPlanner planner() {
    return parallelism -> {
      schema();
      List<Split> splits = new ArrayList<>();
      for (int p = 0; p < parts.size(); p++) {
        for (Split inner : parts.get(p).source().planner().plan(parallelism)) {
          splits.add(new PartSplit(p, parts.get(p).name(), (JdbcSplit) inner));
        }
      }
      return splits;
    };
  }

  @Override
  public Codec<Split> splitCodec() {
    return CODEC;
  }

  @Override
  public SplitReader openReader(Split split, Position after) {
    PartSplit s = (PartSplit) split;
    if (s.part() >= parts.size() || !parts.get(s.part()).name().equals(s.partName())) {
      throw new FerryException(
          ErrorCode.STATE_INCOMPATIBLE,
          "split " + s.id() + " belongs to a table or shard this source no longer reads");
    }
    return parts.get(s.part()).source().openReader(s.inner(), after);
  }

  /**
   * Incremental reads over every part: the highest cursor value of all parts, and the range applied
   * to each.
   */
  @Override
  public Optional<CursorReads> cursor(String column) {
    List<CursorReads> cursors = new ArrayList<>();
    for (Part part : parts) {
      cursors.add(part.source().cursor(column).orElseThrow());
    }
    TypeKind kind = cursors.get(0).kind();
    for (int i = 1; i < cursors.size(); i++) {
      if (cursors.get(i).kind() != kind) {
        throw mismatch(
            parts.get(i),
            parts.get(0),
            "has cursor column " + column + " of kind " + cursors.get(i).kind() + ", not " + kind);
      }
    }
    return Optional.of(
        new CursorReads() {
          @Override
          public TypeKind kind() {
            return kind;
          }

          @Override
          @SuppressWarnings({"unchecked", "rawtypes"})
          public Optional<Object> max() {
            Object highest = null;
            for (CursorReads c : cursors) {
              Object v = c.max().orElse(null);
              if (v != null && (highest == null || ((Comparable) v).compareTo(highest) > 0)) {
                highest = v;
              }
            }
            return Optional.ofNullable(highest);
          }

          @Override
          public void restrict(Object lower, boolean lowerInclusive, Object upper) {
            for (CursorReads c : cursors) {
              c.restrict(lower, lowerInclusive, upper);
            }
          }
        });
  }

  @Override
  public OptionalLong estimatedRows() {
    long sum = 0;
    for (Part part : parts) {
      OptionalLong rows = part.source().estimatedRows();
      if (rows.isEmpty()) {
        return OptionalLong.empty();
      }
      sum += rows.getAsLong();
    }
    return OptionalLong.of(sum);
  }

  @Override
  public void close() {
    for (Part part : parts) {
      part.source().close();
    }
    for (JdbcPool pool : pools) {
      pool.close();
    }
  }

  /** A split of one part: the part's place and name, and the part's own split. */
  record PartSplit(int part, String partName, JdbcSplit inner) implements Split {
    @Override
    public String id() {
      return partName + "/" + inner.id();
    }

    @Override
    public OptionalLong estimatedRows() {
      return inner.estimatedRows();
    }

    @Override
    public String toString() {
      return id();
    }
  }

  /** Version 1: the part's place and name, then the part's split in its own codec. */
  private static final Codec<Split> CODEC =
      VersionedCodec.of(
          "JDBC part split",
          1,
          (value, out) -> {
            PartSplit split = (PartSplit) value;
            out.writeInt(split.part());
            out.writeString(split.partName());
            out.writeInt(JdbcSplit.CODEC.version());
            out.writeBytes(JdbcSplit.CODEC.encode(split.inner()));
          },
          in -> {
            int part = in.readInt();
            String name = in.readString();
            int version = in.readInt();
            return new PartSplit(
                part, name, (JdbcSplit) JdbcSplit.CODEC.decode(version, in.readBytes()));
          });
}
