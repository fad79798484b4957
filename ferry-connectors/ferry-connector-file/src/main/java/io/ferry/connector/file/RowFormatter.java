package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.connector.support.Values;
import io.ferry.spi.Column;
import io.ferry.spi.RowBatch;
import io.ferry.spi.Schema;
import io.ferry.spi.TypeKind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharsetEncoder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * Writes rows as text of one format. A value that cannot be written makes the row a dirty row
 * without leaving any of it in the file: the caller takes the row back ({@link
 * TextBuffer#discardRow}).
 */
abstract class RowFormatter {
  /**
   * Every character the ASCII fast forms of {@link #appendAsciiValue} can write: digits, signs,
   * points, the date and time separators, Z, E of floats, true, false, NaN and Infinity.
   */
  private static final String FAST_CHARS = "0123456789+-.:TZEtruefalsNIiny";

  protected final Schema schema;
  protected final TextLayout layout;
  private final TypeKind[] kinds;
  private final AsciiWriter[] asciiWriters;

  /** Checks that text values fit the charset; null for Unicode charsets, which fit everything. */
  private final CharsetEncoder encoder;

  RowFormatter(Schema schema, TextLayout layout) {
    this.schema = requireNonNull(schema, "schema is null");
    this.layout = requireNonNull(layout, "layout is null");
    this.encoder =
        layout.charset().name().startsWith("UTF-") ? null : layout.charset().newEncoder();
    this.kinds = new TypeKind[schema.size()];
    this.asciiWriters = new AsciiWriter[schema.size()];
    for (int c = 0; c < kinds.length; c++) {
      kinds[c] = schema.column(c).type().kind();
      asciiWriters[c] = formatsDates(kinds[c]) ? null : asciiWriter(kinds[c]);
    }
  }

  static RowFormatter of(Schema schema, TextLayout layout) {
    return switch (layout.format()) {
      case CSV -> new CsvRowFormatter(schema, layout);
      case TSV -> new TsvRowFormatter(schema, layout);
      case JSONL -> new JsonLinesRowFormatter(schema, layout);
    };
  }

  /**
   * Whether the text of a number, boolean or time value may need the format's quoting or escaping,
   * or may equal the null marker: only with a delimiter, quote or null marker made of the
   * characters such text uses. Then that text takes the general path.
   */
  static boolean fastFormsNeedCheck(char delimiter, char quote, String nullMarker) {
    return FAST_CHARS.indexOf(delimiter) >= 0
        || FAST_CHARS.indexOf(quote) >= 0
        || (!nullMarker.isEmpty()
            && nullMarker.chars().allMatch(ch -> FAST_CHARS.indexOf(ch) >= 0));
  }

  /** Writes the header line: the column names. */
  abstract void appendHeader(TextBuffer out) throws IOException;

  /**
   * Writes row {@code row} of {@code batch} followed by a line feed.
   *
   * @throws UnwritableValueException when a value cannot be written; the caller then discards what
   *     was written of the row
   */
  abstract void appendRow(RowBatch batch, int row, TextBuffer out)
      throws IOException, UnwritableValueException;

  /**
   * Writes the text of a value straight into the buffer when it is of a kind whose text is ASCII
   * (numbers, booleans, dates, times) and of the class the kind requires; false otherwise, having
   * written nothing. This skips {@code Values.format}'s strings and its {@code DateTimeFormatter},
   * the costliest part of writing such values; the text is the same, byte for byte.
   */
  protected final boolean appendAsciiValue(Object value, int c, TextBuffer out) throws IOException {
    AsciiWriter writer = asciiWriters[c];
    return writer != null && writer.append(value, out);
  }

  /**
   * Writes a value of one column's kind as ASCII text, or answers false for a value of another
   * class. One small writer per column, chosen once, instead of a switch over every kind for every
   * value: the JIT compiles each writer on its own, small and stable, where the switch made one
   * large method that it compiled again whenever a rarely taken branch was first hit (profiled:
   * three C2 compilations of about 100 ms each in a 2 M-row copy).
   */
  @FunctionalInterface
  private interface AsciiWriter {
    boolean append(Object value, TextBuffer out) throws IOException;
  }

  /** The ASCII writer of a kind; null for kinds whose text may be any Unicode. */
  private static AsciiWriter asciiWriter(TypeKind kind) {
    return switch (kind) {
      case BOOLEAN ->
          (value, out) -> {
            if (value instanceof Boolean b) {
              out.appendBoolean(b);
              return true;
            }
            return false;
          };
      case INT8, INT16, INT32, INT64 ->
          (value, out) -> {
            if (value instanceof Long l) {
              out.appendLong(l);
              return true;
            }
            if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
              out.appendLong(((Number) value).longValue());
              return true;
            }
            return false;
          };
      case FLOAT32, FLOAT64 ->
          (value, out) -> {
            if (value instanceof Double || value instanceof Float) {
              out.appendAscii(value.toString());
              return true;
            }
            return false;
          };
      case DECIMAL ->
          (value, out) -> {
            if (value instanceof BigDecimal d) {
              out.appendDecimal(d);
              return true;
            }
            return false;
          };
      case DATE ->
          (value, out) -> {
            if (value instanceof LocalDate d) {
              if (!appendSpecial(d, out)) {
                out.appendDate(d);
              }
              return true;
            }
            return false;
          };
      case TIME ->
          (value, out) -> {
            if (value instanceof LocalTime t) {
              if (!appendSpecial(t, out)) {
                out.appendTime(t);
              }
              return true;
            }
            return false;
          };
      case TIMESTAMP ->
          (value, out) -> {
            if (value instanceof LocalDateTime t) {
              if (!appendSpecial(t, out)) {
                out.appendTimestamp(t);
              }
              return true;
            }
            return false;
          };
      case TIMESTAMP_TZ ->
          (value, out) -> {
            if (value instanceof OffsetDateTime t) {
              if (!appendSpecial(t, out)) {
                out.appendTimestampTz(t);
              }
              return true;
            }
            return false;
          };
      default -> null;
    };
  }

  /**
   * Writes the text {@link Values#format} gives an infinity or the end of a day ({@code infinity},
   * {@code 24:00:00}); false, having written nothing, for any other temporal value.
   */
  private static boolean appendSpecial(Object value, TextBuffer out) throws IOException {
    String special = Values.specialText(value);
    if (special == null) {
      return false;
    }
    out.appendAscii(special);
    return true;
  }

  /**
   * The text form of a non-null value of column {@code c} that {@link #appendAsciiValue} does not
   * write, checked against the charset.
   */
  protected final String text(Object value, int c) throws UnwritableValueException {
    if (value instanceof String s && (kinds[c] == TypeKind.STRING || kinds[c] == TypeKind.JSON)) {
      // Values.format gives a string itself for these kinds.
      if (encoder != null) {
        checkEncodable(s, schema.column(c));
      }
      return s;
    }
    Column column = schema.column(c);
    String text;
    try {
      text =
          formatsDates(kinds[c]) ? formatDate(value, column) : Values.format(value, column.type());
    } catch (RuntimeException e) {
      throw new UnwritableValueException(
          column.name(),
          value,
          "a " + value.getClass().getSimpleName() + " is not a value of " + column.type());
    }
    checkEncodable(text, column);
    return text;
  }

  /** Whether values of {@code kind} are written with the layout's dateFormat. */
  private boolean formatsDates(TypeKind kind) {
    return layout.dateFormat() != null
        && (kind == TypeKind.DATE || kind == TypeKind.TIMESTAMP || kind == TypeKind.TIMESTAMP_TZ);
  }

  /**
   * A date or timestamp in the layout's dateFormat (a date as its midnight); infinities as {@link
   * Values#format} writes them.
   */
  private String formatDate(Object value, Column column) {
    String special = Values.specialText(value);
    if (special != null) {
      return special;
    }
    if (value instanceof LocalDate d) {
      return layout.dateFormat().format(d.atStartOfDay());
    }
    if (value instanceof LocalDateTime || value instanceof OffsetDateTime) {
      return layout.dateFormat().format((java.time.temporal.TemporalAccessor) value);
    }
    return Values.format(value, column.type());
  }

  protected final void checkEncodable(String text, Column column) throws UnwritableValueException {
    TypeKind kind = column.type().kind();
    if (encoder != null && (!isAsciiKind(kind) || formatsDates(kind)) && !encoder.canEncode(text)) {
      throw new UnwritableValueException(
          column.name(),
          text,
          "the value has characters that " + layout.charset().name() + " cannot write");
    }
  }

  /** The row error for a string with a lone surrogate, which no charset can write. */
  protected final UnwritableValueException unpairedSurrogate(int c, Object value) {
    return new UnwritableValueException(
        schema.column(c).name(),
        value,
        "the value has a lone surrogate character (half of a pair), which "
            + layout.charset().name()
            + " cannot write");
  }

  private static boolean isAsciiKind(TypeKind kind) {
    return kind.isNumeric()
        || kind == TypeKind.BOOLEAN
        || kind == TypeKind.BYTES
        || kind == TypeKind.DATE
        || kind == TypeKind.TIME
        || kind == TypeKind.TIMESTAMP
        || kind == TypeKind.TIMESTAMP_TZ;
  }

  /** A value of a row cannot be written: the row goes to the dirty-data store. */
  static final class UnwritableValueException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String column;
    private final transient Object value;

    UnwritableValueException(String column, Object value, String reason) {
      super(reason, null, false, false);
      this.column = column;
      this.value = value;
    }

    String column() {
      return column;
    }

    Object value() {
      return value;
    }
  }
}
