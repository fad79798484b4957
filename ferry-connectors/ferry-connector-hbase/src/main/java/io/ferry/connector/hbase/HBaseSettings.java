package io.ferry.connector.hbase;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;

/** The connection options: the client configuration, connecting, and the bounded live check. */
final class HBaseSettings {
  /** HBase failed for a reason a retry may cure (a region moving, a server restarting). */
  static final ErrorCode UNAVAILABLE = ErrorCode.external("hbase.unavailable", true);

  /** HBase refused an operation for good (a missing family, a bad request). */
  static final ErrorCode REFUSED = ErrorCode.external("hbase.refused", false);

  private final List<String> quorum;
  private final int port;
  private final String znodeParent;
  private final Map<String, String> properties;
  private final Duration connectTimeout;

  /**
   * Client settings that name a local file or folder (keytabs, key stores, jar folders) or a class
   * to load, or expand the process's environment and properties ({@code ${env.X}}): Hadoop reads
   * them with the process's rights, so a confined job may not set them.
   */
  private static final Pattern LOCAL_SETTING =
      Pattern.compile(
          "(?i).*(\\.(dir|file|path|keytab|jar|jars|class|classes|impl|conf|location)|keytab.*|\\.ssl\\..*)");

  /**
   * @param localFiles the local files the job may use; when confined, {@code properties} may not
   *     name local files or classes ({@link #LOCAL_SETTING})
   */
  HBaseSettings(Options options, LocalFiles localFiles) {
    this.quorum = options.get(HBaseOptions.QUORUM);
    this.port = options.get(HBaseOptions.ZK_PORT);
    this.znodeParent = options.get(HBaseOptions.ZNODE_PARENT);
    Map<String, String> p = options.get(HBaseOptions.PROPERTIES);
    this.properties = p == null ? Map.of() : p;
    this.connectTimeout = options.get(HBaseOptions.CONNECT_TIMEOUT);
    if (localFiles.confined()) {
      properties.forEach(
          (key, value) -> {
            if (LOCAL_SETTING.matcher(key).matches() || value.contains("${")) {
              throw FerryException.option(
                  ErrorCode.OPTION_INVALID,
                  HBaseOptions.PROPERTIES.name(),
                  "'"
                      + key
                      + "' names a local file, a class or the process's environment, which jobs"
                      + " may not set here");
            }
          });
    }
  }

  String description() {
    return "ZooKeeper "
        + String.join(",", quorum)
        + " (port "
        + port
        + ", znode "
        + znodeParent
        + ")";
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * The connector's own class loader: a distribution loads each connector with its own, and
   * Hadoop's configuration finds {@code hbase-default.xml} and client classes through the thread's
   * context class loader, which is the application's.
   */
  private static final ClassLoader OWN = HBaseSettings.class.getClassLoader();

  /** Runs {@code work} with this connector's class loader as the context class loader. */
  static <T> T withOwnClassLoader(java.util.concurrent.Callable<T> work) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(OWN);
    try {
      return work.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** The client configuration of reads and writes. */
  Configuration configuration() {
    Configuration conf;
    try {
      conf = withOwnClassLoader(HBaseConfiguration::create);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    conf.setClassLoader(OWN);
    conf.set("hbase.zookeeper.quorum", String.join(",", quorum));
    conf.setInt("hbase.zookeeper.property.clientPort", port);
    conf.set("zookeeper.znode.parent", znodeParent);
    properties.forEach(conf::set);
    return conf;
  }

  /**
   * The configuration of the live check: few retries and short timeouts, so that an unreachable
   * cluster is reported within about {@link #connectTimeout}.
   */
  private Configuration checkConfiguration() {
    Configuration conf = configuration();
    int millis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    conf.setInt("hbase.client.retries.number", 2);
    conf.setInt("hbase.client.pause", 100);
    conf.setInt("hbase.rpc.timeout", millis);
    conf.setInt("hbase.client.operation.timeout", millis);
    conf.setInt("hbase.client.meta.operation.timeout", millis);
    conf.setInt("zookeeper.recovery.retry", 1);
    conf.setInt("zookeeper.recovery.retry.intervalmill", 200);
    conf.setInt("zookeeper.session.timeout", millis);
    return conf;
  }

  /** A connection for reads and writes; the caller closes it. */
  Connection connect() {
    try {
      Configuration conf = configuration();
      return withOwnClassLoader(() -> ConnectionFactory.createConnection(conf));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new FerryException(
          ErrorCode.CONNECTION,
          "cannot connect to HBase through " + description() + ": " + HBaseErrors.message(e),
          HBaseOptions.QUORUM.name(),
          e);
    }
  }

  /** What the live check runs with an {@link Admin}; returns the problems it finds. */
  @FunctionalInterface
  interface AdminCheck {
    List<OptionProblem> run(Admin admin) throws IOException;
  }

  /**
   * Connects with short timeouts, checks that the cluster answers, then runs {@code check}; all
   * within about {@link #connectTimeout}. An unreachable cluster is a problem of {@code
   * zookeeperQuorum}.
   */
  List<OptionProblem> check(AdminCheck check) {
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "ferry-hbase-check");
              t.setDaemon(true);
              t.setContextClassLoader(OWN);
              return t;
            });
    Connection[] opened = new Connection[1];
    try {
      Future<List<OptionProblem>> result =
          executor.submit(
              () -> {
                Connection connection = ConnectionFactory.createConnection(checkConfiguration());
                opened[0] = connection;
                try (Admin admin = connection.getAdmin()) {
                  admin.tableExists(TableName.META_TABLE_NAME);
                  return check.run(admin);
                }
              });
      try {
        return result.get(connectTimeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        result.cancel(true);
        return List.of(unreachable("no answer within " + connectTimeout.toMillis() + " ms"));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof FerryException f) {
          throw f;
        }
        return List.of(unreachable(HBaseErrors.message(cause)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FerryException(ErrorCode.INTERNAL, "interrupted while checking HBase", e);
      }
    } finally {
      executor.shutdownNow();
      Connection c = opened[0];
      if (c != null) {
        // Closing may wait for the client's threads: not on the caller's time.
        Thread closer =
            new Thread(
                () -> {
                  try {
                    c.close();
                  } catch (IOException | RuntimeException ignored) {
                    // nothing left to release
                  }
                },
                "ferry-hbase-check-close");
        closer.setDaemon(true);
        closer.start();
      }
    }
  }

  private OptionProblem unreachable(String why) {
    return new OptionProblem(
        HBaseOptions.QUORUM.name(),
        "no HBase cluster answers through "
            + description()
            + " (connectTimeout "
            + connectTimeout.toMillis()
            + " ms; check zookeeperQuorum, zookeeperPort and znodeParent): "
            + why);
  }
}
