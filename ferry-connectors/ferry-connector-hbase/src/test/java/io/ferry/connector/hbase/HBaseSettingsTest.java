package io.ferry.connector.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Options;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Client settings a confined job may not give: local files, classes, the environment. */
class HBaseSettingsTest {
  private static Options options(Map<String, String> properties) {
    return HBaseOptions.CATALOG_OPTIONS.parse(
        Map.of("zookeeperQuorum", "zk1", "properties", properties));
  }

  @Test
  void aConfinedJobCannotPointTheClientAtLocalFilesClassesOrTheEnvironment() {
    LocalFiles confined = LocalFiles.within(List.of(), "ferry.file-roots");
    for (Map<String, String> p :
        List.of(
            Map.of("hbase.client.keytab.file", "/etc/krb5.keytab"),
            Map.of("hbase.dynamic.jars.dir", "file:///tmp/jars"),
            Map.of("hbase.client.connection.impl", "some.Class"),
            Map.of("hadoop.ssl.client.conf", "ssl-client.xml"),
            Map.of("hbase.rpc.timeout", "${env.FERRY_SECRET_KEY}"))) {
      assertThatThrownBy(() -> new HBaseSettings(options(p), confined))
          .as(p.toString())
          .isInstanceOfSatisfying(
              FerryException.class, e -> assertThat(e.option()).isEqualTo("properties"))
          .hasMessageContaining(p.keySet().iterator().next());
      // The command line may: the user's own files.
      assertThat(
              new HBaseSettings(options(p), LocalFiles.unrestricted())
                  .configuration()
                  .get(p.keySet().iterator().next()))
          .isNotNull();
    }
    HBaseSettings tuned =
        new HBaseSettings(
            options(Map.of("hbase.rpc.timeout", "60000", "hbase.client.retries.number", "10")),
            confined);
    assertThat(tuned.configuration().get("hbase.rpc.timeout")).isEqualTo("60000");
  }
}
