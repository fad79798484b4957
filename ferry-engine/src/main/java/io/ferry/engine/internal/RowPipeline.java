package io.ferry.engine.internal;

import io.ferry.connector.support.Values;
import io.ferry.engine.JobSpec.FieldMapping;
import io.ferry.engine.JobSpecException.Problem;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.DirtyRow;
import io.ferry.spi.DirtyRowSink;
import io.ferry.spi.KeyRange;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to rows between reader and writer: the transforms, then the field mapping and the
 * conversion to the target's column types. Bound once per run against the source's schema; {@link
 * #apply} runs on reader threads and keeps no per-batch state, so one pipeline serves all channels
 * (the transforms it holds are stateless after binding).
 *
 * <p>When nothing changes the rows (no transforms, identity mapping, same types), batches pass
 * through untouched: no copy on the hot path.
 */
public final class RowPipeline {
  private static final Logger log = LoggerFactory.getLogger(RowPipeline.class);

  private final Schema input;
  private final List<Transform> transforms;
  private final Schema afterTransforms;
  private final Schema output;
  private final int[] sourceIndex;
  private final Object[] constants;
  private final DataType[] castFrom;
  private final ZoneId zone;
  private final boolean identity;

  private RowPipeline(
      Schema input,
      List<Transform> transforms,
      Schema afterTransforms,
      Schema output,
      int[] sourceIndex,
      Object[] constants,
      DataType[] castFrom,
      ZoneId zone) {
    this.input = input;
    this.transforms = transforms;
    this.afterTransforms = afterTransforms;
    this.output = output;
    this.sourceIndex = sourceIndex;
    this.constants = constants;
    this.castFrom = castFrom;
    this.zone = zone;
    boolean same = output.size() == afterTransforms.size();
    for (int i = 0; same && i < sourceIndex.length; i++) {
      same = sourceIndex[i] == i && castFrom[i] == null;
    }
    this.identity = same;
  }

  /**
   * Binds transforms and mapping to the source's columns.
   *
   * @param transformPaths each transform's place in the job file, for messages
   * @param mapping explicit mapping, or null for same-name mapping
   * @param target the sink's fixed columns, if it has them
   * @return the pipeline, or the problems found (each naming its place in the job file)
   */
  public static Result bind(
      Schema source,
      List<Transform> transforms,
      List<String> transformPaths,
      List<FieldMapping> mapping,
      Optional<Schema> target,
      ZoneId zone) {
    List<Problem> problems = new ArrayList<>();
    Schema schema = source;
    for (int i = 0; i < transforms.size(); i++) {
      try {
        schema = transforms.get(i).bind(schema);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(transformPaths.get(i), e.getMessage()));
        return new Result(null, problems);
      }
    }
    List<Column> out = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    List<Object> constants = new ArrayList<>();
    if (mapping == null) {
      sameNameMapping(schema, target, out, index, problems);
    } else {
      explicitMapping(schema, mapping, target, zone, out, index, constants, problems);
    }
    if (!problems.isEmpty()) {
      return new Result(null, problems);
    }
    while (constants.size() < out.size()) {
      constants.add(null);
    }
    DataType[] castFrom = new DataType[out.size()];
    for (int i = 0; i < out.size(); i++) {
      int from = index.get(i);
      // A value that already fits the target type passes as it is (DATETIME(0) into a
      // timestamp(6)): no conversion, and the batch may pass through without a copy.
      if (from >= 0
          && !Values.fitsWithoutConversion(schema.column(from).type(), out.get(i).type())) {
        castFrom[i] = schema.column(from).type();
      }
    }
    Schema output;
    try {
      output = Schema.of(out).withKey(mappedKey(source.key(), schema, index, out));
    } catch (IllegalArgumentException e) {
      return new Result(
          null, List.of(new Problem("mapping", "the mapping gives a " + e.getMessage())));
    }
    return new Result(
        new RowPipeline(
            source,
            List.copyOf(transforms),
            schema,
            output,
            index.stream().mapToInt(Integer::intValue).toArray(),
            constants.toArray(),
            castFrom,
            zone),
        List.of());
  }

  /**
   * The source's key under the output's names: each key column must reach the output unchanged in
   * name after the transforms and be mapped to exactly one output column; otherwise the output has
   * no key.
   */
  private static List<String> mappedKey(
      List<String> sourceKey, Schema transformed, List<Integer> index, List<Column> out) {
    List<String> key = new ArrayList<>();
    for (String name : sourceKey) {
      int from = transformed.indexOf(name);
      if (from < 0 || index.indexOf(from) < 0 || index.indexOf(from) != index.lastIndexOf(from)) {
        return List.of();
      }
      key.add(out.get(index.indexOf(from)).name());
    }
    return key;
  }

  /** A bound pipeline, or why it could not be bound. */
  public record Result(RowPipeline pipeline, List<Problem> problems) {}

  private static void sameNameMapping(
      Schema schema,
      Optional<Schema> target,
      List<Column> out,
      List<Integer> index,
      List<Problem> problems) {
    if (target.isEmpty()) {
      for (int i = 0; i < schema.size(); i++) {
        out.add(schema.column(i));
        index.add(i);
      }
      return;
    }
    List<String> unmatched = new ArrayList<>(schema.names());
    for (Column column : target.get().columns()) {
      int from = find(schema, column.name());
      if (from >= 0) {
        out.add(column);
        index.add(from);
        unmatched.remove(schema.column(from).name());
      }
    }
    if (out.isEmpty()) {
      problems.add(
          new Problem(
              "mapping",
              "no source column has the name of a target column; source: "
                  + String.join(", ", schema.names())
                  + "; target: "
                  + String.join(", ", target.get().names())
                  + ". Give mapping: explicitly"));
    } else if (!unmatched.isEmpty()) {
      log.warn("Source columns without a same-name target column are not copied: {}", unmatched);
    }
  }

  private static void explicitMapping(
      Schema schema,
      List<FieldMapping> mapping,
      Optional<Schema> target,
      ZoneId zone,
      List<Column> out,
      List<Integer> index,
      List<Object> constants,
      List<Problem> problems) {
    for (FieldMapping m : mapping) {
      Column targetColumn = null;
      if (target.isPresent()) {
        int t = find(target.get(), m.to());
        if (t < 0) {
          problems.add(
              new Problem(
                  m.path() + ".to",
                  "the target has no column '"
                      + m.to()
                      + "'; its columns: "
                      + String.join(", ", target.get().names())));
          continue;
        }
        targetColumn = target.get().column(t);
      }
      if (m.isConstant()) {
        DataType type = targetColumn != null ? targetColumn.type() : DataType.STRING;
        try {
          constants.add(m.constant() == null ? null : Values.parse(m.constant(), type));
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(m.path() + ".value", e.getMessage()));
          continue;
        }
        out.add(targetColumn != null ? targetColumn : Column.of(m.to(), type));
        index.add(-1);
      } else {
        int from = schema.indexOf(m.from());
        if (from < 0) {
          problems.add(
              new Problem(
                  m.path() + ".from",
                  "no source column '"
                      + m.from()
                      + "'; source columns: "
                      + String.join(", ", schema.names())));
          continue;
        }
        Column sourceColumn = schema.column(from);
        out.add(
            targetColumn != null
                ? targetColumn
                : new Column(m.to(), sourceColumn.type(), sourceColumn.nullable()));
        constants.add(null);
        index.add(from);
      }
    }
  }

  /** Exact name first, then ignoring case (databases fold identifiers differently). */
  private static int find(Schema schema, String name) {
    int exact = schema.indexOf(name);
    if (exact >= 0) {
      return exact;
    }
    for (int i = 0; i < schema.size(); i++) {
      if (schema.column(i).name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The source's key range in the target's terms: column names after renames and the mapping,
   * bounds converted to the target's types. Empty when a key column does not reach the target
   * unchanged (not mapped, or its values rewritten by a transform).
   */
  public Optional<KeyRange> toTarget(KeyRange range) {
    List<String> names = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    Object[] lower = range.lower() == null ? null : new Object[range.columns().size()];
    Object[] upper = range.upper() == null ? null : new Object[range.columns().size()];
    for (int k = 0; k < range.columns().size(); k++) {
      int in = input.indexOf(range.columns().get(k));
      if (in < 0) {
        return Optional.empty();
      }
      for (Transform t : transforms) {
        if (t.rewritesValuesOf(in)) {
          return Optional.empty();
        }
      }
      int out = -1;
      for (int c = 0; c < sourceIndex.length; c++) {
        if (sourceIndex[c] == in) {
          out = c;
          break;
        }
      }
      if (out < 0) {
        return Optional.empty();
      }
      DataType from = range.types().get(k);
      DataType to = output.column(out).type();
      try {
        if (lower != null) {
          lower[k] = Values.cast(range.lower()[k], from, to, zone);
        }
        if (upper != null) {
          upper[k] = Values.cast(range.upper()[k], from, to, zone);
        }
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      names.add(output.column(out).name());
      types.add(to);
    }
    return Optional.of(new KeyRange(names, types, lower, range.lowerInclusive(), upper));
  }

  /** The source's columns, as the pipeline was bound to them. */
  public Schema input() {
    return input;
  }

  /**
   * For each output column, the input column it is copied from (converted to the output's type), or
   * -1 for a constant; empty when transforms run first, so no output column is a plain copy of an
   * input column. For verification, which compares columns inside the stores only when each is a
   * plain copy.
   */
  public Optional<int[]> directInputs() {
    return transforms.isEmpty() ? Optional.of(sourceIndex.clone()) : Optional.empty();
  }

  /** The columns of every batch that leaves the pipeline. */
  public Schema output() {
    return output;
  }

  /**
   * Runs the batch through; the result carries the input's position.
   *
   * @param location names the batch's origin in dirty rows, e.g. the split id
   */
  public RowBatch apply(RowBatch batch, String location, Counters counters) {
    if (transforms.isEmpty() && identity) {
      return batch;
    }
    Fate fate = new Fate(batch, location, counters);
    for (Transform transform : transforms) {
      transform.apply(batch, fate);
    }
    if (identity) {
      if (fate.anyRemoved) {
        batch.retain(fate.keep);
      }
      return batch;
    }
    RowBatch result = new RowBatch(output.size(), batch.size());
    Object[] row = new Object[output.size()];
    rows:
    for (int r = 0; r < batch.size(); r++) {
      if (fate.removed(r)) {
        continue;
      }
      for (int c = 0; c < row.length; c++) {
        int from = sourceIndex[c];
        Object value = from < 0 ? constants[c] : batch.get(r, from);
        if (castFrom[c] != null && value != null) {
          try {
            value = Values.cast(value, castFrom[c], output.column(c).type(), zone);
          } catch (IllegalArgumentException | ClassCastException e) {
            fate.dirty(
                r,
                output.column(c).name(),
                value,
                "cannot convert "
                    + castFrom[c]
                    + " to the target's "
                    + output.column(c).type()
                    + ": "
                    + e.getMessage());
            continue rows;
          }
        }
        row[c] = value;
      }
      result.addRow(row);
    }
    return result.position(batch.position());
  }

  /** Job-wide counters the pipeline updates. */
  public record Counters(LongAdder filtered, DirtyRowSink dirtyRows) {}

  /** Which rows of one batch survive; reports the others. */
  private final class Fate implements Transform.RowFate {
    private final RowBatch batch;
    private final String location;
    private final Counters counters;
    final boolean[] keep;
    boolean anyRemoved;

    Fate(RowBatch batch, String location, Counters counters) {
      this.batch = batch;
      this.location = location;
      this.counters = counters;
      this.keep = new boolean[batch.size()];
      Arrays.fill(keep, true);
    }

    @Override
    public boolean removed(int row) {
      return !keep[row];
    }

    @Override
    public void dirty(int row, String column, Object value, String reason) {
      keep[row] = false;
      anyRemoved = true;
      Map<String, Object> values = new LinkedHashMap<>();
      // Transforms change values in place, so report the row under its post-transform names.
      Schema names = afterTransforms.size() == batch.arity() ? afterTransforms : input;
      for (int c = 0; c < batch.arity(); c++) {
        values.put(names.column(c).name(), batch.get(row, c));
      }
      counters
          .dirtyRows()
          .accept(new DirtyRow(locate(values, names), values, column, value, reason));
    }

    /**
     * The batch's origin and the row's key, {@code split 3 id=4711}, as the source named its key
     * columns; the origin alone when a transform renamed or dropped one of them.
     */
    private String locate(Map<String, Object> values, Schema names) {
      StringBuilder sb = new StringBuilder(location);
      for (String key : input.key()) {
        int c = names.indexOf(key);
        if (c < 0) {
          return location;
        }
        Object v = values.get(key);
        sb.append(sb.length() == location.length() ? " " : ", ")
            .append(key)
            .append('=')
            .append(
                v == null ? "NULL" : Values.abbreviate(Values.format(v, names.column(c).type())));
      }
      return sb.toString();
    }

    @Override
    public void filtered(int row) {
      keep[row] = false;
      anyRemoved = true;
      counters.filtered().increment();
    }
  }
}
