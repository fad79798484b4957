package io.ferry.engine.internal;

import io.ferry.connector.support.Values;
import io.ferry.engine.JobSpec.TransformSpec;
import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import io.ferry.spi.Validator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlContext;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * The built-in transforms and their options. Each transform type declares its options like a
 * connector does, so unknown or wrong options are reported the same way.
 */
public final class Transforms {
  private Transforms() {}

  static final Option<Map<String, String>> RENAME_COLUMNS =
      Option.object("columns", raw -> stringMap(raw, "old name to new name"))
          .required()
          .description("Map of a column's current name to its new name.")
          .build();

  static final Option<Map<String, String>> CAST_COLUMNS =
      Option.object("columns", raw -> stringMap(raw, "column to Ferry type"))
          .required()
          .description(
              "Map of a column to the Ferry type its values become, e.g. {qty: int64, price:"
                  + " decimal(12,2)}. A value that does not convert is a dirty row.")
          .build();

  static final Option<String> COLUMN =
      Option.string("column").required().description("The column to change.").build();

  static final Option<String> PATTERN =
      Option.string("pattern")
          .required()
          .validator(Transforms::checkRegex)
          .description("Java regular expression to find in the value.")
          .build();

  static final Option<String> REPLACEMENT =
      Option.string("replacement")
          .defaultValue("")
          .description("Text that replaces each match; $1.. refer to the pattern's groups.")
          .build();

  static final Option<Integer> KEEP_FIRST =
      Option.integer("keepFirst")
          .defaultValue(0)
          .validator(Validator.atLeast(0))
          .description("Characters left visible at the start.")
          .build();

  static final Option<Integer> KEEP_LAST =
      Option.integer("keepLast")
          .defaultValue(0)
          .validator(Validator.atLeast(0))
          .description("Characters left visible at the end.")
          .build();

  static final Option<String> MASK_CHAR =
      Option.string("maskChar")
          .defaultValue("*")
          .validator(v -> v.codePointCount(0, v.length()) == 1 ? null : "must be one character")
          .description("Character that replaces hidden characters.")
          .build();

  static final Option<Boolean> HASH =
      Option.bool("hash")
          .defaultValue(false)
          .description(
              "Replace the value with its SHA-256 hex digest instead of masking characters:"
                  + " equal values stay equal, so the column can still be joined on.")
          .build();

  static final Option<String> EXPRESSION =
      Option.string("expression")
          .required()
          .description(
              "JEXL expression over the row's columns; rows for which it is true are kept, e.g."
                  + " \"qty > 0 && status != null\".")
          .build();

  static final Option<Integer> START =
      Option.integer("start")
          .required()
          .validator(Validator.atLeast(0))
          .description(
              "Characters skipped at the start (from 0). A shorter value is a dirty row, as in"
                  + " DataX's dx_substr.")
          .build();

  static final Option<Integer> LENGTH =
      Option.integer("length")
          .required()
          .validator(Validator.atLeast(0))
          .description("substr: characters kept (fewer when the value ends); pad: the length.")
          .build();

  static final Option<String> SIDE =
      Option.string("side")
          .defaultValue("left")
          .validator(v -> v.equals("left") || v.equals("right") ? null : "must be left or right")
          .description("Where pad adds characters: left or right.")
          .build();

  static final Option<String> PADDING =
      Option.string("padding")
          .defaultValue(" ")
          .validator(v -> v.isEmpty() ? "must not be empty" : null)
          .description("The characters pad repeats (the last repetition cut to fit).")
          .build();

  private static final Map<String, OptionSet> OPTIONS =
      Map.of(
          "substr", OptionSet.of(COLUMN, START, LENGTH),
          "pad", OptionSet.of(COLUMN, LENGTH, SIDE, PADDING),
          "rename", OptionSet.of(RENAME_COLUMNS),
          "cast", OptionSet.of(CAST_COLUMNS),
          "replace", OptionSet.of(COLUMN, PATTERN, REPLACEMENT),
          "mask", OptionSet.of(COLUMN, KEEP_FIRST, KEEP_LAST, MASK_CHAR, HASH),
          "filter", OptionSet.of(EXPRESSION));

  /** The transform types and their options, for documentation. */
  static Map<String, OptionSet> types() {
    return new java.util.TreeMap<>(OPTIONS);
  }

  /**
   * @throws InvalidOptionsException for unknown, missing or wrong options ({@code type} itself is
   *     checked first)
   * @throws IllegalArgumentException for an unknown type
   */
  public static Transform create(TransformSpec spec, ZoneId zone) {
    OptionSet set = OPTIONS.get(spec.type());
    if (set == null) {
      throw new IllegalArgumentException(
          "unknown transform type '"
              + spec.type()
              + "'; known: "
              + String.join(", ", types().keySet()));
    }
    Options o = set.parse(spec.options());
    return switch (spec.type()) {
      case "rename" -> new Rename(o.get(RENAME_COLUMNS));
      case "cast" -> new Cast(o.get(CAST_COLUMNS), zone);
      case "replace" ->
          new Replace(o.get(COLUMN), Pattern.compile(o.get(PATTERN)), o.get(REPLACEMENT));
      case "substr" -> new Substr(o.get(COLUMN), o.get(START), o.get(LENGTH));
      case "pad" ->
          new Pad(o.get(COLUMN), o.get(LENGTH), o.get(SIDE).equals("left"), o.get(PADDING));
      case "mask" ->
          new Mask(
              o.get(COLUMN), o.get(KEEP_FIRST), o.get(KEEP_LAST), o.get(MASK_CHAR), o.get(HASH));
      default -> new Filter(o.get(EXPRESSION));
    };
  }

  private static Map<String, String> stringMap(Object raw, String what) {
    if (!(raw instanceof Map<?, ?> map) || map.isEmpty()) {
      throw new IllegalArgumentException("expected a map of " + what);
    }
    Map<String, String> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
    return result;
  }

  private static String checkRegex(String regex) {
    try {
      Pattern.compile(regex);
      return null;
    } catch (PatternSyntaxException e) {
      return "not a valid regular expression: " + e.getDescription();
    }
  }

  private static int requireColumn(Schema schema, String column) {
    int index = schema.indexOf(column);
    if (index < 0) {
      throw new IllegalArgumentException(
          "no column '" + column + "'; columns here: " + String.join(", ", schema.names()));
    }
    return index;
  }

  private static int requireStringColumn(Schema schema, String column) {
    int index = requireColumn(schema, column);
    if (schema.column(index).type().kind() != TypeKind.STRING) {
      throw new IllegalArgumentException(
          "column '"
              + column
              + "' is "
              + schema.column(index).type()
              + "; cast it to string first");
    }
    return index;
  }

  static final class Rename implements Transform {
    private final Map<String, String> names;

    Rename(Map<String, String> names) {
      this.names = names;
    }

    @Override
    public Schema bind(Schema input) {
      names.keySet().forEach(name -> requireColumn(input, name));
      List<Column> columns = new ArrayList<>();
      for (Column c : input.columns()) {
        String name = names.getOrDefault(c.name(), c.name());
        columns.add(new Column(name, c.type(), c.nullable()));
      }
      try {
        return Schema.of(columns);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("renaming gives a " + e.getMessage());
      }
    }

    @Override
    public void apply(RowBatch batch, RowFate fate) {}
  }

  static final class Cast implements Transform {
    private final Map<String, DataType> targets = new LinkedHashMap<>();
    private final ZoneId zone;
    private int[] indexes;
    private DataType[] from;
    private DataType[] to;
    private String[] names;

    Cast(Map<String, String> types, ZoneId zone) {
      types.forEach(
          (column, type) -> {
            try {
              targets.put(column, DataType.parse(type));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("column '" + column + "': " + e.getMessage());
            }
          });
      this.zone = zone;
    }

    @Override
    public Schema bind(Schema input) {
      int n = targets.size();
      indexes = new int[n];
      from = new DataType[n];
      to = new DataType[n];
      names = new String[n];
      List<Column> columns = new ArrayList<>(input.columns());
      int i = 0;
      for (Map.Entry<String, DataType> e : targets.entrySet()) {
        int index = requireColumn(input, e.getKey());
        indexes[i] = index;
        from[i] = input.column(index).type();
        to[i] = e.getValue();
        names[i] = e.getKey();
        columns.set(index, new Column(e.getKey(), e.getValue(), input.column(index).nullable()));
        i++;
      }
      return Schema.of(columns);
    }

    @Override
    public void apply(RowBatch batch, RowFate fate) {
      for (int r = 0; r < batch.size(); r++) {
        if (fate.removed(r)) {
          continue;
        }
        for (int i = 0; i < indexes.length; i++) {
          Object value = batch.get(r, indexes[i]);
          try {
            batch.set(r, indexes[i], Values.cast(value, from[i], to[i], zone));
          } catch (IllegalArgumentException | ClassCastException e) {
            fate.dirty(r, names[i], value, "cast to " + to[i] + ": " + e.getMessage());
            break;
          }
        }
      }
    }
  }

  /**
   * Rewrites the values of one string column, value by value: the common part of replace, substr,
   * pad and mask. A value {@link #rewrite} refuses makes its row dirty, with the transform's name
   * and the reason.
   */
  abstract static class StringRewrite implements Transform {
    final String column;
    int index;

    StringRewrite(String column) {
      this.column = column;
    }

    /** The transform's name in a dirty row's reason. */
    abstract String name();

    /**
     * The new value of {@code value}, which is null only when {@link #rewritesNull}.
     *
     * @throws IllegalArgumentException when the value cannot be rewritten
     */
    abstract String rewrite(String value);

    /** Whether NULL is rewritten too; otherwise it stays NULL. */
    boolean rewritesNull() {
      return false;
    }

    @Override
    public Schema bind(Schema input) {
      index = requireStringColumn(input, column);
      return input;
    }

    @Override
    public boolean rewritesValuesOf(int column) {
      return column == index;
    }

    @Override
    public void apply(RowBatch batch, RowFate fate) {
      for (int r = 0; r < batch.size(); r++) {
        Object value = batch.get(r, index);
        if (fate.removed(r) || (value == null && !rewritesNull())) {
          continue;
        }
        try {
          batch.set(r, index, rewrite((String) value));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
          fate.dirty(r, column, value, name() + ": " + e.getMessage());
        }
      }
    }
  }

  static final class Replace extends StringRewrite {
    private final Pattern pattern;
    private final String replacement;

    Replace(String column, Pattern pattern, String replacement) {
      super(column);
      this.pattern = pattern;
      this.replacement = replacement;
    }

    @Override
    String name() {
      return "replace";
    }

    @Override
    String rewrite(String value) {
      return pattern.matcher(value).replaceAll(replacement);
    }
  }

  /** Characters [start, start + length) of a string column, as DataX's dx_substr. */
  static final class Substr extends StringRewrite {
    private final int start;
    private final int length;

    Substr(String column, int start, int length) {
      super(column);
      this.start = start;
      this.length = length;
    }

    @Override
    String name() {
      return "substr";
    }

    @Override
    String rewrite(String s) {
      int n = s.codePointCount(0, s.length());
      if (start > n) {
        throw new IllegalArgumentException(
            "start " + start + " is past the end (" + n + " characters)");
      }
      int from = s.offsetByCodePoints(0, start);
      int to = start + length >= n ? s.length() : s.offsetByCodePoints(from, length);
      return s.substring(from, to);
    }
  }

  /**
   * A string column brought to exactly {@code length} characters, as DataX's dx_pad: longer values
   * keep their first characters, shorter ones get the padding repeated on one side; NULL becomes
   * padding only.
   */
  static final class Pad extends StringRewrite {
    private final int length;
    private final boolean left;
    private final int[] padding;

    Pad(String column, int length, boolean left, String padding) {
      super(column);
      this.length = length;
      this.left = left;
      this.padding = padding.codePoints().toArray();
    }

    @Override
    String name() {
      return "pad";
    }

    @Override
    boolean rewritesNull() {
      return true;
    }

    /** The column is no longer nullable: NULL becomes padding. */
    @Override
    public Schema bind(Schema input) {
      super.bind(input);
      List<Column> columns = new ArrayList<>(input.columns());
      Column c = columns.get(index);
      columns.set(index, new Column(c.name(), c.type(), false));
      return Schema.of(columns);
    }

    @Override
    String rewrite(String value) {
      String s = value == null ? "" : value;
      int n = s.codePointCount(0, s.length());
      if (n >= length) {
        return s.substring(0, s.offsetByCodePoints(0, length));
      }
      StringBuilder pad = new StringBuilder();
      for (int i = 0; i < length - n; i++) {
        pad.appendCodePoint(padding[i % padding.length]);
      }
      return left ? pad + s : s + pad;
    }
  }

  static final class Mask extends StringRewrite {
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(Mask::sha256);

    private final int keepFirst;
    private final int keepLast;
    private final int maskChar;
    private final boolean hash;

    Mask(String column, int keepFirst, int keepLast, String maskChar, boolean hash) {
      super(column);
      this.keepFirst = keepFirst;
      this.keepLast = keepLast;
      this.maskChar = maskChar.codePointAt(0);
      this.hash = hash;
    }

    @Override
    String name() {
      return "mask";
    }

    @Override
    String rewrite(String value) {
      if (hash) {
        return HexFormat.of()
            .formatHex(SHA_256.get().digest(value.getBytes(StandardCharsets.UTF_8)));
      }
      int[] cps = value.codePoints().toArray();
      StringBuilder sb = new StringBuilder(value.length());
      for (int i = 0; i < cps.length; i++) {
        boolean visible = i < keepFirst || i >= cps.length - keepLast;
        sb.appendCodePoint(visible ? cps[i] : maskChar);
      }
      return sb.toString();
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK always has SHA-256", e);
      }
    }
  }

  /** Keeps rows for which a JEXL expression is true; column names are its variables. */
  static final class Filter implements Transform {
    // Restricted permissions: expressions see the row's values, not the JVM's classes.
    private static final JexlEngine JEXL =
        new JexlBuilder()
            .permissions(JexlPermissions.RESTRICTED)
            .strict(true)
            .safe(false)
            .silent(false)
            .cache(64)
            .create();

    private final String source;
    private final JexlScript expression;
    private Schema schema;

    Filter(String source) {
      this.source = source;
      try {
        this.expression = JEXL.createScript(source);
      } catch (JexlException e) {
        throw new IllegalArgumentException(
            "expression '" + source + "' does not parse: " + e.getMessage());
      }
    }

    @Override
    public Schema bind(Schema input) {
      for (List<String> variable : expression.getVariables()) {
        String name = variable.get(0);
        if (input.indexOf(name) < 0) {
          throw new IllegalArgumentException(
              "expression uses '"
                  + name
                  + "', which is not a column; columns here: "
                  + String.join(", ", input.names()));
        }
      }
      this.schema = input;
      return input;
    }

    @Override
    public void apply(RowBatch batch, RowFate fate) {
      RowContext context = new RowContext(schema, batch);
      for (int r = 0; r < batch.size(); r++) {
        if (fate.removed(r)) {
          continue;
        }
        context.row = r;
        Object result;
        try {
          result = expression.execute(context);
        } catch (JexlException e) {
          fate.dirty(r, null, null, "filter '" + source + "' failed: " + e.getMessage());
          continue;
        }
        if (!(result instanceof Boolean keep)) {
          fate.dirty(
              r, null, result, "filter '" + source + "' gave " + result + ", not true or false");
        } else if (!keep) {
          fate.filtered(r);
        }
      }
    }

    /** Exposes one row of a batch as the expression's variables. */
    private static final class RowContext implements JexlContext {
      private final Schema schema;
      private final RowBatch batch;
      int row;

      RowContext(Schema schema, RowBatch batch) {
        this.schema = schema;
        this.batch = batch;
      }

      @Override
      public Object get(String name) {
        return batch.get(row, schema.indexOf(name));
      }

      @Override
      public void set(String name, Object value) {
        throw new UnsupportedOperationException("filter expressions cannot assign '" + name + "'");
      }

      @Override
      public boolean has(String name) {
        return schema.indexOf(name) >= 0;
      }
    }
  }
}
