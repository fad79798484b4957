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
    return application.run(args);
  }
}
