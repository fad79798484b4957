package io.ferry.server;

import io.ferry.server.shared.DataDirectory;
import io.ferry.server.shared.FerryProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Ferry server: data sources, tasks, runs with live progress and history over REST and
 * WebSocket. {@code ferry server} starts it; every setting is a Spring property (see {@code
 * application.properties} and {@link FerryProperties}).
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties({FerryProperties.class, io.ferry.server.runs.RunIsolation.class})
public class FerryServer {
  public static void main(String[] args) {
    start(args);
  }

  /** Starts the server and returns once it listens. */
  public static ConfigurableApplicationContext start(String... args) {
    SpringApplication application = new SpringApplication(FerryServer.class);
    // Before the metadata database opens: the data directory is created owner-only.
    application.addListeners(new DataDirectory());
    String[] node = nodeArgs(args);
    if (java.util.Arrays.asList(node).contains("--ferry.worker=true")) {
      // A worker runs each run in a JVM sized by its spec unless its configuration says otherwise
      // (default properties rank below every configuration source).
      application.setDefaultProperties(java.util.Map.of("ferry.runs.isolation", "process"));
    }
    return application.run(node);
  }

  /**
   * The command line with the node's role in Spring's terms: {@code --worker} is {@code
   * --ferry.worker=true}, {@code --group NAME} (or {@code --group=NAME}) is {@code
   * --ferry.group=NAME}; every other argument is kept as it is.
   *
   * @throws IllegalArgumentException when {@code --group} has no name
   */
  static String[] nodeArgs(String... args) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--worker")) {
        out.add("--ferry.worker=true");
      } else if (a.startsWith("--group=")) {
        out.add("--ferry.group=" + a.substring("--group=".length()));
      } else if (a.equals("--group")) {
        if (i + 1 == args.length || args[i + 1].startsWith("--")) {
          throw new IllegalArgumentException("--group needs the name of a resource group");
        }
        out.add("--ferry.group=" + args[++i]);
      } else {
        out.add(a);
      }
    }
    return out.toArray(String[]::new);
  }
}
