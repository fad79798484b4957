package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.connector.support.JsonValues;
import io.ferry.spi.Codec;
import io.ferry.spi.Column;
import io.ferry.spi.ConnectorContext;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Schema;
import io.ferry.spi.Source;
import io.ferry.spi.Split;
import io.ferry.spi.SplitPlanner;
import io.ferry.spi.SplitReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads documents with sliced searches: a point in time shared by every slice and {@code
 * search_after} (Elasticsearch 8.x; OpenSearch with sortFields), or a sliced scroll (7.x). See the
 * module README.
 */
final class EsSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(EsSource.class);

  /** With slices: 0, no more than one slice per this many documents. */
  static final int DOCS_PER_AUTO_SLICE = 1000;

  /** Metadata columns a hit carries beside its {@code _source}. */
  static final List<String> METADATA = List.of("_id", "_index", "_routing");

  private final Options options;
  private final ConnectorContext context;
  private final EsClient client;
  private final String index;
  private final ObjectNode query;
  private final List<String> sortFields;
  private final int batchSize;
  private final Duration keepAlive;
  private final EsOptions.ReadMode requestedMode;

  private volatile Schema schema;

  /**
   * Point-in-time ids this source opened, with the slices of their plan not yet read to the end.
   */
  private final Map<String, AtomicInteger> openPits = new ConcurrentHashMap<>();

  EsSource(Options options, ConnectorContext context) {
    this.options = options;
    this.context = context;
    this.index = options.get(EsOptions.SOURCE_INDEX).trim();
    List<OptionProblem> problems = new ArrayList<>();
    checkAuthOptions(options, problems);
    if (options.has(EsOptions.FIELDS) && options.has(EsOptions.COLUMNS)) {
      problems.add(
          new OptionProblem(
              EsOptions.FIELDS.name(),
              "give fields or columns, not both (columns name fields too)"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException(ErrorCode.OPTION_INVALID, problems);
    }
    String queryText = options.get(EsOptions.QUERY);
    this.query =
        queryText == null
            ? (ObjectNode)
                JsonValues.mapper()
                    .createObjectNode()
                    .set("match_all", JsonValues.mapper().createObjectNode())
            : (ObjectNode) readJson(queryText);
    this.sortFields = options.get(EsOptions.SORT_FIELDS);
    this.batchSize = options.get(EsOptions.BATCH_SIZE);
    this.keepAlive = options.get(EsOptions.KEEP_ALIVE);
    this.requestedMode = options.get(EsOptions.READ_MODE);
    if (options.has(EsOptions.COLUMNS)) {
      this.schema = Schema.of(options.get(EsOptions.COLUMNS));
    }
    this.client = EsClient.create(options, context.localFiles());
  }

  static void checkAuthOptions(Options options, List<OptionProblem> problems) {
    if (options.get(EsOptions.USERNAME) != null && options.get(EsOptions.API_KEY) != null) {
      problems.add(
          new OptionProblem(
              EsOptions.API_KEY.name(), "give username/password or apiKey, not both"));
    }
    if (options.get(EsOptions.PASSWORD) != null && options.get(EsOptions.USERNAME) == null) {
      problems.add(new OptionProblem(EsOptions.USERNAME.name(), "password needs a username"));
    }
  }

  private static JsonNode readJson(String text) {
    try {
      return JsonValues.mapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("validated JSON no longer parses", e);
    }
  }

  /**
   * Connects and reads the version; on failure adds the problem to the option at fault.
   *
   * @return whether the cluster answered
   */
  static boolean checkConnection(EsClient client, List<OptionProblem> problems) {
    try {
      client.server();
      return true;
    } catch (FerryException e) {
      String option = e.option() != null ? e.option() : EsOptions.HOSTS.name();
      problems.add(new OptionProblem(option, e.getMessage()));
      return false;
    }
  }

  @Override
  public List<OptionProblem> check() {
    List<OptionProblem> problems = new ArrayList<>();
    if (!checkConnection(client, problems)) {
      return problems;
    }
    EsClient.Reply mapping =
        client.exchange("GET", "/" + EsClient.encode(index) + "/_mapping", null);
    if (mapping.status() == 404) {
      problems.add(
          new OptionProblem(
              EsOptions.SOURCE_INDEX.name(),
              "no index or alias '"
                  + index
                  + "' at "
                  + client.hosts()
                  + " ("
                  + EsClient.reason(mapping.body())
                  + ")"));
      return problems;
    }
    if (mapping.status() >= 300) {
      problems.add(
          new OptionProblem(EsOptions.SOURCE_INDEX.name(), EsClient.reason(mapping.body())));
      return problems;
    }
    if (mapping.body().size() == 0) {
      problems.add(
          new OptionProblem(
              EsOptions.SOURCE_INDEX.name(),
              "'" + index + "' matches no index at " + client.hosts()));
      return problems;
    }
    EsClient.Server server = client.server();
    if (mode() == ReadMode.PIT && !server.hasPit()) {
      problems.add(
          new OptionProblem(
              EsOptions.READ_MODE.name(),
              "point in time needs Elasticsearch 7.10 or OpenSearch 2.4 or later; "
                  + client.hosts()
                  + " runs "
                  + server));
    } else if (mode() == ReadMode.PIT && sortFields == null && !server.hasShardDoc()) {
      problems.add(
          new OptionProblem(
              EsOptions.READ_MODE.name(),
              "point in time without sortFields pages by _shard_doc, which "
                  + server
                  + " at "
                  + client.hosts()
                  + " does not have: set sortFields, or readMode: scroll"));
    }
    // The query and the sort, as Elasticsearch sees them.
    ObjectNode probe = JsonValues.mapper().createObjectNode();
    probe.put("size", 0);
    probe.set("query", query);
    EsClient.Reply reply =
        client.exchange("POST", "/" + EsClient.encode(index) + "/_search", probe);
    if (reply.status() >= 300) {
      problems.add(
          new OptionProblem(
              EsOptions.QUERY.name(),
              "Elasticsearch rejects the query: " + EsClient.reason(reply.body())));
      return problems;
    }
    if (sortFields != null) {
      probe.set("sort", sort());
      reply = client.exchange("POST", "/" + EsClient.encode(index) + "/_search", probe);
      if (reply.status() >= 300) {
        problems.add(
            new OptionProblem(
                EsOptions.SORT_FIELDS.name(),
                "Elasticsearch cannot sort by "
                    + sortFields
                    + ": "
                    + EsClient.reason(reply.body())));
      }
    }
    return problems;
  }

  @Override
  public Schema schema() {
    Schema s = schema;
    if (s == null) {
      JsonNode reply = client.get("/" + EsClient.encode(index) + "/_mapping");
      if (reply.size() == 0) {
        throw FerryException.option(
            ErrorCode.NOT_FOUND, EsOptions.SOURCE_INDEX.name(), "'" + index + "' matches no index");
      }
      List<Column> columns =
          EsTypes.columns(EsTypes.mergedMappings(reply), options.get(EsOptions.FIELDS));
      if (columns.isEmpty()) {
        throw FerryException.option(
            ErrorCode.OPTION_MISSING,
            EsOptions.COLUMNS.name(),
            "the mapping of '" + index + "' has no fields yet: declare the columns to read");
      }
      s = Schema.of(columns);
      schema = s;
    }
    return s;
  }

  enum ReadMode {
    PIT,
    SCROLL
  }

  ReadMode mode() {
    return switch (requestedMode) {
      case PIT -> ReadMode.PIT;
      case SCROLL -> ReadMode.SCROLL;
      case AUTO -> autoMode(client.server());
    };
  }

  /**
   * Elasticsearch 8: point in time; 7.x: scroll. OpenSearch pages a point in time only by
   * sortFields (it has no {@code _shard_doc}), so it scrolls without them.
   */
  private ReadMode autoMode(EsClient.Server server) {
    if (server.openSearch()) {
      return server.hasPit() && sortFields != null ? ReadMode.PIT : ReadMode.SCROLL;
    }
    return server.version().major() >= 8 ? ReadMode.PIT : ReadMode.SCROLL;
  }

  @Override
  public SplitPlanner planner() {
    return this::plan;
  }

  private List<Split> plan(int parallelism) {
    ReadMode mode = mode();
    String pit = null;
    long count;
    if (mode == ReadMode.PIT) {
      pit = openPit();
      ObjectNode body = JsonValues.mapper().createObjectNode();
      body.put("size", 0).put("track_total_hits", true);
      body.set("query", query);
      body.putObject("pit").put("id", pit).put("keep_alive", keepAliveText());
      JsonNode reply = client.send("POST", "/_search", body);
      count = reply.path("hits").path("total").path("value").asLong();
      pit = reply.path("pit_id").asText(pit);
    } else {
      ObjectNode body = JsonValues.mapper().createObjectNode();
      body.set("query", query);
      count =
          client
              .send("POST", "/" + EsClient.encode(index) + "/_count", body)
              .path("count")
              .asLong();
    }
    if (count == 0) {
      closePit(pit);
      return List.of();
    }
    int slices = options.get(EsOptions.SLICES);
    if (slices == 0) {
      slices =
          (int)
              Math.max(
                  1,
                  Math.min(parallelism, (count + DOCS_PER_AUTO_SLICE - 1) / DOCS_PER_AUTO_SLICE));
    }
    List<Split> splits = new ArrayList<>(slices);
    for (int i = 0; i < slices; i++) {
      long rows = slices == 1 ? count : -1;
      if (pit != null && slices > 1) {
        // Exact per slice, in the snapshot every reader will see.
        ObjectNode body = JsonValues.mapper().createObjectNode();
        body.put("size", 0).put("track_total_hits", true);
        body.set("query", query);
        body.putObject("pit").put("id", pit).put("keep_alive", keepAliveText());
        ObjectNode slice = body.putObject("slice");
        if (sortFields != null) {
          slice.put("field", sortFields.get(0));
        }
        slice.put("id", i).put("max", slices);
        rows =
            client.send("POST", "/_search", body).path("hits").path("total").path("value").asLong();
      }
      splits.add(new EsSplit("slice-" + i + "-of-" + slices, i, slices, pit, rows));
    }
    if (pit != null) {
      openPits.put(pit, new AtomicInteger(slices));
    }
    LOG.debug("planned {} slices over {} documents of {} ({})", slices, count, index, mode);
    return splits;
  }

  String openPit() {
    EsClient.Server server = client.server();
    JsonNode reply =
        client.send(
            "POST",
            "/" + EsClient.encode(index) + server.pitPath() + "?keep_alive=" + keepAliveText(),
            null);
    return reply.path(server.pitIdField()).asText();
  }

  void closePit(String pit) {
    if (pit == null) {
      return;
    }
    try {
      EsClient.Server server = client.server();
      client.exchange("DELETE", server.pitPath(), server.closePitBody(pit));
    } catch (RuntimeException e) {
      LOG.debug("closing a point in time: {}", e.toString());
    }
  }

  /**
   * A reader read its slice of {@code pit} to the end. Once every slice of the plan was, {@link
   * #close()} closes the point in time; until then it stays open for readers that resume.
   */
  void sliceDone(String pit) {
    AtomicInteger left = pit == null ? null : openPits.get(pit);
    if (left != null) {
      left.decrementAndGet();
    }
  }

  String keepAliveText() {
    return Math.max(1, keepAlive.toSeconds()) + "s";
  }

  /** The sort clause: the sort fields, or the cheapest order of the paging mode. */
  ArrayNode sort() {
    ArrayNode sort = JsonValues.mapper().createArrayNode();
    if (sortFields != null) {
      for (String f : sortFields) {
        sort.addObject().put(f, "asc");
      }
    }
    return sort;
  }

  @Override
  public Codec<Split> splitCodec() {
    return EsSplit.CODEC;
  }

  @Override
  public SplitReader openReader(Split split, Position after) {
    return new EsSplitReader(this, (EsSplit) split, after == null ? null : EsPosition.of(after));
  }

  @Override
  public OptionalLong estimatedRows() {
    try {
      ObjectNode body = JsonValues.mapper().createObjectNode();
      body.set("query", query);
      return OptionalLong.of(
          client
              .send("POST", "/" + EsClient.encode(index) + "/_count", body)
              .path("count")
              .asLong());
    } catch (FerryException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Closes the points in time of plans read to the end; the others expire after keepAlive, so that
   * a paused run can resume through them.
   */
  @Override
  public void close() {
    openPits.forEach(
        (pit, left) -> {
          if (left.get() <= 0) {
            closePit(pit);
          }
        });
    openPits.clear();
    client.close();
  }

  // ---- what readers share ---------------------------------------------------------------------

  EsClient client() {
    return client;
  }

  ConnectorContext context() {
    return context;
  }

  String index() {
    return index;
  }

  ObjectNode query() {
    return query;
  }

  List<String> sortFields() {
    return sortFields;
  }

  int batchSize() {
    return batchSize;
  }
}
