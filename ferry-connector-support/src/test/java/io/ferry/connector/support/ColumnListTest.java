package io.ferry.connector.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnListTest {
  static final ColumnList TYPED = ColumnList.of("column", "[\"id int64\"]");

  static List<Column> typed(Object raw) {
    return TYPED.parse(raw, e -> Column.of(e.name(), e.requiredType()));
  }

  @Test
  void readsTextAndMapEntries() {
    assertThat(typed(List.of(" id  int64 ", Map.of("name", "amount", "type", "decimal(12, 2)"))))
        .containsExactly(
            Column.of("id", DataType.parse("int64")),
            Column.of("amount", DataType.parse("decimal(12,2)")));
  }

  @Test
  void unknownMapKeysAreErrorsNamingTheKey() {
    assertThatThrownBy(() -> typed(List.of(Map.of("name", "a", "type", "int64", "typo", 1))))
        .hasMessage("column 1 has unknown key 'typo'; a column has name, type");
    ColumnList more = TYPED.keys("type", "column");
    assertThat(
            more.parse(
                List.of(Map.of("name", "a", "column", "d:a")), e -> e.get("column") + "/" + e))
        .containsExactly("d:a/a");
  }

  @Test
  void saysWhichEntryIsWrong() {
    assertThatThrownBy(() -> typed("id int64")).hasMessageContaining("expected a list of columns");
    assertThatThrownBy(() -> typed(List.of())).hasMessage("must list at least one column");
    assertThatThrownBy(() -> typed(List.of("id")))
        .hasMessage("column 1 'id' needs a name and a type, e.g. 'id int64'");
    assertThatThrownBy(() -> typed(List.of("a int64", Map.of("name", "b"))))
        .hasMessage("column 2 'b' needs a text 'type', e.g. int64 or string");
    assertThatThrownBy(() -> typed(List.of("a int64", "a string")))
        .hasMessage("column 'a' is listed twice");
    assertThatThrownBy(() -> typed(List.of("a nosuchtype"))).hasMessageStartingWith("column 'a': ");
    assertThatThrownBy(() -> typed(List.of(3)))
        .hasMessage("column 1 must be the text 'name type' or a map with name, type");
    assertThatThrownBy(() -> typed(List.of(Map.of("type", "int64"))))
        .hasMessage("column 1 needs a text 'name'");
  }

  @Test
  void takesSeparatedTextWhereAllowedAndRepeatedNamesWhereAllowed() {
    ColumnList fields = ColumnList.of("field", "[a]").orText(",").namesMayRepeat();
    assertThat(fields.parse("a, b int32,,a", e -> e.name() + ":" + e.type()))
        .containsExactly("a:null", "b:int32", "a:null");
    assertThat(fields.parse(List.of("x  a  b"), ColumnList.Entry::words))
        .containsExactly(List.of("a", "b"));
  }
}
