package io.ferry.connector.datagen;

import io.ferry.connector.support.Values;
import io.ferry.spi.DataType;
import io.ferry.spi.TypeKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link ValueGenerator} of a {@link ColumnSpec}, for every Ferry type and generator
 * kind, and checks the spec's parameters on the way.
 *
 * <p>Random strings, bytes and JSON come from a pool of {@value #POOL_SIZE} values per column, made
 * once from (seed, column) and picked by hash: no per-row string building.
 */
final class Generators {
  /** Distinct random strings, byte arrays or JSON documents per column; a power of two. */
  static final int POOL_SIZE = 4096;

  private static final int POOL_SHIFT = 64 - Integer.numberOfTrailingZeros(POOL_SIZE);
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final ZoneOffset[] OFFSETS = {
    ZoneOffset.UTC,
    ZoneOffset.ofHours(8),
    ZoneOffset.ofHours(-5),
    ZoneOffset.ofHoursMinutes(5, 30),
    ZoneOffset.ofHours(1),
    ZoneOffset.ofHours(-8),
    ZoneOffset.ofHours(9),
    ZoneOffset.ofHoursMinutes(-3, -30)
  };
  private static final int DEFAULT_MIN_LENGTH = 8;
  private static final int DEFAULT_MAX_LENGTH = 16;
  private static final int DEFAULT_MAX_ELEMENTS = 4;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Generators() {}

  /**
   * @param seed the dataset's seed
   * @param column the column's index: with the seed it fixes the column's hash stream and pools
   * @param rows rows the dataset holds; sequences must stay within their type for all of them
   * @throws IllegalArgumentException naming the parameter that is wrong
   */
  static ValueGenerator create(ColumnSpec spec, long seed, int column, long rows) {
    long poolBase = SplitMix.mix(SplitMix.columnBase(seed, column) ^ 0x7F4A7C159E3779B9L);
    return switch (spec.kind()) {
      case SEQUENCE -> {
        onlyParameters(spec, "start", "step");
        yield sequence(spec, rows);
      }
      case RANDOM -> {
        onlyParameters(spec, "min", "max", "minLength", "maxLength");
        yield random(spec.type(), spec, poolBase);
      }
      case CONSTANT -> {
        onlyParameters(spec, "value");
        if (spec.value() == null) {
          throw new IllegalArgumentException("kind constant needs 'value'");
        }
        yield constant(parse(spec.value(), spec.type(), "value"), spec.type());
      }
      case CHOICE -> {
        onlyParameters(spec, "values");
        if (spec.values() == null || spec.values().isEmpty()) {
          throw new IllegalArgumentException("kind choice needs a non-empty 'values' list");
        }
        yield choice(spec);
      }
    };
  }

  private static void onlyParameters(ColumnSpec spec, String... allowed) {
    List<String> allowedList = Arrays.asList(allowed);
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("start", spec.start());
    given.put("step", spec.step());
    given.put("min", spec.min());
    given.put("max", spec.max());
    given.put("minLength", spec.minLength());
    given.put("maxLength", spec.maxLength());
    given.put("value", spec.value());
    given.put("values", spec.values());
    for (Map.Entry<String, Object> e : given.entrySet()) {
      if (e.getValue() != null && !allowedList.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "'"
                + e.getKey()
                + "' does not apply to kind "
                + spec.kind()
                + " (it takes "
                + String.join(", ", allowed)
                + ")");
      }
    }
  }

  // ---- sequence -------------------------------------------------------------------------------

  private static ValueGenerator sequence(ColumnSpec spec, long rows) {
    DataType type = spec.type();
    long lastRow = Math.max(0, rows - 1);
    switch (type.kind()) {
      case INT8, INT16, INT32, INT64 -> {
        long start = integer(spec.start(), 0, "start");
        long step = integer(spec.step(), 1, "step");
        BigInteger last =
            BigInteger.valueOf(start)
                .add(BigInteger.valueOf(step).multiply(BigInteger.valueOf(lastRow)));
        BigInteger[] bounds = integerBounds(type.kind());
        if (last.compareTo(bounds[0]) < 0
            || last.compareTo(bounds[1]) > 0
            || BigInteger.valueOf(start).compareTo(bounds[0]) < 0
            || BigInteger.valueOf(start).compareTo(bounds[1]) > 0) {
          throw new IllegalArgumentException(
              "a sequence from "
                  + start
                  + " by "
                  + step
                  + " over "
                  + rows
                  + " rows reaches "
                  + last
                  + ", outside "
                  + type);
        }
        return switch (type.kind()) {
          case INT8 -> (row, hash) -> (byte) (start + row * step);
          case INT16 -> (row, hash) -> (short) (start + row * step);
          case INT32 -> (row, hash) -> (int) (start + row * step);
          default -> (row, hash) -> start + row * step;
        };
      }
      case STRING -> {
        long start = integer(spec.start(), 0, "start");
        long step = integer(spec.step(), 1, "step");
        checkLongSequence(start, step, lastRow);
        return (row, hash) -> Long.toString(start + row * step);
      }
      case FLOAT32, FLOAT64 -> {
        double start = number(spec.start(), "0", "start").doubleValue();
        double step = number(spec.step(), "1", "step").doubleValue();
        return type.kind() == TypeKind.FLOAT32
            ? (row, hash) -> (float) (start + row * step)
            : (row, hash) -> start + row * step;
      }
      case DECIMAL -> {
        long start = unscaled(spec.start() == null ? "0" : spec.start(), type, "start");
        long step = unscaled(spec.step() == null ? "1" : spec.step(), type, "step");
        checkLongSequence(start, step, lastRow);
        unscaled(
            BigDecimal.valueOf(start + lastRow * step, type.scale()).toPlainString(),
            type,
            "the last value");
        int scale = type.scale();
        return (row, hash) -> BigDecimal.valueOf(start + row * step, scale);
      }
      case DATE -> {
        LocalDate start =
            spec.start() == null
                ? LocalDate.of(2024, 1, 1)
                : (LocalDate) parse(spec.start(), type, "start");
        long step = integer(spec.step(), 1, "step");
        long startDay = start.toEpochDay();
        checkLongSequence(startDay, step, lastRow);
        long lastDay = startDay + lastRow * step;
        if (lastDay < LocalDate.MIN.toEpochDay() || lastDay > LocalDate.MAX.toEpochDay()) {
          throw new IllegalArgumentException(
              "a date sequence over " + rows + " rows leaves the calendar");
        }
        return (row, hash) -> LocalDate.ofEpochDay(startDay + row * step);
      }
      case TIMESTAMP, TIMESTAMP_TZ -> {
        OffsetDateTime start =
            spec.start() == null
                ? OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)
                : type.kind() == TypeKind.TIMESTAMP
                    ? ((LocalDateTime) parse(spec.start(), type, "start")).atOffset(ZoneOffset.UTC)
                    : (OffsetDateTime) parse(spec.start(), type, "start");
        BigDecimal stepSeconds = number(spec.step(), "1", "step");
        long stepNanos;
        try {
          stepNanos = stepSeconds.movePointRight(9).longValueExact();
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException(
              "'step' (seconds) must be a whole number of nanoseconds that fits 292 years, got "
                  + spec.step());
        }
        long unit = fractionUnit(type);
        if (stepNanos % unit != 0 || start.getNano() % unit != 0) {
          throw new IllegalArgumentException(
              "'start' and 'step' have more fractional digits than " + type);
        }
        checkLongSequence(0, stepNanos, lastRow);
        long startSecond = start.toEpochSecond();
        int startNano = start.getNano();
        ZoneOffset offset = start.getOffset();
        if (type.kind() == TypeKind.TIMESTAMP) {
          return (row, hash) -> {
            long nanos = startNano + row * stepNanos;
            return LocalDateTime.ofEpochSecond(
                startSecond + Math.floorDiv(nanos, NANOS_PER_SECOND),
                (int) Math.floorMod(nanos, NANOS_PER_SECOND),
                ZoneOffset.UTC);
          };
        }
        return (row, hash) -> {
          long nanos = startNano + row * stepNanos;
          return OffsetDateTime.of(
              LocalDateTime.ofEpochSecond(
                  startSecond + Math.floorDiv(nanos, NANOS_PER_SECOND),
                  (int) Math.floorMod(nanos, NANOS_PER_SECOND),
                  offset),
              offset);
        };
      }
      default ->
          throw new IllegalArgumentException(
              "kind sequence does not apply to "
                  + type
                  + "; it takes integers, floats, decimals, strings, dates and timestamps");
    }
  }

  private static void checkLongSequence(long start, long step, long lastRow) {
    try {
      Math.addExact(start, Math.multiplyExact(step, lastRow));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "a sequence from "
              + start
              + " by "
              + step
              + " overflows 64 bits within "
              + (lastRow + 1)
              + " rows");
    }
  }

  // ---- random ---------------------------------------------------------------------------------

  /**
   * @param spec the column's parameters, or null for the type's defaults (elements of nested types)
   */
  private static ValueGenerator random(DataType type, ColumnSpec spec, long poolBase) {
    String min = spec == null ? null : spec.min();
    String max = spec == null ? null : spec.max();
    Integer minLength = spec == null ? null : spec.minLength();
    Integer maxLength = spec == null ? null : spec.maxLength();
    TypeKind kind = type.kind();
    boolean lengths =
        kind == TypeKind.STRING
            || kind == TypeKind.BYTES
            || kind == TypeKind.ARRAY
            || kind == TypeKind.MAP;
    boolean bounds =
        kind.isNumeric()
            || kind == TypeKind.DATE
            || kind == TypeKind.TIME
            || kind == TypeKind.TIMESTAMP
            || kind == TypeKind.TIMESTAMP_TZ;
    if (!lengths && (minLength != null || maxLength != null)) {
      throw new IllegalArgumentException("lengths do not apply to random " + type);
    }
    if (!bounds && (min != null || max != null)) {
      throw new IllegalArgumentException("'min' and 'max' do not apply to random " + type);
    }
    switch (kind) {
      case BOOLEAN:
        return (row, hash) -> hash < 0 ? Boolean.TRUE : Boolean.FALSE;
      case INT8:
      case INT16:
      case INT32:
      case INT64:
        {
          BigInteger[] b = integerBounds(kind);
          long lo = integer(min, b[0].longValueExact(), "min");
          long hi = integer(max, b[1].longValueExact(), "max");
          checkOrder(
              BigInteger.valueOf(lo).compareTo(BigInteger.valueOf(hi)) <= 0,
              min,
              max,
              b[0],
              b[1],
              type);
          checkOrder(
              BigInteger.valueOf(lo).compareTo(b[0]) >= 0
                  && BigInteger.valueOf(hi).compareTo(b[1]) <= 0,
              min,
              max,
              b[0],
              b[1],
              type);
          long span = hi - lo + 1; // unsigned; 0 means the full 64-bit range
          return switch (kind) {
            case INT8 -> (row, hash) -> (byte) (lo + SplitMix.below(hash, span));
            case INT16 -> (row, hash) -> (short) (lo + SplitMix.below(hash, span));
            case INT32 -> (row, hash) -> (int) (lo + SplitMix.below(hash, span));
            default -> (row, hash) -> lo + SplitMix.below(hash, span);
          };
        }
      case FLOAT32:
      case FLOAT64:
        {
          double lo = number(min, "0", "min").doubleValue();
          double hi = number(max, "1", "max").doubleValue();
          checkOrder(lo <= hi, min, max, 0, 1, type);
          double width = hi - lo;
          return kind == TypeKind.FLOAT32
              ? (row, hash) -> (float) (lo + SplitMix.unit(hash) * width)
              : (row, hash) -> lo + SplitMix.unit(hash) * width;
        }
      case DECIMAL:
        {
          // Unscaled values must fit 64 bits: by default ±(10^min(precision, 18) - 1).
          long limit = BigInteger.TEN.pow(Math.min(type.precision(), 18)).longValueExact() - 1;
          long lo = min == null ? -limit : unscaled(min, type, "min");
          long hi = max == null ? limit : unscaled(max, type, "max");
          checkOrder(lo <= hi, min, max, -limit, limit, type);
          long span = hi - lo + 1;
          int scale = type.scale();
          return (row, hash) -> BigDecimal.valueOf(lo + SplitMix.below(hash, span), scale);
        }
      case STRING:
        {
          String[] pool = new String[POOL_SIZE];
          int[] range = lengths(minLength, maxLength, DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH);
          for (int i = 0; i < POOL_SIZE; i++) {
            pool[i] = randomText(SplitMix.hash(poolBase, i), range[0], range[1]);
          }
          return (row, hash) -> pool[(int) (hash >>> POOL_SHIFT)];
        }
      case BYTES:
        {
          byte[][] pool = new byte[POOL_SIZE][];
          int[] range = lengths(minLength, maxLength, DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH);
          for (int i = 0; i < POOL_SIZE; i++) {
            long h = SplitMix.hash(poolBase, i);
            byte[] bytes = new byte[range[0] + (int) SplitMix.below(h, range[1] - range[0] + 1)];
            for (int j = 0; j < bytes.length; j++) {
              bytes[j] = (byte) SplitMix.mix(h + j);
            }
            pool[i] = bytes;
          }
          // byte[] is mutable: every row gets its own copy.
          return (row, hash) -> pool[(int) (hash >>> POOL_SHIFT)].clone();
        }
      case DATE:
        {
          long lo = ((LocalDate) bound(min, "2000-01-01", type, "min")).toEpochDay();
          long hi = ((LocalDate) bound(max, "2030-12-31", type, "max")).toEpochDay();
          checkOrder(lo <= hi, min, max, "2000-01-01", "2030-12-31", type);
          long span = hi - lo + 1;
          return (row, hash) -> LocalDate.ofEpochDay(lo + SplitMix.below(hash, span));
        }
      case TIME:
        {
          long unit = fractionUnit(type);
          // The last time of day at the type's digits; at 9 digits one unit less, since Ferry's
          // time reads 23:59:59.999999999 as 24:00:00 (Values.END_OF_DAY).
          LocalTime last = LocalTime.MAX.minusNanos(LocalTime.MAX.getNano() % unit);
          String defaultMax = (Values.isEndOfDay(last) ? last.minusNanos(unit) : last).toString();
          long lo = ((LocalTime) bound(min, "00:00", type, "min")).toNanoOfDay();
          long hi = ((LocalTime) bound(max, defaultMax, type, "max")).toNanoOfDay();
          checkOrder(lo <= hi, min, max, "00:00", defaultMax, type);
          checkFraction(lo, unit, type, "min");
          checkFraction(hi, unit, type, "max");
          long span = (hi - lo) / unit + 1;
          return (row, hash) -> LocalTime.ofNanoOfDay(lo + SplitMix.below(hash, span) * unit);
        }
      case TIMESTAMP:
      case TIMESTAMP_TZ:
        return randomTimestamp(type, min, max);
      case JSON:
        {
          String[] pool = new String[POOL_SIZE];
          for (int i = 0; i < POOL_SIZE; i++) {
            long h = SplitMix.hash(poolBase, i);
            pool[i] =
                "{\"id\":"
                    + (h >>> 44)
                    + ",\"name\":\""
                    + randomText(SplitMix.mix(h + 1), 4, 10)
                    + "\",\"score\":"
                    + BigDecimal.valueOf(SplitMix.below(SplitMix.mix(h + 2), 100_000), 2)
                    + ",\"active\":"
                    + (h < 0)
                    + ",\"tags\":[\""
                    + randomText(SplitMix.mix(h + 3), 3, 6)
                    + "\"]}";
          }
          return (row, hash) -> pool[(int) (hash >>> POOL_SHIFT)];
        }
      case ARRAY:
        {
          int[] range = lengths(minLength, maxLength, 0, DEFAULT_MAX_ELEMENTS);
          ValueGenerator element = random(type.elementType(), null, SplitMix.mix(poolBase + 1));
          int least = range[0];
          int spread = range[1] - range[0] + 1;
          return (row, hash) -> {
            Object[] elements = new Object[least + (int) SplitMix.below(hash, spread)];
            for (int j = 0; j < elements.length; j++) {
              elements[j] =
                  element.value(row, SplitMix.mix(hash + (j + 1) * SplitMix.GOLDEN_GAMMA));
            }
            return List.of(elements);
          };
        }
      case MAP:
        {
          int[] range = lengths(minLength, maxLength, 0, DEFAULT_MAX_ELEMENTS);
          ValueGenerator key = random(type.keyType(), null, SplitMix.mix(poolBase + 1));
          ValueGenerator value = random(type.valueType(), null, SplitMix.mix(poolBase + 2));
          int least = range[0];
          int spread = range[1] - range[0] + 1;
          return (row, hash) -> {
            int entries = least + (int) SplitMix.below(hash, spread);
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int j = 0; j < entries; j++) {
              long h = SplitMix.mix(hash + (j + 1) * SplitMix.GOLDEN_GAMMA);
              // Equal keys collapse (a map<boolean, ...> has at most two entries).
              map.put(key.value(row, h), value.value(row, SplitMix.mix(h)));
            }
            return Collections.unmodifiableMap(map);
          };
        }
      case ROW:
        {
          List<DataType.Field> fields = type.fields();
          ValueGenerator[] generators = new ValueGenerator[fields.size()];
          for (int i = 0; i < generators.length; i++) {
            generators[i] = random(fields.get(i).type(), null, SplitMix.mix(poolBase + 1 + i));
          }
          return (row, hash) -> {
            Object[] values = new Object[generators.length];
            for (int i = 0; i < values.length; i++) {
              values[i] =
                  generators[i].value(row, SplitMix.mix(hash + (i + 1) * SplitMix.GOLDEN_GAMMA));
            }
            return values;
          };
        }
      default:
        throw new IllegalStateException("no random generator for " + type);
    }
  }

  private static ValueGenerator randomTimestamp(DataType type, String min, String max) {
    boolean zoned = type.kind() == TypeKind.TIMESTAMP_TZ;
    OffsetDateTime lo = timestampBound(min, "2020-01-01T00:00:00", type, "min");
    OffsetDateTime hi = timestampBound(max, "2030-01-01T00:00:00", type, "max");
    checkOrder(!lo.isAfter(hi), min, max, "2020-01-01T00:00:00", "2030-01-01T00:00:00", type);
    long unit = fractionUnit(type);
    checkFraction(lo.getNano(), unit, type, "min");
    checkFraction(hi.getNano(), unit, type, "max");
    long loSecond = lo.toEpochSecond();
    long hiSecond = hi.toEpochSecond();
    long loUnits = lo.getNano() / unit;
    long hiUnits = hi.getNano() / unit;
    long unitsPerSecond = NANOS_PER_SECOND / unit;
    long secondSpan = hiSecond - loSecond + 1;
    return (row, hash) -> {
      // Second and fraction drawn apart (no overflow at nanosecond precision), clamped at the ends.
      long second = loSecond + SplitMix.below(hash, secondSpan);
      long fractionHash = SplitMix.mix(hash);
      long units = SplitMix.below(fractionHash, unitsPerSecond);
      if (second == loSecond && units < loUnits) {
        units = loUnits;
      }
      if (second == hiSecond && units > hiUnits) {
        units = hiUnits;
      }
      int nanos = (int) (units * unit);
      if (!zoned) {
        return LocalDateTime.ofEpochSecond(second, nanos, ZoneOffset.UTC);
      }
      ZoneOffset offset = OFFSETS[(int) (fractionHash >>> 61)];
      return OffsetDateTime.of(LocalDateTime.ofEpochSecond(second, nanos, offset), offset);
    };
  }

  private static OffsetDateTime timestampBound(
      String text, String fallback, DataType type, String key) {
    Object value =
        bound(
            text,
            type.kind() == TypeKind.TIMESTAMP_TZ && text == null ? fallback + "Z" : fallback,
            type,
            key);
    return value instanceof LocalDateTime t ? t.atOffset(ZoneOffset.UTC) : (OffsetDateTime) value;
  }

  /** Readable text: letters and digits, length in [min, max], from the hash stream at {@code h}. */
  private static String randomText(long h, int min, int max) {
    int length = min + (int) SplitMix.below(h, max - min + 1);
    char[] chars = new char[length];
    long bits = SplitMix.mix(h);
    for (int i = 0; i < length; i++) {
      if (i % 10 == 9) {
        bits = SplitMix.mix(bits + i);
      }
      chars[i] = ALPHABET.charAt((int) SplitMix.below(bits << (6 * (i % 10)), ALPHABET.length()));
    }
    return new String(chars);
  }

  // ---- constant and choice --------------------------------------------------------------------

  private static ValueGenerator constant(Object value, DataType type) {
    if (isMutable(type)) {
      return (row, hash) -> deepCopy(value);
    }
    return (row, hash) -> value;
  }

  private static ValueGenerator choice(ColumnSpec spec) {
    Object[] choices = new Object[spec.values().size()];
    for (int i = 0; i < choices.length; i++) {
      choices[i] = parse(spec.values().get(i), spec.type(), "values[" + i + "]");
    }
    long count = choices.length;
    if (isMutable(spec.type())) {
      return (row, hash) -> deepCopy(choices[(int) SplitMix.below(hash, count)]);
    }
    return (row, hash) -> choices[(int) SplitMix.below(hash, count)];
  }

  /** Whether values of the type can be changed in place by whoever receives them. */
  private static boolean isMutable(DataType type) {
    return type.kind() == TypeKind.BYTES || type.kind().isNested();
  }

  private static Object deepCopy(Object value) {
    if (value instanceof byte[] bytes) {
      return bytes.clone();
    }
    if (value instanceof Object[] fields) {
      Object[] copy = new Object[fields.length];
      for (int i = 0; i < fields.length; i++) {
        copy[i] = deepCopy(fields[i]);
      }
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object element : list) {
        copy.add(deepCopy(element));
      }
      return copy;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        copy.put(deepCopy(e.getKey()), deepCopy(e.getValue()));
      }
      return copy;
    }
    return value;
  }

  // ---- parameter parsing ----------------------------------------------------------------------

  private static Object parse(String text, DataType type, String key) {
    try {
      return Values.parse(text, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + key + "': " + e.getMessage());
    }
  }

  private static Object bound(String text, String fallback, DataType type, String key) {
    return parse(text == null ? fallback : text, type, key);
  }

  private static long integer(String text, long fallback, String key) {
    if (text == null) {
      return fallback;
    }
    try {
      return new BigDecimal(text.trim()).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "'" + key + "' must be a 64-bit integer, got '" + text + "'");
    }
  }

  private static BigDecimal number(String text, String fallback, String key) {
    try {
      return new BigDecimal((text == null ? fallback : text).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + key + "' must be a number, got '" + text + "'");
    }
  }

  /** A decimal bound as an unscaled long at the type's scale. */
  private static long unscaled(String text, DataType type, String key) {
    BigDecimal value = (BigDecimal) parse(text, type, key);
    try {
      return value.unscaledValue().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "'" + key + "' " + text + " is too large: generated decimals have at most 18 digits");
    }
  }

  private static BigInteger[] integerBounds(TypeKind kind) {
    return switch (kind) {
      case INT8 ->
          new BigInteger[] {BigInteger.valueOf(Byte.MIN_VALUE), BigInteger.valueOf(Byte.MAX_VALUE)};
      case INT16 ->
          new BigInteger[] {
            BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE)
          };
      case INT32 ->
          new BigInteger[] {
            BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)
          };
      default ->
          new BigInteger[] {BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)};
    };
  }

  private static int[] lengths(Integer min, Integer max, int defaultMin, int defaultMax) {
    int lo = min != null ? min : max != null ? Math.min(defaultMin, max) : defaultMin;
    int hi = max != null ? max : Math.max(defaultMax, lo);
    if (lo > hi) {
      throw new IllegalArgumentException("'minLength' " + lo + " exceeds 'maxLength' " + hi);
    }
    return new int[] {lo, hi};
  }

  /** Nanoseconds per unit of the type's last fractional digit. */
  private static long fractionUnit(DataType type) {
    long unit = 1;
    for (int i = type.precision(); i < 9; i++) {
      unit *= 10;
    }
    return unit;
  }

  private static void checkFraction(long nanos, long unit, DataType type, String key) {
    if (nanos % unit != 0) {
      throw new IllegalArgumentException("'" + key + "' has more fractional digits than " + type);
    }
  }

  private static void checkOrder(
      boolean ok, String min, String max, Object defaultMin, Object defaultMax, DataType type) {
    if (!ok) {
      throw new IllegalArgumentException(
          "'min' "
              + (min == null ? defaultMin + " (default)" : min)
              + " and 'max' "
              + (max == null ? defaultMax + " (default)" : max)
              + " are not an ascending range within "
              + type);
    }
  }
}
