package io.ferry.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.FerryException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlinkClusterTest {
  private static final JobJars NONE = JobJars.of(List.of());

  @Test
  void takesHostAndPort() {
    assertThat(FlinkCluster.at(" jobmanager:8081 ", "--flink-master", NONE).master())
        .isEqualTo("jobmanager:8081");
    assertThat(FlinkCluster.at("[::1]:8081", "--flink-master", NONE).master())
        .isEqualTo("[::1]:8081");
  }

  @Test
  void refusesWhatIsNoHostAndPortNamingTheSetting() {
    for (String wrong :
        List.of(
            "jobmanager",
            ":8081",
            "jobmanager:",
            "jobmanager:http",
            "jobmanager:0",
            "http://jobmanager:8081")) {
      assertThatThrownBy(() -> FlinkCluster.at(wrong, "--flink-master", NONE))
          .as(wrong)
          .isInstanceOfSatisfying(
              FerryException.class, e -> assertThat(e.option()).isEqualTo("--flink-master"))
          .hasMessageContaining(
              "--flink-master must be the Flink cluster's REST address as host:port")
          .hasMessageContaining("'" + wrong + "'");
    }
  }
}
