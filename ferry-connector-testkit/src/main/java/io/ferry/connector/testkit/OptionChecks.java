package io.ferry.connector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Option;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.OptionSet;
import io.ferry.spi.OptionType;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bad-option checks derived from a role's declared {@link OptionSet}: an unknown name, each
 * required option left out, a value of the wrong type for each typed option. Every check starts
 * from a valid set of raw values and spoils one thing, then expects an {@link
 * InvalidOptionsException} whose problems name the spoiled option. Used by both suites; usable
 * alone for roles without a fixture.
 */
public final class OptionChecks {
  /** The option name no connector declares. */
  public static final String UNKNOWN_OPTION = "ferryTestkitNoSuchOption";

  /** Option types with a value that can be of the wrong type. */
  private static final Set<OptionType> TYPED =
      EnumSet.of(
          OptionType.INTEGER,
          OptionType.LONG,
          OptionType.DOUBLE,
          OptionType.BOOLEAN,
          OptionType.DURATION,
          OptionType.SIZE,
          OptionType.ENUM);

  private OptionChecks() {}

  /** Options that must be given. */
  public static List<Option<?>> requiredOptions(OptionSet options) {
    return options.options().stream().filter(Option::required).toList();
  }

  /** Options of a type for which {@link #wrongValue} has a value that does not parse. */
  public static List<Option<?>> typedOptions(OptionSet options) {
    return options.options().stream().filter(o -> TYPED.contains(o.type())).toList();
  }

  /** A raw value that no option of {@code type} accepts. */
  public static Object wrongValue(OptionType type) {
    return switch (type) {
      case INTEGER, LONG, DOUBLE -> "not-a-number";
      case BOOLEAN -> "maybe";
      case DURATION -> "soon";
      case SIZE -> "huge";
      case ENUM -> "no-such-choice";
      default -> throw new IllegalArgumentException("no wrong value for " + type);
    };
  }

  /** {@code valid} plus an unknown option: rejected with {@link ErrorCode#OPTION_UNKNOWN}. */
  public static void assertRejectsUnknownOption(OptionSet options, Map<String, ?> valid) {
    Map<String, Object> raw = new LinkedHashMap<>(valid);
    raw.put(UNKNOWN_OPTION, "x");
    InvalidOptionsException e = assertInvalid(options, raw, UNKNOWN_OPTION);
    assertThat(e.code()).as("error code of an unknown option").isEqualTo(ErrorCode.OPTION_UNKNOWN);
  }

  /** {@code valid} without {@code option}: rejected, naming it. */
  public static void assertRejectsMissing(
      OptionSet options, Map<String, ?> valid, Option<?> option) {
    assertThat(valid)
        .as("the valid options must give required option '%s'", option.name())
        .containsKey(option.name());
    Map<String, Object> raw = new LinkedHashMap<>(valid);
    raw.remove(option.name());
    assertInvalid(options, raw, option.name());
  }

  /** {@code valid} with a wrong-typed value of {@code option}: rejected, naming it. */
  public static void assertRejectsWrongType(
      OptionSet options, Map<String, ?> valid, Option<?> option) {
    Map<String, Object> raw = new LinkedHashMap<>(valid);
    raw.put(option.name(), wrongValue(option.type()));
    assertInvalid(options, raw, option.name());
  }

  private static InvalidOptionsException assertInvalid(
      OptionSet options, Map<String, Object> raw, String expectedOption) {
    InvalidOptionsException e =
        catchThrowableOfType(InvalidOptionsException.class, () -> options.parse(raw));
    assertThat(e).as("options %s must be rejected", raw.keySet()).isNotNull();
    assertThat(e.problems())
        .as("problems of %s", raw)
        .extracting(OptionProblem::option)
        .contains(expectedOption);
    assertThat(e.problems())
        .filteredOn(p -> p.option().equals(expectedOption))
        .allSatisfy(p -> assertThat(p.message()).as("message for %s", expectedOption).isNotBlank());
    return e;
  }
}
