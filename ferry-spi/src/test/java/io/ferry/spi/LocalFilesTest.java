package io.ferry.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalFilesTest {
  Path base;
  Path root;
  Path outside;
  LocalFiles files;

  @BeforeEach
  void folders() throws IOException {
    base = Files.createDirectories(Path.of("target", "local-files-" + UUID.randomUUID()));
    root = Files.createDirectories(base.resolve("root"));
    outside = Files.createDirectories(base.resolve("outside"));
    Files.writeString(outside.resolve("secret.key"), "key");
    Files.writeString(root.resolve("in.csv"), "a\n");
    files = LocalFiles.within(List.of(root), "ferry.file-roots");
  }

  @Test
  void pathsInsideARootResolveToTheirRealPath() throws IOException {
    assertThat(files.resolve("path", root.resolve("in.csv").toString()))
        .isEqualTo(root.toRealPath().resolve("in.csv"));
    // Not there yet (a sink's target), in folders not there yet: under the root's real path.
    assertThat(files.resolve("path", root.resolve("new/deeper/out.csv").toString()))
        .isEqualTo(root.toRealPath().resolve("new/deeper/out.csv"));
    assertThat(files.resolve("path", root.toString())).isEqualTo(root.toRealPath());
    assertThat(files.confined()).isTrue();
  }

  @Test
  void pathsOutsideEveryRootAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> files.resolve("path", outside.resolve("secret.key").toString()))
        .isInstanceOfSatisfying(
            FerryException.class,
            e -> {
              assertThat(e.option()).isEqualTo("path");
              assertThat(e.code()).isEqualTo(LocalFiles.OUTSIDE_ROOTS);
              assertThat(e.category()).isEqualTo(ErrorCategory.USER);
            })
        .hasMessageContaining("outside the folders jobs may use");
    // A sibling whose name starts like the root is not inside it.
    assertThatThrownBy(() -> files.resolve("path", base.resolve("root2/x.csv").toString()))
        .isInstanceOf(FerryException.class);
  }

  @Test
  void dotDotCannotClimbOutOfARoot() {
    String escape = root + "/../outside/secret.key";
    assertThatThrownBy(() -> files.resolve("path", escape))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("outside the folders");
    String missingThenUp = root + "/no-such-folder/../../outside/secret.key";
    assertThatThrownBy(() -> files.resolve("path", missingThenUp))
        .isInstanceOf(FerryException.class);
  }

  @Test
  void symbolicLinksAreJudgedByWhereTheyLead() throws IOException {
    Path fileLink =
        Files.createSymbolicLink(
            root.resolve("key-link"), outside.toAbsolutePath().resolve("secret.key"));
    Path dirLink = Files.createSymbolicLink(root.resolve("dir-link"), outside.toAbsolutePath());
    Path dangling =
        Files.createSymbolicLink(root.resolve("dangling"), outside.toAbsolutePath().resolve("new"));
    assertThatThrownBy(() -> files.resolve("path", fileLink.toString()))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("outside");
    // Writing a new file through a linked folder, or creating a link's missing target: refused.
    assertThatThrownBy(() -> files.resolve("path", dirLink.resolve("written.csv").toString()))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("outside");
    assertThatThrownBy(() -> files.resolve("path", dangling.toString()))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("link that leads nowhere");
    // A link that stays inside the root is fine, and resolves to its target.
    Path inner =
        Files.createSymbolicLink(root.resolve("inner"), root.toAbsolutePath().resolve("in.csv"));
    assertThat(files.resolve("path", inner.toString()))
        .isEqualTo(root.toRealPath().resolve("in.csv"));
  }

  @Test
  void noRootsAllowNothingAndSaySo() {
    LocalFiles none = LocalFiles.within(List.of(), "ferry.file-roots");
    assertThatThrownBy(() -> none.resolve("path", root.resolve("in.csv").toString()))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("none: an administrator can allow some with ferry.file-roots");
  }

  @Test
  void rootsMustBeExistingFolders() {
    assertThatThrownBy(() -> LocalFiles.within(List.of(base.resolve("missing")), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LocalFiles.within(List.of(root.resolve("in.csv")), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unrestrictedGivesPathsBackAsGiven() {
    LocalFiles all = LocalFiles.unrestricted();
    assertThat(all.confined()).isFalse();
    assertThat(all.resolve("path", "relative/x.csv")).isEqualTo(Path.of("relative/x.csv"));
    assertThat(all.resolve("path", outside.resolve("secret.key").toString()))
        .isEqualTo(outside.resolve("secret.key"));
  }
}
