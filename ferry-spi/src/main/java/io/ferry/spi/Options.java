package io.ferry.spi;

import java.util.Map;

/** Parsed, validated option values of one connector instance. Immutable. */
public final class Options {
  private final Map<Option<?>, Object> values;

  Options(Map<Option<?>, Object> values) {
    this.values = Map.copyOf(values);
  }

  /** Options of which none is set; every {@link #get} returns the default. */
  public static Options empty() {
    return new Options(Map.of());
  }

  /** The value given, or the option's default (null when it has none). */
  @SuppressWarnings("unchecked")
  public <T> T get(Option<T> option) {
    Object value = values.get(option);
    return value != null ? (T) value : option.defaultValue();
  }

  /** Whether the option was given (a default does not count). */
  public boolean has(Option<?> option) {
    return values.containsKey(option);
  }
}
