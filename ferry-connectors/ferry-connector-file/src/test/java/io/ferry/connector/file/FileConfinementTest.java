package io.ferry.connector.file;

import static io.ferry.connector.file.FileTestSupport.readAll;
import static io.ferry.connector.file.FileTestSupport.sink;
import static io.ferry.connector.file.FileTestSupport.source;
import static io.ferry.connector.file.FileTestSupport.writeAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.Column;
import io.ferry.spi.DataType;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Schema;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources and sinks of a confined context open only files under its roots, links followed. */
class FileConfinementTest {
  static final Schema SCHEMA =
      Schema.of(Column.of("id", DataType.INT32), Column.of("name", DataType.STRING));

  @TempDir Path dir;
  Path root;
  Path outside;
  TestContext context;

  @BeforeEach
  void folders() throws IOException {
    root = Files.createDirectories(dir.resolve("root")).toRealPath();
    outside = Files.createDirectories(dir.resolve("outside")).toRealPath();
    Files.writeString(outside.resolve("secret.csv"), "id,name\n1,secret\n");
    Files.writeString(root.resolve("in.csv"), "id,name\n1,one\n2,two\n");
    context = new TestContext(dir, LocalFiles.within(List.of(root), "ferry.file-roots"));
  }

  /** What refuses {@code path}: the source's creation, or else its check. */
  private List<String> refusals(String path) {
    Source source;
    try {
      source = source(Map.of("path", path), context);
    } catch (FerryException e) {
      return List.of(e.option() + ": " + e.getMessage());
    }
    return source.check().stream().map(p -> p.option() + ": " + p.message()).toList();
  }

  @Test
  void aFileInsideARootIsRead() {
    Source source = source(Map.of("path", root.resolve("in.csv").toString()), context);
    assertThat(source.check()).isEmpty();
    assertThat(readAll(source))
        .containsExactly(new Object[] {"1", "one"}, new Object[] {"2", "two"});
  }

  @Test
  void aFileOutsideEveryRootIsRefusedNamingThePath() {
    for (String path :
        List.of(
            outside.resolve("secret.csv").toString(),
            root + "/../outside/secret.csv",
            outside + "/*.csv",
            root + "/../outside/*.csv")) {
      assertThat(refusals(path))
          .as(path)
          .singleElement()
          .asString()
          .startsWith("path: ")
          .contains("outside the folders jobs may use");
    }
  }

  @Test
  void linksInsideARootThatLeadOutsideAreRefusedWhetherNamedListedOrGlobbed() throws IOException {
    Files.createSymbolicLink(root.resolve("link.csv"), outside.resolve("secret.csv"));
    for (String path :
        List.of(root.resolve("link.csv").toString(), root.toString(), root + "/*.csv")) {
      assertThat(refusals(path))
          .as(path)
          .anyMatch(p -> p.startsWith("path: ") && p.contains("outside"));
    }
    // The listing is refused too, not only the check: a run plans from it.
    Source listing = source(Map.of("path", root + "/*.csv"), context);
    assertThatThrownBy(() -> listing.planner().plan(1))
        .isInstanceOfSatisfying(
            FerryException.class, e -> assertThat(e.option()).isEqualTo("path"));
    // A linked folder inside the root, and a glob through it.
    Files.delete(root.resolve("link.csv"));
    Files.createSymbolicLink(root.resolve("linked"), outside);
    for (String path : List.of(root + "/linked/secret.csv", root + "/linked/*.csv")) {
      assertThat(refusals(path)).as(path).anyMatch(p -> p.contains("outside"));
    }
  }

  @Test
  void aFileSwappedForALinkAfterPlanningIsRefusedWhereItIsOpened() throws IOException {
    Path file = root.resolve("swap.csv");
    Files.writeString(file, "id,name\n1,x\n");
    Source source = source(Map.of("path", file.toString(), "header", true), context);
    Split split = source.planner().plan(1).get(0);
    Files.delete(file);
    Files.createSymbolicLink(file, outside.resolve("secret.csv"));
    assertThatThrownBy(() -> source.openReader(split, null))
        .isInstanceOfSatisfying(FerryException.class, e -> assertThat(e.option()).isEqualTo("path"))
        .hasMessageContaining("outside");
  }

  @Test
  void aSinkWritesInsideARootOnlyAndNeverThroughALink() throws IOException {
    Path target = root.resolve("out/orders.csv");
    Sink sink = sink(Map.of("path", target.toString()), context);
    assertThat(sink.check()).isEmpty();
    writeAll(sink, SCHEMA, List.of(new Object[] {1, "a"}, new Object[] {2, "b"}), 1);
    assertThat(Files.readAllLines(target)).containsExactly("id,name", "1,a", "2,b");

    for (String path :
        List.of(
            outside.resolve("written.csv").toString(),
            root + "/../outside/written.csv",
            root.toString())) {
      assertThatThrownBy(() -> sink(Map.of("path", path), context))
          .as(path)
          .isInstanceOfSatisfying(
              FerryException.class, e -> assertThat(e.option()).isEqualTo("path"))
          .hasMessageContaining("outside");
    }
    Files.createSymbolicLink(root.resolve("linked"), outside);
    assertThatThrownBy(() -> sink(Map.of("path", root + "/linked/written.csv"), context))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("outside");
    assertThat(outside.resolve("written.csv")).doesNotExist();
  }
}
