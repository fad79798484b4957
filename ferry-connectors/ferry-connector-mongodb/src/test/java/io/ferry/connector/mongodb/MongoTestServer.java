package io.ferry.connector.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.Options;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The server tests talk to: an in-process mongo-java-server (memory backend) on 127.0.0.1 and a
 * free port, or the real server whose connection string {@value #ENV} gives. Each instance uses a
 * database of its own, dropped on close.
 */
final class MongoTestServer implements AutoCloseable {
  static final String ENV = "FERRY_MONGODB_URI";

  private final MongoServer server;
  private final String uri;
  private final String database;
  private final MongoClient client;

  private MongoTestServer(MongoServer server, String uri) {
    this.server = server;
    this.uri = uri;
    this.database = "ferry_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    this.client = MongoClients.create(uri);
  }

  static MongoTestServer start() {
    String real = System.getenv(ENV);
    if (real != null && !real.isBlank()) {
      return new MongoTestServer(null, real);
    }
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind("127.0.0.1", 0);
    InetSocketAddress address = server.getLocalAddress();
    return new MongoTestServer(server, "mongodb://127.0.0.1:" + address.getPort());
  }

  /** Whether this is a real MongoDB (given by {@value #ENV}). */
  boolean real() {
    return server == null;
  }

  String uri() {
    return uri;
  }

  String databaseName() {
    return database;
  }

  MongoDatabase database() {
    return client.getDatabase(database);
  }

  MongoClient client() {
    return client;
  }

  /** Options every role needs: the server and the database. */
  Map<String, Object> options() {
    Map<String, Object> o = new HashMap<>();
    o.put("uri", uri);
    o.put("database", database);
    o.put("connectTimeout", "5s");
    o.put("retryBackoff", "10ms");
    return o;
  }

  Source source(Map<String, Object> extra, ConnectorContext context) {
    Map<String, Object> raw = new HashMap<>(options());
    raw.putAll(extra);
    var role = new MongoConnector().source().orElseThrow();
    Options parsed = role.options().parse(raw);
    return role.create(parsed, context);
  }

  Sink sink(Map<String, Object> extra, ConnectorContext context) {
    Map<String, Object> raw = new HashMap<>(options());
    raw.putAll(extra);
    var role = new MongoConnector().sink().orElseThrow();
    return role.create(role.options().parse(raw), context);
  }

  @Override
  public void close() {
    try {
      client.getDatabase(database).drop();
    } finally {
      client.close();
      if (server != null) {
        server.shutdownNow();
      }
    }
  }
}
