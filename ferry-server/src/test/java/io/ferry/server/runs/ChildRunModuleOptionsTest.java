package io.ferry.server.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A run's own JVM gets the server's module options (bin/ferry's, for the HBase client). */
class ChildRunModuleOptionsTest {
  @Test
  void theServersModuleOptionsGoToTheChildEachAsOneArgument() {
    List<String> server =
        List.of(
            "-Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true",
            "--add-modules",
            "jdk.unsupported",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Xmx1g",
            "--add-exports",
            "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Dferry.home=/opt/ferry",
            "-Dspring.datasource.password=secret");

    assertThat(ChildRunProcess.moduleOptions(server))
        .containsExactly(
            "-Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true",
            "--add-modules=jdk.unsupported",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
  }
}
