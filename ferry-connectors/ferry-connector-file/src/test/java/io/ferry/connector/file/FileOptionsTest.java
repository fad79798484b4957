package io.ferry.connector.file;

import static io.ferry.connector.file.FileTestSupport.CONNECTOR;
import static io.ferry.connector.file.FileTestSupport.sink;
import static io.ferry.connector.file.FileTestSupport.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Connector;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.Option;
import io.ferry.spi.OptionProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileOptionsTest {
  @TempDir Path dir;

  @Test
  void theConnectorIsFoundByServiceLoader() {
    assertThat(ServiceLoader.load(Connector.class).stream().map(p -> p.get().name()))
        .contains("file");
    assertThat(CONNECTOR.source()).isPresent();
    assertThat(CONNECTOR.sink()).isPresent();
  }

  @Test
  void everyOptionHasADescriptionThatSaysMoreThanItsName() {
    for (var role : List.of(CONNECTOR.source().get().options(), CONNECTOR.sink().get().options())) {
      for (Option<?> option : role.options()) {
        assertThat(option.description()).hasSizeGreaterThan(option.name().length() + 20);
      }
    }
  }

  private static List<String> problemsParsingSource(Map<String, ?> raw) {
    return problems(() -> CONNECTOR.source().get().options().parse(raw));
  }

  private static List<String> problems(Runnable action) {
    try {
      action.run();
    } catch (InvalidOptionsException e) {
      return e.problems().stream().map(OptionProblem::option).toList();
    }
    throw new AssertionError("expected InvalidOptionsException");
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = "|",
      value = {
        "encoding|UTF-16",
        "encoding|no-such-charset",
        "delimiter|ab",
        "delimiter|\\",
        "quote|ab",
        "quote|é",
        "format|xml",
        "compression|lzo",
        "header|maybe",
        "splitSize|12 parsecs",
        "splitSize|10",
        "multiLine|sometimes"
      })
  void invalidValuesAreRejectedNamingTheOption(String option, String value) {
    assertThat(problemsParsingSource(Map.of("path", "/x", option, value))).containsExactly(option);
  }

  @Test
  void unknownAndMissingOptionsAreRejected() {
    assertThatThrownBy(() -> CONNECTOR.source().get().options().parse(Map.of("pth", "/x")))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("pth: unknown option (did you mean 'path'?)")
        .hasMessageContaining("path: required option is missing");
    assertThat(problemsParsingSource(Map.of("path", "/x", "overwrite", true)))
        .containsExactly("overwrite");
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = "|",
      value = {
        "columns|[]",
        "columns|[\"id\"]",
        "columns|[\"id integr\"]",
        "columns|[\"id int64\", \"id string\"]",
        "columns|[{\"name\": \"id\"}]",
        "columns|[{\"name\": \"id\", \"type\": \"int64\", \"size\": 3}]",
        "columns|id int64"
      })
  void badColumnDeclarationsAreRejected(String option, String json) throws Exception {
    Object value =
        json.startsWith("[")
            ? io.ferry.connector.support.JsonValues.mapper().readValue(json, List.class)
            : json;
    assertThat(problemsParsingSource(Map.of("path", "/x", option, value))).containsExactly(option);
  }

  @Test
  void optionsThatDoNotFitTheFormatAreRejectedWhenCreating() {
    TestContext context = new TestContext(dir);
    assertThat(problems(() -> source(Map.of("path", "/x", "format", "jsonl"), context)))
        .containsExactly("columns");
    assertThat(problems(() -> source(Map.of("path", "/x", "header", false), context)))
        .containsExactly("columns");
    assertThat(problems(() -> source(Map.of("path", "/x", "format", "tsv", "quote", "'"), context)))
        .containsExactly("quote");
    assertThat(
            problems(
                () -> source(Map.of("path", "/x", "format", "tsv", "multiLine", true), context)))
        .containsExactly("multiLine");
    assertThat(
            problems(
                () ->
                    source(
                        Map.of(
                            "path",
                            "/x",
                            "format",
                            "jsonl",
                            "columns",
                            List.of("a int32"),
                            "delimiter",
                            ";",
                            "header",
                            true),
                        context)))
        .containsExactlyInAnyOrder("delimiter", "header");
    assertThat(problems(() -> source(Map.of("path", "/x", "delimiter", "\""), context)))
        .containsExactly("quote");
    assertThat(problems(() -> sink(Map.of("path", "/x", "nullMarker", "a,b"), context)))
        .containsExactly("nullMarker");
    assertThat(
            problems(
                () ->
                    source(
                        Map.of("path", "/x", "encoding", "Shift_JIS", "delimiter", "|"), context)))
        .containsExactly("delimiter");
  }
}
