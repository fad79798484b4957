package io.ferry.flink;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.rest.handler.legacy.messages.ClusterOverviewWithVersion;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flink session cluster, known by the address of its REST endpoint ({@code host:port}, the
 * JobManager's web port, 8081 by default), and the jars a job takes there. {@link FlinkRunner}
 * submits jobs to it with Flink's own REST client: the job graph and the jars ({@link JobJars}) go
 * up in one request, and the run follows the job over the same endpoint.
 */
public final class FlinkCluster {
  private static final Logger log = LoggerFactory.getLogger(FlinkCluster.class);

  /** The cluster does not answer, or does not answer as a Flink REST endpoint. */
  public static final ErrorCode UNREACHABLE = ErrorCode.external("flink.master-unreachable", true);

  /** How long the first request may take before the cluster counts as unreachable. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

  private final String host;
  private final int port;
  private final String setting;
  private final JobJars jars;

  private FlinkCluster(String host, int port, String setting, JobJars jars) {
    this.host = host;
    this.port = port;
    this.setting = setting;
    this.jars = Objects.requireNonNull(jars, "jars");
  }

  /**
   * @param master {@code host:port} of the cluster's REST endpoint
   * @param setting the name the user gave it by (such as {@code --flink-master}), for the errors
   * @throws FerryException {@link ErrorCode#OPTION_INVALID} naming {@code setting} when {@code
   *     master} is no {@code host:port}
   */
  public static FlinkCluster at(String master, String setting, JobJars jars) {
    String value = master == null ? "" : master.trim();
    int colon = value.lastIndexOf(':');
    String host = colon > 0 ? value.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    if (colon > 0) {
      try {
        port = Integer.parseInt(value.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (host.isEmpty() || host.contains("/") || port < 1 || port > 65535) {
      throw new FerryException(
          ErrorCode.OPTION_INVALID,
          setting
              + " must be the Flink cluster's REST address as host:port (such as"
              + " jobmanager:8081), not '"
              + master
              + "'",
          setting,
          null);
    }
    return new FlinkCluster(host, port, setting, jars);
  }

  /** {@code host:port}. */
  public String master() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  JobJars jars() {
    return jars;
  }

  /**
   * A client of the cluster, once the cluster answered as a Flink REST endpoint.
   *
   * @throws FerryException {@link #UNREACHABLE} naming the setting when it does not
   */
  ClusterClient<String> connect() {
    Configuration conf = new Configuration();
    conf.set(RestOptions.ADDRESS, host);
    conf.set(RestOptions.PORT, port);
    // A few quick attempts: a master that is wrong should say so in seconds, not after Flink's
    // default of 20 attempts 3 s apart. Following a running job retries as often.
    conf.set(RestOptions.RETRY_MAX_ATTEMPTS, 3);
    conf.set(RestOptions.RETRY_DELAY, Duration.ofMillis(500));
    conf.set(RestOptions.CONNECTION_TIMEOUT, Duration.ofSeconds(10));
    RestClusterClient<String> client;
    try {
      client = new RestClusterClient<>(conf, "ferry");
    } catch (Exception e) {
      throw unreachable(e);
    }
    try {
      ClusterOverviewWithVersion overview =
          client.getClusterOverview().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      log.info(
          "Flink cluster {}: version {}, {} task managers, {} of {} slots free",
          master(),
          overview.getVersion(),
          overview.getNumTaskManagersConnected(),
          overview.getNumSlotsAvailable(),
          overview.getNumSlotsTotal());
      return client;
    } catch (InterruptedException e) {
      client.close();
      Thread.currentThread().interrupt();
      throw unreachable(e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      client.close();
      throw unreachable(e);
    }
  }

  private FerryException unreachable(Throwable e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    String reason =
        e instanceof TimeoutException
            ? "no answer within " + PROBE_TIMEOUT.toSeconds() + " s"
            : ExceptionUtils.stripExecutionException(cause).toString();
    Throwable root =
        ExceptionUtils.findThrowable(cause, java.net.ConnectException.class).orElse(null);
    if (root != null) {
      reason = root.toString();
    }
    return new FerryException(
        UNREACHABLE,
        "no Flink session cluster answers at "
            + master()
            + " ("
            + setting
            + ", the JobManager's REST address): "
            + reason,
        setting,
        e);
  }

  @Override
  public String toString() {
    return "Flink session cluster " + master();
  }
}
