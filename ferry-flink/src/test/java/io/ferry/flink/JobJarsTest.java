package io.ferry.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.engine.JobSpec;
import io.ferry.engine.JobSpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobJarsTest {
  @TempDir Path dir;

  @Test
  void anInstallationShipsLibAndTheJobsTwoConnectorFoldersEachLibraryOnce() throws Exception {
    Path home = dir.resolve("ferry");
    touch(home.resolve("lib/ferry-engine.jar"));
    touch(home.resolve("lib/jackson-core.jar"));
    touch(home.resolve("lib/flink/flink-core.jar"));
    touch(home.resolve("connectors/mysql/ferry-connector-mysql.jar"));
    touch(home.resolve("connectors/mysql/HikariCP.jar"));
    touch(home.resolve("connectors/postgresql/ferry-connector-postgresql.jar"));
    touch(home.resolve("connectors/postgresql/HikariCP.jar"));
    touch(home.resolve("connectors/kafka/ferry-connector-kafka.jar"));

    List<Path> jars = JobJars.installation(home).forJob(job("mysql", "postgresql"), dir);

    assertThat(jars)
        .extracting(p -> home.relativize(p).toString())
        .containsExactly(
            "lib/ferry-engine.jar",
            "lib/jackson-core.jar",
            "connectors/mysql/HikariCP.jar",
            "connectors/mysql/ferry-connector-mysql.jar",
            "connectors/postgresql/ferry-connector-postgresql.jar");
  }

  @Test
  void aFolderOfClassesIsShippedAsAJarOfIt() throws Exception {
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes.resolve("io/example"));
    Files.writeString(classes.resolve("io/example/A.class"), "a");
    Path jar = dir.resolve("lib.jar");
    touch(jar);

    List<Path> shipped =
        JobJars.of(List.of(classes, jar)).forJob(job("datagen", "file"), dir.resolve("scratch"));

    assertThat(shipped).hasSize(2).endsWith(jar);
    try (JarFile packed = new JarFile(shipped.get(0).toFile())) {
      assertThat(packed.getEntry("io/example/A.class")).isNotNull();
    }
  }

  private JobSpec job(String source, String sink) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("job.yaml"),
            "source: {connector: %s}\nsink: {connector: %s}\n".formatted(source, sink));
    return JobSpecLoader.load(file, Map.of());
  }

  private static void touch(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "jar");
  }
}
