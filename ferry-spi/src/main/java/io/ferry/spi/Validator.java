package io.ferry.spi;

import java.util.Collection;

/**
 * Checks one parsed option value on its own (no connection).
 *
 * @param <T> the value's class
 */
@FunctionalInterface
public interface Validator<T> {
  /** Returns null when {@code value} is valid, otherwise what is wrong with it. */
  String validate(T value);

  /** Between {@code min} and {@code max}, both included. */
  static <N extends Number & Comparable<N>> Validator<N> range(N min, N max) {
    return value ->
        value.compareTo(min) < 0 || value.compareTo(max) > 0
            ? "must be between " + min + " and " + max + ", got " + value
            : null;
  }

  /** At least {@code min}. */
  static <N extends Number & Comparable<N>> Validator<N> atLeast(N min) {
    return value -> value.compareTo(min) < 0 ? "must be at least " + min + ", got " + value : null;
  }

  static Validator<String> notBlank() {
    return value -> value.isBlank() ? "must not be empty" : null;
  }

  static Validator<Collection<?>> notEmpty() {
    return value -> value.isEmpty() ? "must not be empty" : null;
  }
}
