package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FerryServerArgsTest {
  @Test
  void workerAndGroupBecomeFerryProperties() {
    assertThat(FerryServer.nodeArgs("--worker", "--group", "etl", "--server.port=0"))
        .containsExactly("--ferry.worker=true", "--ferry.group=etl", "--server.port=0");
    assertThat(FerryServer.nodeArgs("--group=far", "--worker"))
        .containsExactly("--ferry.group=far", "--ferry.worker=true");
    assertThat(FerryServer.nodeArgs("--server.port=1")).containsExactly("--server.port=1");
  }

  @Test
  void aGroupWithoutANameIsRefused() {
    assertThatThrownBy(() -> FerryServer.nodeArgs("--worker", "--group"))
        .hasMessage("--group needs the name of a resource group");
    assertThatThrownBy(() -> FerryServer.nodeArgs("--group", "--worker"))
        .hasMessage("--group needs the name of a resource group");
  }
}
