package io.ferry.spi;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A typed option a connector declares once, as a constant:
 *
 * <pre>{@code
 * static final Option<Integer> BATCH_SIZE = Option.integer("batchSize")
 *     .defaultValue(1024)
 *     .validator(Validator.range(1, 100_000))
 *     .description("Rows per batch handed to the sink.")
 *     .build();
 * }</pre>
 *
 * <p>Values arrive from job files as strings, numbers, booleans, lists and maps; a parameter
 * substitution always yields a string, so every scalar type also accepts its text form.
 *
 * @param <T> the parsed value's class
 */
public final class Option<T> {
  private final String name;
  private final OptionType type;
  private final String description;
  private final T defaultValue;
  private final boolean required;
  private final boolean secret;
  private final boolean endpoint;
  private final List<String> choices;
  private final String deprecatedName;
  private final Function<Object, T> parser;
  private final Validator<? super T> validator;

  private Option(Builder<T> b) {
    this.name = b.name;
    this.type = b.type;
    this.description = b.description;
    this.defaultValue = b.defaultValue;
    this.required = b.required;
    this.secret = b.secret;
    this.endpoint = b.endpoint;
    this.choices = b.choices;
    this.deprecatedName = b.deprecatedName;
    this.parser = b.parser;
    this.validator = b.validator;
  }

  public String name() {
    return name;
  }

  public OptionType type() {
    return type;
  }

  /** What the option does and what values mean; shown by {@code ferry connectors} and forms. */
  public String description() {
    return description;
  }

  /** The value when the option is absent; null when it has none. */
  public T defaultValue() {
    return defaultValue;
  }

  /**
   * The default as a job file writes it, which {@link #parse} reads back: {@code 10s}, {@code 8MB},
   * an enumeration's spelling ({@code skip-header}), a list's values separated by commas; null when
   * the option has none.
   */
  public String defaultText() {
    if (defaultValue == null) {
      return null;
    }
    if (type == OptionType.SIZE && defaultValue instanceof Long bytes) {
      return sizeText(bytes);
    }
    if (defaultValue instanceof Duration d) {
      return durationText(d);
    }
    if (defaultValue instanceof Enum<?> e && type == OptionType.ENUM) {
      return choices.get(e.ordinal());
    }
    if (defaultValue instanceof List<?> list) {
      return String.join(", ", list.stream().map(String::valueOf).toList());
    }
    return String.valueOf(defaultValue);
  }

  private static String sizeText(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (unit < units.length - 1 && bytes != 0 && bytes % 1024 == 0) {
      bytes /= 1024;
      unit++;
    }
    return bytes + units[unit];
  }

  private static String durationText(Duration d) {
    long millis = d.toMillis();
    if (millis % 3_600_000 == 0 && millis > 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  public boolean required() {
    return required;
  }

  /** A credential: masked in every listing, response and log. */
  public boolean secret() {
    return secret;
  }

  /**
   * Decides which server receives the connection's credentials: where it connects (host, port, URL,
   * driver properties) or how that server is verified (a CA certificate, host-key checking). A
   * stored secret goes only to the server it was stored for: a caller who changes an endpoint
   * option must give the secrets again.
   */
  public boolean endpoint() {
    return endpoint;
  }

  /**
   * An older name job files may still use for this option, or null. {@link OptionSet#parse} takes a
   * value under it as this option's and logs a warning naming both.
   */
  public String deprecatedName() {
    return deprecatedName;
  }

  /** The accepted values of an {@link OptionType#ENUM} option, in the form job files use. */
  public List<String> choices() {
    return choices;
  }

  /**
   * Parses and validates one raw value.
   *
   * @throws IllegalArgumentException with a message that says what is wrong with the value
   */
  public T parse(Object raw) {
    Objects.requireNonNull(raw, "raw is null");
    T value = parser.apply(raw);
    String problem = validator.validate(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return value;
  }

  @Override
  public String toString() {
    return name;
  }

  public static Builder<String> string(String name) {
    return new Builder<>(name, OptionType.STRING, Option::asString);
  }

  public static Builder<Integer> integer(String name) {
    return new Builder<>(
        name, OptionType.INTEGER, raw -> asNumber(raw, "an integer").intValueExact());
  }

  public static Builder<Long> longInteger(String name) {
    return new Builder<>(
        name, OptionType.LONG, raw -> asNumber(raw, "an integer").longValueExact());
  }

  public static Builder<Double> decimal(String name) {
    return new Builder<>(name, OptionType.DOUBLE, raw -> asNumber(raw, "a number").doubleValue());
  }

  public static Builder<Boolean> bool(String name) {
    return new Builder<>(name, OptionType.BOOLEAN, Option::asBoolean);
  }

  public static Builder<Duration> duration(String name) {
    return new Builder<>(name, OptionType.DURATION, Option::asDuration);
  }

  /** A byte count; {@code 64MB} means 64 × 1024 × 1024. */
  public static Builder<Long> size(String name) {
    return new Builder<>(name, OptionType.SIZE, Option::asSize);
  }

  /** Strings, from a list or from one comma-separated string. */
  public static Builder<List<String>> list(String name) {
    return new Builder<>(name, OptionType.LIST, Option::asList);
  }

  /**
   * One constant of {@code type}. Job files write a constant by its {@link Choice#choice()} when
   * the enum implements {@link Choice}, otherwise in lower case with dashes ({@code SKIP_HEADER} is
   * {@code skip-header}); matching ignores case, and dashes and underscores alike.
   */
  public static <E extends Enum<E>> Builder<E> enumeration(String name, Class<E> type) {
    E[] constants = type.getEnumConstants();
    List<String> choices = new ArrayList<>();
    for (E e : constants) {
      choices.add(
          e instanceof Choice c ? c.choice() : e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    Builder<E> b =
        new Builder<>(
            name,
            OptionType.ENUM,
            raw -> {
              String text = normalize(asString(raw));
              for (int i = 0; i < constants.length; i++) {
                if (normalize(choices.get(i)).equals(text)) {
                  return constants[i];
                }
              }
              throw new IllegalArgumentException(
                  "'" + raw + "' is not one of " + String.join(", ", choices));
            });
    b.choices = List.copyOf(choices);
    return b;
  }

  private static String normalize(String choice) {
    return choice.trim().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** An enum constant with its own spelling in job files, e.g. {@code perWriter}. */
  public interface Choice {
    String choice();
  }

  /** Structured content parsed by {@code parser}, which throws IllegalArgumentException. */
  public static <T> Builder<T> object(String name, Function<Object, T> parser) {
    return new Builder<>(name, OptionType.OBJECT, parser);
  }

  /** Builds an {@link Option}; {@link #description} is required. */
  public static final class Builder<T> {
    private final String name;
    private final OptionType type;
    private final Function<Object, T> parser;
    private String description;
    private T defaultValue;
    private boolean required;
    private boolean secret;
    private boolean endpoint;
    private List<String> choices = List.of();
    private String deprecatedName;
    private Validator<? super T> validator = value -> null;

    private Builder(String name, OptionType type, Function<Object, T> parser) {
      this.name = Objects.requireNonNull(name, "name is null");
      this.type = type;
      this.parser = parser;
    }

    public Builder<T> description(String description) {
      this.description = description;
      return this;
    }

    public Builder<T> defaultValue(T defaultValue) {
      this.defaultValue = defaultValue;
      return this;
    }

    /** The option must be given; it has no default. */
    public Builder<T> required() {
      this.required = true;
      return this;
    }

    public Builder<T> secret() {
      this.secret = true;
      return this;
    }

    /** The option decides where credentials go; see {@link Option#endpoint()}. */
    public Builder<T> endpoint() {
      this.endpoint = true;
      return this;
    }

    /** An older spelling still accepted, with a warning; see {@link Option#deprecatedName()}. */
    public Builder<T> deprecatedName(String deprecatedName) {
      this.deprecatedName = Objects.requireNonNull(deprecatedName, "deprecatedName is null");
      return this;
    }

    public Builder<T> validator(Validator<? super T> validator) {
      this.validator = Objects.requireNonNull(validator, "validator is null");
      return this;
    }

    public Option<T> build() {
      if (description == null || description.isBlank()) {
        throw new IllegalStateException("option " + name + " needs a description");
      }
      if (required && defaultValue != null) {
        throw new IllegalStateException("option " + name + " is required and has a default");
      }
      return new Option<>(this);
    }
  }

  // ---- parsing of raw values -------------------------------------------------------------

  static String asString(Object raw) {
    if (raw instanceof String s) {
      return s;
    }
    if (raw instanceof Number || raw instanceof Boolean) {
      return raw.toString();
    }
    throw new IllegalArgumentException("expected a text value, got " + describe(raw));
  }

  private static BigDecimal asNumber(Object raw, String expected) {
    if (!(raw instanceof Number) && !(raw instanceof String)) {
      throw new IllegalArgumentException("expected " + expected + ", got " + describe(raw));
    }
    try {
      BigDecimal number =
          raw instanceof Number n
              ? new BigDecimal(n.toString())
              : new BigDecimal(asString(raw).trim());
      if (expected.equals("an integer") && number.stripTrailingZeros().scale() > 0) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("expected " + expected + ", got " + describe(raw));
    }
  }

  private static Boolean asBoolean(Object raw) {
    if (raw instanceof Boolean b) {
      return b;
    }
    String text = asString(raw).trim().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("expected true or false, got " + describe(raw));
    };
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?");

  private static Duration asDuration(Object raw) {
    String text = asString(raw).trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "expected a duration such as 500ms, 10s, 5m or 1h, got " + describe(raw));
    }
  }

  private static Long asSize(Object raw) {
    if (raw instanceof Number n) {
      return asNumber(n, "an integer").longValueExact();
    }
    String text = asString(raw).trim().toLowerCase(Locale.ROOT);
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a size such as 1048576, 512KB, 64MB or 1GB, got " + describe(raw));
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    int shift =
        switch (unit.charAt(0)) {
          case 'k' -> 10;
          case 'm' -> 20;
          case 'g' -> 30;
          case 't' -> 40;
          default -> 0;
        };
    return n << shift;
  }

  private static List<String> asList(Object raw) {
    List<String> values = new ArrayList<>();
    if (raw instanceof List<?> list) {
      for (Object o : list) {
        values.add(asString(o));
      }
    } else {
      for (String part : asString(raw).split(",")) {
        if (!part.isBlank()) {
          values.add(part.trim());
        }
      }
    }
    return List.copyOf(values);
  }

  /** A short description of a raw value for error messages. */
  static String describe(Object raw) {
    if (raw instanceof String s) {
      return "'" + s + "'";
    }
    if (raw instanceof List<?>) {
      return "a list";
    }
    if (raw instanceof Map<?, ?>) {
      return "a map";
    }
    if (raw instanceof Object[] array) {
      return Arrays.toString(array);
    }
    return String.valueOf(raw);
  }
}
