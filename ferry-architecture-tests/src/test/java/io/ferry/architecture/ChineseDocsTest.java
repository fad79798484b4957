package io.ferry.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guides a team runs Ferry by have a Simplified Chinese twin under docs/zh-CN/ that keeps in
 * step: the same sections (as many headings of each level) and the same code blocks (commands and
 * configuration are not translated), and each page links to the other.
 */
class ChineseDocsTest {
  private static final Path DOCS = Path.of("..", "docs");
  private static final List<String> TWINNED =
      List.of(
          "getting-started.md",
          "operations.md",
          "troubleshooting.md",
          "datax-migration.md",
          "catalog.md");

  @Test
  void everyGuideHasAChineseTwinWithTheSameSectionsAndCode() throws IOException {
    for (String page : TWINNED) {
      String english = Files.readString(DOCS.resolve(page));
      Path twin = DOCS.resolve("zh-CN").resolve(page);
      assertThat(twin).as("Chinese twin of %s", page).exists();
      String chinese = Files.readString(twin);
      for (String level : List.of("# ", "## ", "### ")) {
        assertThat(headings(chinese, level))
            .as("'%s' headings of %s and its twin", level.strip(), page)
            .isEqualTo(headings(english, level));
      }
      assertThat(codeBlocks(chinese))
          .as("code blocks of %s's twin", page)
          .isEqualTo(codeBlocks(english));
      assertThat(english).as("%s links to its twin", page).contains("zh-CN/" + page);
      assertThat(chinese).as("the twin links to %s", page).contains("../" + page);
    }
  }

  /** Headings of one level outside code blocks (where '# ' starts a shell comment). */
  private static long headings(String text, String level) {
    long count = 0;
    boolean inCode = false;
    for (String line : text.lines().toList()) {
      if (line.startsWith("```")) {
        inCode = !inCode;
      } else if (!inCode && line.startsWith(level)) {
        count++;
      }
    }
    return count;
  }

  /** The fenced code blocks, comments left out (those are translated). */
  private static List<String> codeBlocks(String text) {
    List<String> blocks = new java.util.ArrayList<>();
    StringBuilder current = null;
    for (String line : text.lines().toList()) {
      if (line.startsWith("```")) {
        if (current == null) {
          current = new StringBuilder();
        } else {
          blocks.add(current.toString());
          current = null;
        }
      } else if (current != null && !line.strip().startsWith("#")) {
        current.append(line.replaceAll("\\s+#.*$", "").stripTrailing()).append('\n');
      }
    }
    return blocks;
  }
}
