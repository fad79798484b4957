package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionCommandTest {
  @Test
  void printsFerryAndJavaVersions() {
    Cli.Result result = Cli.ferry("version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines())
        .containsExactly("Ferry development (not run from a jar)", "Java " + FerryVersion.java());
    assertThat(Cli.ferry("--version").out()).isEqualTo(result.out());
  }
}
