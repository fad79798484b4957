package io.ferry.connector.mongodb;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How to reach the server: a connection string, or hosts with an optional replica set and
 * credentials. Creating the client is left to {@link #connect()}: the factories do no I/O.
 */
final class MongoSettings {
  private final String uri;
  private final List<String> hosts;
  private final String replicaSet;
  private final String user;
  private final String password;
  private final String authSource;
  private final boolean tls;
  private final Duration connectTimeout;

  MongoSettings(Options options) {
    this.uri = options.get(MongoOptions.URI);
    this.hosts = options.get(MongoOptions.HOSTS);
    this.replicaSet = options.get(MongoOptions.REPLICA_SET);
    this.user = options.get(MongoOptions.USER);
    this.password = options.get(MongoOptions.PASSWORD);
    this.authSource = options.get(MongoOptions.AUTH_SOURCE);
    this.tls = options.get(MongoOptions.TLS);
    this.connectTimeout = options.get(MongoOptions.CONNECT_TIMEOUT);
    List<OptionProblem> problems = new ArrayList<>();
    if (uri == null && hosts == null) {
      problems.add(new OptionProblem("uri", "give uri, or hosts"));
    } else if (uri != null && hosts != null) {
      problems.add(new OptionProblem("hosts", "give uri or hosts, not both"));
    } else if (uri != null) {
      // The connection string carries these itself; beside it they would have no effect.
      for (var o :
          List.of(
              MongoOptions.REPLICA_SET,
              MongoOptions.USER,
              MongoOptions.PASSWORD,
              MongoOptions.AUTH_SOURCE,
              MongoOptions.TLS)) {
        if (options.has(o)) {
          problems.add(
              new OptionProblem(o.name(), "not with uri: put it in the connection string"));
        }
      }
    } else {
      for (String host : hosts) {
        try {
          address(host);
        } catch (IllegalArgumentException e) {
          problems.add(new OptionProblem("hosts", e.getMessage()));
        }
      }
      if (password != null && user == null) {
        problems.add(new OptionProblem("user", "a password needs a user"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  /** The option that names the server: uri or hosts. */
  String serverOption() {
    return uri != null ? "uri" : "hosts";
  }

  /** The option that names the login: uri (it holds it) or user. */
  String userOption() {
    return uri != null ? "uri" : "user";
  }

  /** The servers, for messages; never the password. */
  String description() {
    if (uri != null) {
      ConnectionString cs = new ConnectionString(uri);
      return String.join(",", cs.getHosts())
          + (cs.getRequiredReplicaSetName() == null
              ? ""
              : " (replica set " + cs.getRequiredReplicaSetName() + ")");
    }
    return String.join(",", hosts)
        + (replicaSet == null ? "" : " (replica set " + replicaSet + ")");
  }

  MongoClient connect() {
    MongoClientSettings.Builder b = MongoClientSettings.builder();
    if (uri != null) {
      b.applyConnectionString(new ConnectionString(uri));
    } else {
      List<ServerAddress> addresses = new ArrayList<>();
      for (String host : hosts) {
        addresses.add(address(host));
      }
      b.applyToClusterSettings(
          c -> {
            c.hosts(addresses);
            if (replicaSet != null) {
              c.requiredReplicaSetName(replicaSet);
            }
          });
      if (user != null) {
        b.credential(
            MongoCredential.createCredential(
                user,
                authSource == null ? "admin" : authSource,
                password == null ? new char[0] : password.toCharArray()));
      }
      b.applyToSslSettings(s -> s.enabled(tls));
    }
    long millis = connectTimeout.toMillis();
    b.applyToClusterSettings(c -> c.serverSelectionTimeout(millis, TimeUnit.MILLISECONDS));
    b.applyToSocketSettings(
        s -> s.connectTimeout((int) Math.min(millis, Integer.MAX_VALUE), TimeUnit.MILLISECONDS));
    b.applicationName("ferry");
    return MongoClients.create(b.build());
  }

  private static ServerAddress address(String host) {
    String h = host.trim();
    if (h.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    int colon = h.lastIndexOf(':');
    if (colon < 0 || h.endsWith("]")) {
      return new ServerAddress(h);
    }
    try {
      int port = Integer.parseInt(h.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return new ServerAddress(h.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + host + "' is not host or host:port");
    }
  }
}
