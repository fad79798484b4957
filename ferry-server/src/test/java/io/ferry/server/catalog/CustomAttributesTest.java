package io.ferry.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.server.shared.DomainException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomAttributesTest {
  private static CustomAttributes.Definition def(
      String name, String type, boolean required, String... allowed) {
    return new CustomAttributes.Definition(
        1, "mysql", name, type, required, List.of(allowed), null, Instant.EPOCH, Instant.EPOCH);
  }

  private static final List<CustomAttributes.Definition> DEFS =
      List.of(
          def("level", "number", false, "1", "2.5"),
          def("reviewed", "boolean", false),
          def("since", "date", true),
          def("team", "string", false));

  private static List<String> problems(Map<String, Object> values) {
    try {
      CustomAttributes.validate(DEFS, values);
    } catch (DomainException.Invalid e) {
      return e.problems().stream().map(p -> p.field() + ": " + p.message()).toList();
    }
    throw new AssertionError("accepted " + values);
  }

  @Test
  void valuesAreTypedAndCheckedAgainstTheAllowedOnes() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("level", "2.50");
    values.put("reviewed", "TRUE");
    values.put("since", " 2026-12-01 ");
    values.put("team", "  ");
    Map<String, Object> checked = CustomAttributes.validate(DEFS, values);
    assertThat(checked)
        .containsExactly(
            Map.entry("level", new BigDecimal("2.50")),
            Map.entry("reviewed", true),
            Map.entry("since", "2026-12-01"));
  }

  @Test
  void eachRefusalNamesTheAttribute() {
    assertThat(problems(Map.of("level", 3, "since", "2026-12-01")))
        .containsExactly(
            "values.level: the custom attribute 'level' takes one of [1, 2.5], not '3'");
    assertThat(problems(Map.of("reviewed", "yes", "since", "1.12.2026")))
        .containsExactly(
            "values.reviewed: the custom attribute 'reviewed' takes true or false, not 'yes'",
            "values.since: the custom attribute 'since' takes a date yyyy-MM-dd, not '1.12.2026'");
    assertThat(problems(Map.of("Team", "x")))
        .containsExactly(
            "values.Team: 'Team' is not a custom attribute of this meta-model"
                + " (it has [level, reviewed, since, team])",
            "values.since: the custom attribute 'since' is required");
    assertThat(problems(Map.of("since", "2026-12-01", "team", List.of("a"))))
        .containsExactly("values.team: the custom attribute 'team' takes a text, not [a]");
  }

  @Test
  void aModelWithoutCustomAttributesTakesNone() {
    assertThatThrownBy(() -> CustomAttributes.validate(List.of(), Map.of("x", 1)))
        .isInstanceOf(DomainException.Invalid.class)
        .hasMessageContaining("'x' is not a custom attribute of this meta-model (it has none)");
    assertThat(CustomAttributes.validate(List.of(), Map.of())).isEmpty();
  }
}
