package io.ferry.server;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The server's own settings, under {@code ferry.}.
 *
 * @param dataDir where the H2 metadata database, the secret key file, run state and dirty rows are
 * @param connectorsDir a distribution's {@code connectors/} folder (one sub-folder per connector);
 *     null for connectors on the class path only
 * @param maxConcurrentRuns runs executing at once; more wait in the queue
 * @param maxQueuedRuns runs that may wait; one more is refused with 503
 * @param lease how long a run's claim holds without renewal (a dead server's runs become resumable
 *     after it)
 *     <p>Two secrets are read from the environment instead (never bound here, never printed):
 *     {@code ferry.admin.password} (env {@code FERRY_ADMIN_PASSWORD}), the first admin's password,
 *     and {@code ferry.secret.key} (env {@code FERRY_SECRET_KEY}), the base64 AES key of secrets at
 *     rest.
 */
@ConfigurationProperties("ferry")
public record FerryProperties(
    Path dataDir,
    Path connectorsDir,
    Integer maxConcurrentRuns,
    Integer maxQueuedRuns,
    Duration lease) {
  public FerryProperties {
    dataDir = dataDir == null ? Path.of("data") : dataDir;
    maxConcurrentRuns = maxConcurrentRuns == null ? 4 : maxConcurrentRuns;
    maxQueuedRuns = maxQueuedRuns == null ? 100 : maxQueuedRuns;
    lease = lease == null ? Duration.ofSeconds(30) : lease;
  }
}
