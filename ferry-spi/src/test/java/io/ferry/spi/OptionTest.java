package io.ferry.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionTest {
  enum Header {
    SKIP_HEADER,
    KEEP
  }

  enum Mode implements Option.Choice {
    PER_WRITER;

    @Override
    public String choice() {
      return "perWriter";
    }
  }

  @Test
  void aDefaultReadsAsAJobFileWritesItAndParsesBack() {
    check(Option.duration("d").defaultValue(Duration.ofSeconds(90)), "90s");
    check(Option.duration("d").defaultValue(Duration.ofMillis(1500)), "1500ms");
    check(Option.duration("d").defaultValue(Duration.ofHours(2)), "2h");
    check(Option.size("s").defaultValue(8L << 20), "8MB");
    check(Option.size("s").defaultValue(1000L), "1000B");
    check(Option.enumeration("e", Header.class).defaultValue(Header.SKIP_HEADER), "skip-header");
    check(Option.enumeration("e", Mode.class).defaultValue(Mode.PER_WRITER), "perWriter");
    check(Option.list("l").defaultValue(List.of("a", "b")), "a, b");
    check(Option.integer("i").defaultValue(4), "4");
    check(Option.string("t").defaultValue("UTC"), "UTC");
    assertThat(Option.string("t").description("x").build().defaultText()).isNull();
  }

  private static <T> void check(Option.Builder<T> builder, String text) {
    Option<T> option = builder.description("x").build();
    assertThat(option.defaultText()).isEqualTo(text);
    assertThat(option.parse(text)).isEqualTo(option.defaultValue());
  }
}
