package io.ferry.it;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.JobSpec;
import io.ferry.engine.MiningRun;
import io.ferry.spi.LocalFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A mining run in a JVM of its own, for {@link SharedMiningIT}'s kill -9: {@code MiningMain
 * SOURCE_PORT SOURCE_DATABASE STORE_DATABASE STORE_TABLE WORK_DIR}. Prints {@code mining} once
 * started and runs until it is killed.
 */
public final class MiningMain {
  private MiningMain() {}

  public static void main(String[] args) throws Exception {
    MiningRun run =
        MiningRun.start(
            ConnectorRegistry.fromClassPath(MiningMain.class.getClassLoader()),
            spec(Integer.parseInt(args[0]), args[1], args[2], args[3], Duration.ofDays(1)),
            LocalFiles.unrestricted(),
            Path.of(args[4]));
    System.out.println("mining");
    System.out.flush();
    while (!run.await(Duration.ofSeconds(1))) {
      // runs until killed
    }
    System.out.println("ended: " + run.status());
    System.exit(2);
  }

  static MiningRun.Spec spec(
      int sourcePort, String database, String storeDatabase, String table, Duration retention) {
    return spec(sourcePort, database, 5432, storeDatabase, table, retention);
  }

  /** The mining run of {@code database}'s tables into a PostgreSQL log on {@code storePort}. */
  static MiningRun.Spec spec(
      int sourcePort,
      String database,
      int storePort,
      String storeDatabase,
      String table,
      Duration retention) {
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("host", "127.0.0.1");
    source.put("port", sourcePort);
    source.put("user", "root");
    source.put("password", "");
    source.put("database", database);
    Map<String, Object> store = new LinkedHashMap<>();
    store.put("host", "127.0.0.1");
    store.put("port", storePort);
    store.put("database", storeDatabase);
    store.put("user", "postgres");
    store.put("table", table);
    return new MiningRun.Spec(
        database,
        new JobSpec.ConnectorSpec("source", "mysql", source),
        new JobSpec.ConnectorSpec("miningLog", "postgresql", store),
        retention,
        Duration.ofMillis(200),
        Duration.ofMillis(300),
        null);
  }
}
