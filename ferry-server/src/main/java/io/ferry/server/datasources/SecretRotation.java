package io.ferry.server.datasources;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Finishes a key rotation at start: with {@code ferry.secret.previous-key} set, every secret the
 * old key sealed is sealed again with the current key (docs/operations.md, key rotation).
 */
@Component
class SecretRotation implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(SecretRotation.class);

  private final DataSourceService dataSources;

  SecretRotation(DataSourceService dataSources) {
    this.dataSources = dataSources;
  }

  @Override
  public void run(ApplicationArguments args) {
    int changed = dataSources.resealSecrets();
    if (changed > 0) {
      log.warn(
          "Sealed the secrets of {} data source(s) again with the current secret key; once every"
              + " node runs with it, remove ferry.secret.previous-key (FERRY_SECRET_PREVIOUS_KEY)",
          changed);
    }
  }
}
