package io.ferry.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionSetTest {
  enum Mode {
    INSERT,
    TRUNCATE_INSERT
  }

  static final Option<String> PATH = Option.string("path").required().description("Where.").build();
  static final Option<Integer> BATCH =
      Option.integer("batchSize")
          .defaultValue(1024)
          .validator(Validator.range(1, 10_000))
          .description("Rows per batch.")
          .build();
  static final Option<Boolean> HEADER =
      Option.bool("header").defaultValue(true).description("Header.").build();
  static final Option<Duration> TIMEOUT =
      Option.duration("timeout").description("Timeout.").build();
  static final Option<Long> BUFFER =
      Option.size("buffer").defaultValue(1L << 20).description("Buffer.").build();
  static final Option<Mode> MODE =
      Option.enumeration("mode", Mode.class).defaultValue(Mode.INSERT).description("Mode.").build();
  static final Option<List<String>> KEYS = Option.list("keys").description("Keys.").build();
  static final Option<String> PASSWORD =
      Option.string("password").secret().description("Password.").build();

  static final OptionSet SET =
      OptionSet.of(PATH, BATCH, HEADER, TIMEOUT, BUFFER, MODE, KEYS, PASSWORD);

  @Test
  void parsesTypedValuesFromNativeAndTextForms() {
    Options o =
        SET.parse(
            Map.of(
                "path", "/data",
                "batchSize", "500",
                "header", "no",
                "timeout", "1500ms",
                "buffer", "64MB",
                "mode", "truncate-insert",
                "keys", "a, b,c"));
    assertThat(o.get(PATH)).isEqualTo("/data");
    assertThat(o.get(BATCH)).isEqualTo(500);
    assertThat(o.get(HEADER)).isFalse();
    assertThat(o.get(TIMEOUT)).isEqualTo(Duration.ofMillis(1500));
    assertThat(o.get(BUFFER)).isEqualTo(64L << 20);
    assertThat(o.get(MODE)).isEqualTo(Mode.TRUNCATE_INSERT);
    assertThat(o.get(KEYS)).containsExactly("a", "b", "c");
    assertThat(o.has(PASSWORD)).isFalse();
    assertThat(o.get(PASSWORD)).isNull();
    assertThat(SET.parse(Map.of("path", "x", "batchSize", 7L)).get(BATCH)).isEqualTo(7);
    assertThat(SET.parse(Map.of("path", "x", "timeout", "PT2M")).get(TIMEOUT))
        .isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void defaultsApplyWhenAbsent() {
    Options o = SET.parse(Map.of("path", "/data"));
    assertThat(o.get(BATCH)).isEqualTo(1024);
    assertThat(o.get(MODE)).isEqualTo(Mode.INSERT);
    assertThat(o.has(BATCH)).isFalse();
  }

  @Test
  void everyProblemIsReportedWithItsOption() {
    assertThatThrownBy(
            () ->
                SET.parse(
                    Map.of(
                        "batchsize", 5,
                        "header", "maybe",
                        "timeout", "10 parsecs",
                        "mode", "upsert")))
        .isInstanceOfSatisfying(
            InvalidOptionsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.OPTION_INVALID);
              assertThat(e.problems())
                  .extracting(OptionProblem::toString)
                  .containsExactlyInAnyOrder(
                      "batchsize: unknown option (did you mean 'batchSize'?); known options: path,"
                          + " batchSize, header, timeout, buffer, mode, keys, password",
                      "path: required option is missing",
                      "header: expected true or false, got 'maybe'",
                      "timeout: expected a duration such as 500ms, 10s, 5m or 1h, got '10 parsecs'",
                      "mode: 'upsert' is not one of insert, truncate-insert");
            });
  }

  @Test
  void validatorsAndIntegerChecks() {
    assertThatThrownBy(() -> SET.parse(Map.of("path", "x", "batchSize", 0)))
        .hasMessage("batchSize: must be between 1 and 10000, got 0");
    assertThatThrownBy(() -> SET.parse(Map.of("path", "x", "batchSize", "1.5")))
        .hasMessage("batchSize: expected an integer, got '1.5'");
    assertThatThrownBy(() -> SET.parse(Map.of("path", "x", "batchSize", List.of(1))))
        .hasMessage("batchSize: expected an integer, got a list");
    assertThatThrownBy(() -> SET.parse(Map.of("path", "x", "buffer", "12 furlongs")))
        .hasMessageContaining("buffer: expected a size");
  }

  @Test
  void declarationsAreChecked() {
    assertThatThrownBy(() -> Option.string("x").build())
        .hasMessageContaining("needs a description");
    assertThatThrownBy(() -> OptionSet.of(PATH, PATH)).hasMessageContaining("declared twice");
    assertThat(PASSWORD.secret()).isTrue();
    assertThat(MODE.choices()).containsExactly("insert", "truncate-insert");
  }

  @Test
  void secretValuesNeverAppearInProblems() {
    Option<Integer> pin = Option.integer("pin").secret().description("A numeric secret.").build();
    assertThatThrownBy(() -> OptionSet.of(pin).parse(Map.of("pin", "hunter2")))
        .hasMessage("pin: expected an integer, got '****'");
  }

  @Test
  void takesADeprecatedNameAsTheOptionsButNotBothNames() {
    Option<Integer> retries =
        Option.integer("maxRetries")
            .deprecatedName("retries")
            .defaultValue(3)
            .description("Retries.")
            .build();
    OptionSet set = OptionSet.of(PATH, retries);
    assertThat(set.parse(Map.of("path", "x", "retries", "5")).get(retries)).isEqualTo(5);
    assertThat(set.parse(Map.of("path", "x", "maxRetries", 6)).get(retries)).isEqualTo(6);
    assertThat(set.option("retries")).isSameAs(retries);
    assertThatThrownBy(() -> set.parse(Map.of("path", "x", "retries", 1, "maxRetries", 2)))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("maxRetries")
        .hasMessageContaining("deprecated name 'retries'");
    assertThatThrownBy(
            () -> OptionSet.of(retries, Option.integer("retries").description("R.").build()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
