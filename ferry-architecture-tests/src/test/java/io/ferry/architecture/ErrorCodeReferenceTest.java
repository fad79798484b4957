package io.ferry.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.ferry.spi.ErrorCode;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/error-codes.md complete and true: every {@link ErrorCode} Ferry declares as a static
 * field appears there once, with the category and retriability it is declared with, and with a
 * meaning and a remedy; the page names no code that does not exist. A code made inline, not
 * declared as a field, escapes this check, so codes are declared as constants.
 */
class ErrorCodeReferenceTest {
  private static final Path PAGE = Path.of("..", "docs", "error-codes.md");

  /** A table row: | `code` | CATEGORY | yes/no | meaning | remedy |. */
  private static final Pattern ROW =
      Pattern.compile(
          "^\\|\\s*`([^`]+)`\\s*\\|\\s*(\\w+)\\s*\\|\\s*(yes|no)\\s*\\|([^|]*)\\|([^|]*)\\|\\s*$");

  record Documented(String category, boolean retriable, String meaning, String remedy) {}

  @Test
  void everyDeclaredCodeIsDocumentedAsDeclared() throws IOException {
    Map<String, ErrorCode> declared = declaredCodes();
    Map<String, Documented> documented = documentedCodes();

    // Guards against an import that found nothing (the checks below would then pass vacuously).
    assertThat(declared).containsKeys("option.unknown", "jdbc.connection", "file.exists");
    assertThat(documented.keySet())
        .as("codes on docs/error-codes.md vs codes declared in the code")
        .containsExactlyInAnyOrderElementsOf(declared.keySet());
    for (ErrorCode code : declared.values()) {
      Documented row = documented.get(code.code());
      assertThat(row.category()).as("category of %s", code).isEqualTo(code.category().name());
      assertThat(row.retriable()).as("retriable of %s", code).isEqualTo(code.retriable());
      assertThat(row.meaning()).as("meaning of %s", code).isNotBlank();
      assertThat(row.remedy()).as("what to do for %s", code).isNotBlank();
    }
  }

  /** Every static ErrorCode field of Ferry's production classes, by code. */
  private static Map<String, ErrorCode> declaredCodes() {
    Map<String, ErrorCode> codes = new TreeMap<>();
    List<String> conflicts = new ArrayList<>();
    for (JavaClass type :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ferry")) {
      for (JavaField field : type.getFields()) {
        if (!field.getModifiers().contains(JavaModifier.STATIC)
            || !field.getRawType().isEquivalentTo(ErrorCode.class)) {
          continue;
        }
        ErrorCode code = read(field);
        ErrorCode earlier = codes.putIfAbsent(code.code(), code);
        if (earlier != null && !earlier.equals(code)) {
          conflicts.add(code.code() + " declared as " + earlier + " and in " + field.getFullName());
        }
      }
    }
    assertThat(conflicts).as("one code, two declarations that disagree").isEmpty();
    return codes;
  }

  private static ErrorCode read(JavaField field) {
    try {
      Field reflected = field.reflect();
      reflected.setAccessible(true);
      return (ErrorCode) reflected.get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot read " + field.getFullName(), e);
    }
  }

  private static Map<String, Documented> documentedCodes() throws IOException {
    Map<String, Documented> rows = new TreeMap<>();
    for (String line : Files.readAllLines(PAGE)) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        Documented row =
            new Documented(m.group(2), m.group(3).equals("yes"), m.group(4), m.group(5));
        assertThat(rows.put(m.group(1), row)).as("%s listed twice", m.group(1)).isNull();
      }
    }
    return rows;
  }
}
