package io.ferry.server.datasources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ferry.engine.ConnectorRegistry;
import io.ferry.server.security.SecretCipher;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.DomainException.FieldProblem;
import io.ferry.server.shared.FerryProperties;
import io.ferry.server.shared.Page;
import io.ferry.spi.Catalog;
import io.ferry.spi.Connector;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Option;
import io.ferry.spi.OptionProblem;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.Sink;
import io.ferry.spi.Source;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;

/**
 * The data-source center: named connections (an alias, a connector, its connection options) that
 * tasks refer to. Options are checked against the connector's declarations on every save; values of
 * options the connector declares secret are stored encrypted and shown as {@link #MASK}.
 */
@Service
public class DataSourceService {
  /** What every response shows instead of a secret; sent back unchanged, it keeps the secret. */
  public static final String MASK = "****";

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcClient db;
  private final ConnectorRegistry connectors;
  private final SecretCipher cipher;
  private final FerryProperties properties;
  private final LocalFiles jobFiles;

  public DataSourceService(
      JdbcClient db,
      ConnectorRegistry connectors,
      SecretCipher cipher,
      FerryProperties properties,
      LocalFiles jobFiles) {
    this.db = db;
    this.connectors = connectors;
    this.cipher = cipher;
    this.properties = properties;
    this.jobFiles = jobFiles;
  }

  /**
   * A data source as the API shows it: secrets masked.
   *
   * @param sharedMining its shared-mining switch and store; null when it was never switched on
   */
  public record View(
      long id,
      String alias,
      String connector,
      String description,
      Map<String, Object> options,
      Instant createdAt,
      Instant updatedAt,
      SharedMining sharedMining) {}

  /**
   * A create or update request.
   *
   * @param sharedMining the shared-mining switch; null to leave it as it is (off on create)
   */
  public record Request(
      String alias,
      String connector,
      String description,
      Map<String, Object> options,
      SharedMining sharedMining) {
    public Request(
        String alias, String connector, String description, Map<String, Object> options) {
      this(alias, connector, description, options, null);
    }
  }

  /**
   * Shared mining on a data source (docs/shared-mining.md): its cdc tasks read its change log
   * through one mining run by default. The store is named by alias, never with its credentials.
   *
   * @param enabled the switch: new cdc tasks of this source use shared mining by default
   * @param logDatasource the data source that keeps the mining log (MongoDB, PostgreSQL,
   *     MySQL/MariaDB); asked for the first time the switch goes on, then kept
   * @param logTable the table or collection of the mining log in it
   * @param retentionHours how long a new mining run of this source keeps events (default 72)
   */
  public record SharedMining(
      Boolean enabled, String logDatasource, String logTable, Long retentionHours) {}

  /** A stored data source with its options in clear, for the server's own use only. */
  public record Resolved(long id, String alias, String connector, Map<String, Object> options) {
    @Override
    public String toString() {
      return "DataSource[" + id + ", " + alias + ", " + connector + "]"; // never the options
    }
  }

  /**
   * Data sources by alias, one page.
   *
   * @param q part of the alias, connector or description (case-insensitive); null for all
   */
  public Page<View> list(String q, int page, int size) {
    Page.Where where = new Page.Where();
    if (q != null && !q.isBlank()) {
      String like = "%" + q.toLowerCase(java.util.Locale.ROOT) + "%";
      where.and(
          "(LOWER(alias) LIKE ? OR LOWER(connector) LIKE ? OR LOWER(description) LIKE ?)",
          like,
          like,
          like);
    }
    return Page.query(
            db, COLUMNS, "ferry_datasource", where, "alias", page, size, (rs, i) -> row(rs))
        .map(this::view);
  }

  public View get(long id) {
    return view(stored(id));
  }

  /** The data source with this alias, secrets masked. */
  public View byAlias(String alias) {
    return view(storedByAlias(alias));
  }

  public View create(Request request) {
    Connector connector = validateHeader(request);
    Map<String, Object> options = request.options() == null ? Map.of() : request.options();
    validateOptions(connector, options, Map.of());
    checkAliasFree(request.alias(), null);
    SharedMiningSetting.Stored mining =
        request.sharedMining() == null
            ? SharedMiningSetting.Stored.NONE
            : SharedMiningSetting.check(
                request.sharedMining(),
                SharedMiningSetting.Stored.NONE,
                null,
                connector,
                db,
                connectors);
    Instant now = Instant.now();
    GeneratedKeyHolder keys = new GeneratedKeyHolder();
    db.sql(
            "INSERT INTO ferry_datasource (alias, connector, description, options, created_at,"
                + " updated_at, shared_mining, mining_log_id, mining_log_object,"
                + " mining_retention_hours) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            request.alias(),
            connector.name(),
            request.description(),
            json(encrypt(connector, options)),
            Timestamp.from(now),
            Timestamp.from(now),
            mining.enabled(),
            mining.logId(),
            mining.logObject(),
            mining.retentionHours())
        .update(keys, "id");
    return get(keys.getKey().longValue());
  }

  public View update(long id, Request request) {
    Stored old = stored(id);
    Connector connector = validateHeader(request);
    Map<String, Object> given = request.options() == null ? Map.of() : request.options();
    // A masked secret sent back means "unchanged": take the stored value, but only for the server
    // it was stored for.
    Set<String> redirected =
        old.connector.equals(connector.name())
            ? redirected(connector, resolve(old).options(), given, true)
            : Set.of("connector");
    Map<String, Object> merged = new LinkedHashMap<>();
    Set<String> secrets = secretNames(connector);
    List<FieldProblem> again = new ArrayList<>();
    for (Map.Entry<String, Object> e : given.entrySet()) {
      if (secrets.contains(e.getKey()) && MASK.equals(e.getValue())) {
        if (!redirected.isEmpty()) {
          again.add(
              new FieldProblem(
                  "options." + e.getKey(),
                  "give it again: the stored secret goes only to the server it was stored for,"
                      + " and "
                      + String.join(", ", redirected)
                      + " changed"));
        } else if (old.options.containsKey(e.getKey())) {
          merged.put(e.getKey(), old.options.get(e.getKey()));
        }
      } else {
        merged.put(e.getKey(), e.getValue());
      }
    }
    if (!again.isEmpty()) {
      throw DomainException.invalid(again);
    }
    validateOptions(connector, merged, old.options);
    checkAliasFree(request.alias(), id);
    SharedMiningSetting.Stored mining =
        request.sharedMining() == null
            ? old.mining
            : SharedMiningSetting.check(
                request.sharedMining(), old.mining, old.alias, connector, db, connectors);
    Map<String, Object> toStore = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : merged.entrySet()) {
      toStore.put(
          e.getKey(),
          secrets.contains(e.getKey())
                  && e.getValue() != null
                  && !SecretCipher.isEncrypted(e.getValue())
              ? cipher.encrypt(String.valueOf(e.getValue()))
              : e.getValue());
    }
    db.sql(
            "UPDATE ferry_datasource SET alias = ?, connector = ?, description = ?, options = ?,"
                + " updated_at = ?, shared_mining = ?, mining_log_id = ?, mining_log_object = ?,"
                + " mining_retention_hours = ? WHERE id = ?")
        .params(
            request.alias(),
            connector.name(),
            request.description(),
            json(toStore),
            Timestamp.from(Instant.now()),
            mining.enabled(),
            mining.logId(),
            mining.logObject(),
            mining.retentionHours(),
            id)
        .update();
    return get(id);
  }

  /**
   * Seals every stored secret that the previous key sealed again with the current key (a key
   * rotation, {@link SecretCipher}); a conditional update per data source, so nodes starting
   * together or an edit meanwhile lose nothing. Returns how many data sources changed.
   */
  public int resealSecrets() {
    if (!cipher.rotating()) {
      return 0;
    }
    int changed = 0;
    List<Map.Entry<Long, String>> rows =
        db.sql("SELECT id, options FROM ferry_datasource")
            .query((rs, i) -> Map.entry(rs.getLong(1), rs.getString(2)))
            .list();
    for (Map.Entry<Long, String> row : rows) {
      Map<String, Object> options = parse(row.getValue());
      boolean resealed = false;
      for (Map.Entry<String, Object> e : options.entrySet()) {
        if (SecretCipher.isEncrypted(e.getValue())) {
          Optional<String> again = cipher.reseal((String) e.getValue());
          if (again.isPresent()) {
            e.setValue(again.get());
            resealed = true;
          }
        }
      }
      if (resealed) {
        changed +=
            db.sql("UPDATE ferry_datasource SET options = ? WHERE id = ? AND options = ?")
                .params(json(options), row.getKey(), row.getValue())
                .update();
      }
    }
    return changed;
  }

  public void delete(long id) {
    stored(id);
    db.sql("DELETE FROM ferry_datasource WHERE id = ?").param(id).update();
  }

  /** The data source with its secrets decrypted. */
  public Resolved resolve(long id) {
    return resolve(stored(id));
  }

  /** The data source with this alias, its secrets decrypted. */
  public Resolved resolve(String alias) {
    return resolve(storedByAlias(alias));
  }

  private Stored storedByAlias(String alias) {
    return db.sql("SELECT " + COLUMNS + " FROM ferry_datasource WHERE alias = ?")
        .param(alias)
        .query((rs, i) -> row(rs))
        .optional()
        .orElseThrow(() -> DomainException.notFound("data source", "'" + alias + "'"));
  }

  private Resolved resolve(Stored s) {
    Map<String, Object> clear = new LinkedHashMap<>();
    s.options.forEach(
        (k, v) -> clear.put(k, SecretCipher.isEncrypted(v) ? cipher.decrypt((String) v) : v));
    return new Resolved(s.id, s.alias, s.connector, clear);
  }

  /** The result of a connection test: each problem names the option at fault. */
  public record TestResult(boolean ok, String role, List<OptionProblem> problems) {}

  /**
   * Connects with the data source's options and reports what the store rejects.
   *
   * @param role {@code source}, {@code sink}, or null for the catalog (the connection alone) when
   *     the connector has one, else the source
   * @param objectOptions options of the object to check besides the connection (e.g. {@code table})
   */
  public TestResult test(long id, String role, Map<String, Object> objectOptions) {
    Resolved ds = resolve(id);
    Connector connector = connectors.connector(ds.connector());
    Map<String, Object> options = new LinkedHashMap<>(ds.options());
    if (objectOptions != null) {
      // Stored secrets go only to the server they were stored for: a test elsewhere uses only the
      // secrets the caller sends.
      Set<String> secrets = secretNames(connector);
      if (!redirected(connector, ds.options(), objectOptions, false).isEmpty()) {
        options.keySet().removeAll(secrets);
      }
      objectOptions.forEach(
          (k, v) -> {
            if (!(secrets.contains(k) && MASK.equals(v))) {
              options.put(k, v);
            }
          });
    }
    String chosen =
        role != null
            ? role
            : connector.catalog().isPresent()
                ? "catalog"
                : connector.source().isPresent() ? "source" : "sink";
    ServerConnectorContext context = context("test-" + ds.alias());
    try {
      List<OptionProblem> problems =
          switch (chosen) {
            case "source" -> {
              Connector.Role<Source> r = role(connector.source(), "source", connector);
              try (Source source = r.create(r.options().parse(options), context)) {
                yield source.check();
              }
            }
            case "sink" -> {
              Connector.Role<Sink> r = role(connector.sink(), "sink", connector);
              try (Sink sink = r.create(r.options().parse(options), context)) {
                yield sink.check();
              }
            }
            case "catalog" -> {
              Connector.Role<Catalog> r = role(connector.catalog(), "catalog", connector);
              try (Catalog catalog = r.create(r.options().parse(options), context)) {
                catalog.schemas();
                yield List.of();
              }
            }
            default -> throw DomainException.invalid("role", "source, sink or catalog expected");
          };
      return new TestResult(problems.isEmpty(), chosen, problems);
    } catch (InvalidOptionsException e) {
      return new TestResult(false, chosen, e.problems());
    } catch (FerryException e) {
      String option = e.option() == null ? "connection" : e.option();
      return new TestResult(false, chosen, List.of(new OptionProblem(option, e.getMessage())));
    } catch (DomainException e) {
      throw e;
    } catch (Exception e) {
      return new TestResult(
          false, chosen, List.of(new OptionProblem("connection", String.valueOf(e.getMessage()))));
    }
  }

  /**
   * What a data source can do in a {@code kind: cdc} task.
   *
   * @param changeSource its connector reads row changes (a binlog, a replication slot)
   * @param appliesChanges its sink applies row changes ({@code Sink#appliesChanges}) once given
   *     {@code changeOptions} and {@code changeNeeds}; for the generic JDBC connector this depends
   *     on the database its URL names
   * @param objectOption the sink option that names the object written ({@code table}, {@code
   *     collection}, {@code index}, {@code path}); null when the connector has no sink
   * @param changeOptions options a cdc task's target is given so that this sink applies changes (a
   *     file sink writes JSON Lines change records: {@code format: jsonl})
   * @param changeNeeds options a cdc task into this sink must give: {@code idColumns} (the document
   *     {@code _id} of an index), {@code rowKey} (the row key, of the table's key columns)
   */
  public record ChangeRoles(
      boolean changeSource,
      boolean appliesChanges,
      String objectOption,
      Map<String, Object> changeOptions,
      List<String> changeNeeds) {}

  /** The options that name a sink's object, in the order they are looked for. */
  private static final List<String> OBJECT_OPTIONS =
      List.of("table", "collection", "index", "path");

  /** The sink option of {@code connector} that names the object written; null without a sink. */
  public String objectOption(String connectorName) {
    Connector connector = connectors.connector(connectorName);
    if (connector.sink().isEmpty()) {
      return null;
    }
    OptionSet declared = connector.sink().get().options();
    return OBJECT_OPTIONS.stream().filter(o -> declared.option(o) != null).findFirst().orElse(null);
  }

  /**
   * The data source's {@link ChangeRoles}. Its sink is created with its options and a placeholder
   * object (nothing is written or connected to); when it cannot apply changes so, it is tried again
   * with the options by which sinks of its kind can: {@code format: jsonl} (change records in a
   * file), then {@code idColumns} (documents by {@code _id}).
   */
  public ChangeRoles changeRoles(long id) {
    Resolved ds = resolve(id);
    Connector connector = connectors.connector(ds.connector());
    boolean changeSource = connector.changeSource().isPresent();
    if (connector.sink().isEmpty()) {
      return new ChangeRoles(changeSource, false, null, Map.of(), List.of());
    }
    Connector.Role<Sink> r = connector.sink().get();
    OptionSet declared = r.options();
    String object = objectOption(ds.connector());
    Map<String, Object> base = new LinkedHashMap<>(ds.options());
    if (object != null) {
      base.put(object, object.equals("path") ? "ferry_probe.jsonl" : "ferry_probe");
    }
    Map<String, Object> fixed = new LinkedHashMap<>();
    List<String> needs = new ArrayList<>();
    boolean applies = applies(r, base, ds.alias());
    Option<?> format = declared.option("format");
    if (!applies && format != null && format.choices().contains("jsonl")) {
      Map<String, Object> jsonl = new LinkedHashMap<>(base);
      jsonl.put("format", "jsonl");
      if (applies(r, jsonl, ds.alias())) {
        applies = true;
        fixed.put("format", "jsonl");
      }
    }
    if (!applies && declared.option("idColumns") != null) {
      Map<String, Object> ids = new LinkedHashMap<>(base);
      ids.put("idColumns", List.of("ferry_probe"));
      if (applies(r, ids, ds.alias())) {
        applies = true;
        needs.add("idColumns");
      }
    }
    if (applies && declared.option("rowKey") != null) {
      needs.add("rowKey"); // made of the table's key columns, which only the task knows
    }
    return new ChangeRoles(changeSource, applies, object, fixed, needs);
  }

  private boolean applies(Connector.Role<Sink> role, Map<String, Object> options, String alias) {
    ServerConnectorContext probe =
        new ServerConnectorContext(
            ("probe-" + alias).replaceAll("[^A-Za-z0-9_.-]", "_"),
            properties.dataDir().resolve("tmp"),
            LocalFiles.unrestricted()); // nothing is written: a path is only parsed
    try (Sink sink = role.create(role.options().parse(options), probe)) {
      return sink.appliesChanges();
    } catch (Exception e) {
      return false; // options a sink cannot take: it cannot apply changes either
    }
  }

  /** Runs {@code body} with the data source's catalog open. */
  public <T> T withCatalog(long id, Function<Catalog, T> body) {
    Resolved ds = resolve(id);
    Connector connector = connectors.connector(ds.connector());
    Connector.Role<Catalog> r = role(connector.catalog(), "catalog", connector);
    Options options;
    try {
      options = r.options().parse(connectionOnly(r.options(), ds.options()));
    } catch (InvalidOptionsException e) {
      throw DomainException.invalid(
          e.problems().stream()
              .map(p -> new FieldProblem("options." + p.option(), p.message()))
              .toList());
    }
    try (Catalog catalog = r.create(options, context("catalog-" + ds.alias()))) {
      return body.apply(catalog);
    }
  }

  private static Map<String, Object> connectionOnly(OptionSet set, Map<String, Object> options) {
    Map<String, Object> kept = new LinkedHashMap<>();
    options.forEach(
        (k, v) -> {
          if (set.option(k) != null) {
            kept.put(k, v);
          }
        });
    return kept;
  }

  private ServerConnectorContext context(String name) {
    return new ServerConnectorContext(
        name.replaceAll("[^A-Za-z0-9_.-]", "_"), properties.dataDir().resolve("tmp"), jobFiles);
  }

  private static <T> Connector.Role<T> role(
      java.util.Optional<Connector.Role<T>> role, String name, Connector connector) {
    return role.orElseThrow(
        () ->
            DomainException.invalid(
                "role", "the " + connector.name() + " connector has no " + name + " role"));
  }

  // ---- validation -------------------------------------------------------------------------

  private Connector validateHeader(Request request) {
    List<FieldProblem> problems = new ArrayList<>();
    if (request.alias() == null || request.alias().isBlank()) {
      problems.add(new FieldProblem("alias", "required"));
    } else if (request.alias().length() > 200) {
      problems.add(new FieldProblem("alias", "at most 200 characters"));
    }
    if (request.description() != null && request.description().length() > 2000) {
      problems.add(new FieldProblem("description", "at most 2000 characters"));
    }
    Connector connector = null;
    if (request.connector() == null || request.connector().isBlank()) {
      problems.add(new FieldProblem("connector", "required"));
    } else {
      try {
        connector = connectors.connector(request.connector());
      } catch (FerryException e) {
        problems.add(new FieldProblem("connector", e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    return connector;
  }

  /**
   * Checks the connection options: with the catalog's declarations when the connector has a catalog
   * (they are exactly the connection options), else each given option alone against the source's
   * and sink's declarations (object options such as a path may be left to the task).
   */
  private void validateOptions(
      Connector connector, Map<String, Object> options, Map<String, Object> stored) {
    // Stored secrets are ciphertext; check them in clear.
    Map<String, Object> clear = new LinkedHashMap<>();
    options.forEach(
        (k, v) -> clear.put(k, SecretCipher.isEncrypted(v) ? cipher.decrypt((String) v) : v));
    List<FieldProblem> problems = new ArrayList<>();
    if (connector.catalog().isPresent()) {
      try {
        connector.catalog().get().options().parse(clear);
      } catch (InvalidOptionsException e) {
        e.problems()
            .forEach(p -> problems.add(new FieldProblem("options." + p.option(), p.message())));
      }
    } else {
      Map<String, Option<?>> declared = declared(connector);
      for (Map.Entry<String, Object> e : clear.entrySet()) {
        Option<?> option = declared.get(e.getKey());
        if (option == null) {
          problems.add(
              new FieldProblem(
                  "options." + e.getKey(),
                  "unknown option; known options: " + String.join(", ", declared.keySet())));
        } else if (e.getValue() != null) {
          try {
            option.parse(e.getValue());
          } catch (IllegalArgumentException bad) {
            String message =
                option.secret()
                    ? bad.getMessage().replace(String.valueOf(e.getValue()), MASK)
                    : bad.getMessage();
            problems.add(new FieldProblem("options." + e.getKey(), message));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
  }

  /** Every option the connector's roles declare, by name. */
  static Map<String, Option<?>> declared(Connector connector) {
    Map<String, Option<?>> all = new LinkedHashMap<>();
    for (var role :
        List.of(connector.catalog(), connector.source(), connector.sink(), connector.catalog())) {
      role.ifPresent(r -> r.options().options().forEach(o -> all.putIfAbsent(o.name(), o)));
    }
    return all;
  }

  /**
   * The endpoint options ({@link Option#endpoint()}: where the connection goes or how its server is
   * verified) to which {@code given} gives another value than {@code stored} has. Values compare as
   * the option parses them ({@code 5432} and {@code "5432"} are the same port); a secret sent as
   * {@link #MASK} is the stored one.
   *
   * @param replaces whether {@code given} replaces all stored options (an update), so that one it
   *     leaves out is changed too, rather than being laid over them (a test, a script)
   */
  public static Set<String> redirected(
      Connector connector,
      Map<String, Object> stored,
      Map<String, Object> given,
      boolean replaces) {
    Set<String> changed = new TreeSet<>();
    for (Option<?> option : declared(connector).values()) {
      String name = option.name();
      boolean considered = given.containsKey(name) || (replaces && stored.containsKey(name));
      if (option.endpoint()
          && considered
          && !(option.secret() && MASK.equals(given.get(name)))
          && !sameValue(option, stored.get(name), given.get(name))) {
        changed.add(name);
      }
    }
    return changed;
  }

  private static boolean sameValue(Option<?> option, Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    try {
      return option.parse(a).equals(option.parse(b));
    } catch (RuntimeException unparsable) {
      return String.valueOf(a).equals(String.valueOf(b));
    }
  }

  public static Set<String> secretNames(Connector connector) {
    Set<String> names = new TreeSet<>();
    declared(connector).values().stream().filter(Option::secret).forEach(o -> names.add(o.name()));
    return names;
  }

  private void checkAliasFree(String alias, Long self) {
    List<Long> ids =
        db.sql("SELECT id FROM ferry_datasource WHERE alias = ?")
            .param(alias)
            .query(Long.class)
            .list();
    if (ids.stream().anyMatch(id -> !id.equals(self))) {
      throw new DomainException.Conflict(
          "a data source named '" + alias + "' exists",
          List.of(new FieldProblem("alias", "already taken")));
    }
  }

  // ---- storage ----------------------------------------------------------------------------

  private static final String COLUMNS =
      "id, alias, connector, description, options, created_at, updated_at, shared_mining,"
          + " mining_log_id, mining_log_object, mining_retention_hours";

  private record Stored(
      long id,
      String alias,
      String connector,
      String description,
      Map<String, Object> options,
      Instant createdAt,
      Instant updatedAt,
      SharedMiningSetting.Stored mining) {}

  private Stored stored(long id) {
    return db.sql("SELECT " + COLUMNS + " FROM ferry_datasource WHERE id = ?")
        .param(id)
        .query((rs, i) -> row(rs))
        .optional()
        .orElseThrow(() -> DomainException.notFound("data source", id));
  }

  private static Stored row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Stored(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        parse(rs.getString(5)),
        rs.getTimestamp(6).toInstant(),
        rs.getTimestamp(7).toInstant(),
        new SharedMiningSetting.Stored(
            rs.getBoolean(8),
            (Long) rs.getObject(9, Long.class),
            rs.getString(10),
            (Long) rs.getObject(11, Long.class)));
  }

  private View view(Stored s) {
    Map<String, Object> shown = new LinkedHashMap<>();
    s.options.forEach((k, v) -> shown.put(k, SecretCipher.isEncrypted(v) ? MASK : v));
    return new View(
        s.id,
        s.alias,
        s.connector,
        s.description,
        shown,
        s.createdAt,
        s.updatedAt,
        sharedMining(s.mining));
  }

  /** The setting as the API shows it: its store by alias only. */
  private SharedMining sharedMining(SharedMiningSetting.Stored m) {
    if (!m.configured()) {
      return null;
    }
    String store =
        db.sql("SELECT alias FROM ferry_datasource WHERE id = ?")
            .param(m.logId())
            .query(String.class)
            .optional()
            .orElse(null);
    return new SharedMining(m.enabled(), store, m.logObject(), m.retentionHours());
  }

  /**
   * The shared mining of the data source with this alias when it is switched on: the store by
   * alias, its table or collection, the retention; empty when off or never set.
   */
  public Optional<SharedMining> sharedMiningOf(String alias) {
    Stored s = storedByAlias(alias);
    SharedMining m = sharedMining(s.mining);
    return m == null || !m.enabled() || m.logDatasource() == null
        ? Optional.empty()
        : Optional.of(m);
  }

  /** The aliases of the data sources whose shared mining keeps its log in this one. */
  public List<String> miningLogUsersOf(long id) {
    return db.sql(
            "SELECT alias FROM ferry_datasource WHERE mining_log_id = ? AND id <> ? ORDER BY alias")
        .params(id, id)
        .query(String.class)
        .list();
  }

  private Map<String, Object> encrypt(Connector connector, Map<String, Object> options) {
    Set<String> secrets = secretNames(connector);
    Map<String, Object> out = new LinkedHashMap<>();
    options.forEach(
        (k, v) ->
            out.put(
                k,
                secrets.contains(k) && v != null && !SecretCipher.isEncrypted(v)
                    ? cipher.encrypt(String.valueOf(v))
                    : v));
    return out;
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode options", e);
    }
  }

  static Map<String, Object> parse(String json) {
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored options do not parse", e);
    }
  }
}
