package io.ferry.server.shared;

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
 *     after it); a node whose heartbeat is older than two leases counts as dead. At least 4 s: a
 *     run's transactions in its targets may stay idle for a quarter of it, and not less than a
 *     second (see io.ferry.spi.WriteFence)
 * @param nodeId this server's name among the nodes sharing the metadata store; by default the host
 *     name and a hash of the data directory, stable across restarts
 * @param cpuCores the CPU cores scheduled instances may reserve on this node (default: the
 *     machine's)
 * @param memoryMb the memory in MB scheduled instances may reserve on this node (default: the JVM's
 *     maximum heap)
 * @param timeZone the zone of schedules that name none (default: the JVM's)
 * @param fileRoots the folders whose files the server's jobs may read and write (the file
 *     connector, {@code dirtyDataPath}, key files); none by default. The data directory may not be
 *     in one, nor hold one.
 *     <p>Two secrets are read from the environment instead (never bound here, never printed):
 *     {@code ferry.admin.password} (env {@code FERRY_ADMIN_PASSWORD}), the first admin's password,
 *     and {@code ferry.secret.key} (env {@code FERRY_SECRET_KEY}), the base64 AES key of secrets at
 *     rest.
 * @param worker whether this node is a worker ({@code ferry server --worker}): it executes runs of
 *     its group and serves no UI and no API, only {@code /actuator/health}
 * @param group the resource group whose runs this node executes; {@code default} (the server's own
 *     pool) unless a worker names another ({@code --group NAME})
 */
@ConfigurationProperties("ferry")
public record FerryProperties(
    Path dataDir,
    Path connectorsDir,
    Integer maxConcurrentRuns,
    Integer maxQueuedRuns,
    Duration lease,
    String nodeId,
    Integer cpuCores,
    Integer memoryMb,
    java.time.ZoneId timeZone,
    java.util.List<Path> fileRoots,
    Boolean worker,
    String group) {
  /** See {@code lease}. */
  public static final Duration SHORTEST_LEASE = Duration.ofSeconds(4);

  /** The group of the servers that are no workers. */
  public static final String DEFAULT_GROUP = "default";

  public FerryProperties {
    dataDir = dataDir == null ? Path.of("data") : dataDir;
    maxConcurrentRuns = maxConcurrentRuns == null ? 4 : maxConcurrentRuns;
    maxQueuedRuns = maxQueuedRuns == null ? 100 : maxQueuedRuns;
    lease = lease == null ? Duration.ofSeconds(30) : lease;
    if (lease.compareTo(SHORTEST_LEASE) < 0) {
      throw new IllegalArgumentException(
          "ferry.lease is " + lease + "; it must be at least " + SHORTEST_LEASE);
    }
    nodeId = nodeId == null || nodeId.isBlank() ? defaultNodeId(dataDir) : nodeId;
    cpuCores = cpuCores == null ? Runtime.getRuntime().availableProcessors() : cpuCores;
    memoryMb = memoryMb == null ? (int) (Runtime.getRuntime().maxMemory() >> 20) : memoryMb;
    timeZone = timeZone == null ? java.time.ZoneId.systemDefault() : timeZone;
    fileRoots = fileRoots == null ? java.util.List.of() : java.util.List.copyOf(fileRoots);
    worker = worker != null && worker;
    group = group == null || group.isBlank() ? DEFAULT_GROUP : group.strip();
    if (!worker && !group.equals(DEFAULT_GROUP)) {
      throw new IllegalArgumentException(
          "ferry.group is "
              + group
              + "; only a worker (--worker) joins a group other than default");
    }
  }

  private static String defaultNodeId(Path dataDir) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    String dir = dataDir.toAbsolutePath().normalize().toString();
    return host + "-" + Integer.toHexString(dir.hashCode());
  }
}
