package io.ferry.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The options a connector role (source or sink) accepts. {@link #parse} is the first phase of
 * validation: each option alone, every problem reported at once, unknown names rejected.
 */
public final class OptionSet {
  private static final Logger LOG = LoggerFactory.getLogger(OptionSet.class);

  private final Map<String, Option<?>> byName = new LinkedHashMap<>();
  private final Map<String, Option<?>> byDeprecatedName = new HashMap<>();

  private OptionSet(Collection<Option<?>> options) {
    for (Option<?> option : options) {
      if (byName.putIfAbsent(option.name(), option) != null) {
        throw new IllegalArgumentException("option " + option.name() + " declared twice");
      }
    }
    for (Option<?> option : options) {
      String old = option.deprecatedName();
      if (old != null
          && (byName.containsKey(old) || byDeprecatedName.putIfAbsent(old, option) != null)) {
        throw new IllegalArgumentException("option name " + old + " declared twice");
      }
    }
  }

  public static OptionSet of(Option<?>... options) {
    return new OptionSet(List.of(options));
  }

  public static OptionSet of(Collection<Option<?>> options) {
    return new OptionSet(options);
  }

  /** The declared options in declaration order. */
  public List<Option<?>> options() {
    return List.copyOf(byName.values());
  }

  /** The option of this name, or of this deprecated name; null when none. */
  public Option<?> option(String name) {
    Option<?> option = byName.get(name);
    return option != null ? option : byDeprecatedName.get(name);
  }

  /**
   * Parses raw values.
   *
   * @param raw option name to value, as read from a job file; null values count as absent
   * @throws InvalidOptionsException naming every unknown, missing or invalid option
   */
  public Options parse(Map<String, ?> raw) {
    Objects.requireNonNull(raw, "raw is null");
    List<OptionProblem> problems = new ArrayList<>();
    for (String name : raw.keySet()) {
      if (byDeprecatedName.containsKey(name)) {
        String current = byDeprecatedName.get(name).name();
        if (raw.get(current) != null && raw.get(name) != null) {
          problems.add(
              new OptionProblem(
                  current,
                  "given twice, also under its deprecated name '"
                      + name
                      + "'; keep only '"
                      + current
                      + "'"));
        } else if (raw.get(name) != null) {
          LOG.warn("option '{}' is a deprecated name; write '{}' instead", name, current);
        }
      } else if (!byName.containsKey(name)) {
        String hint = closest(name);
        problems.add(
            new OptionProblem(
                name,
                "unknown option"
                    + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                    + "; known options: "
                    + String.join(", ", byName.keySet())));
      }
    }
    Map<Option<?>, Object> values = new HashMap<>();
    for (Option<?> option : byName.values()) {
      Object value = raw.get(option.name());
      if (value == null && option.deprecatedName() != null) {
        value = raw.get(option.deprecatedName());
      }
      if (value == null) {
        if (option.required()) {
          problems.add(new OptionProblem(option.name(), "required option is missing"));
        }
        continue;
      }
      try {
        values.put(option, option.parse(value));
      } catch (IllegalArgumentException e) {
        // A secret's value never appears in a message, whatever the parser or validator wrote.
        String message =
            option.secret() ? e.getMessage().replace(value.toString(), "****") : e.getMessage();
        problems.add(new OptionProblem(option.name(), message));
      }
    }
    if (!problems.isEmpty()) {
      ErrorCode code =
          problems.stream().allMatch(p -> !byName.containsKey(p.option()))
              ? ErrorCode.OPTION_UNKNOWN
              : problems.stream().allMatch(p -> p.message().equals("required option is missing"))
                  ? ErrorCode.OPTION_MISSING
                  : ErrorCode.OPTION_INVALID;
      throw new InvalidOptionsException(code, problems);
    }
    return new Options(values);
  }

  /** The declared name nearest to a misspelt one, or null when none is close. */
  private String closest(String name) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : byName.keySet()) {
      int d = distance(name.toLowerCase(), candidate.toLowerCase());
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
