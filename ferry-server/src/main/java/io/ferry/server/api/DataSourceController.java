package io.ferry.server.api;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.server.datasources.ConnectorTexts;
import io.ferry.server.datasources.DataSourceService;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.Page;
import io.ferry.server.tasks.JobTemplates;
import io.ferry.server.tasks.TaskService;
import io.ferry.spi.Catalog;
import io.ferry.spi.Connector;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Installed connectors with their option declarations, data sources, tests and catalogs. */
@RestController
public class DataSourceController {
  private final DataSourceService dataSources;
  private final ConnectorRegistry connectors;
  private final AuditLog audit;
  private final TaskService tasks;
  private final ConnectorTexts texts;
  private final JobTemplates templates;

  public DataSourceController(
      DataSourceService dataSources,
      ConnectorRegistry connectors,
      AuditLog audit,
      TaskService tasks,
      ConnectorTexts texts,
      JobTemplates templates) {
    this.dataSources = dataSources;
    this.connectors = connectors;
    this.audit = audit;
    this.tasks = tasks;
    this.texts = texts;
    this.templates = templates;
  }

  /** Scripts name data sources by alias: one in use keeps its alias and cannot go. */
  private void refuseWhileUsed(DataSourceService.View ds, String what) {
    List<String> users = tasks.usersOf(ds.alias());
    if (!users.isEmpty()) {
      throw DomainException.conflict(
          "data source '"
              + ds.alias()
              + "' cannot be "
              + what
              + ": used by "
              + String.join(", ", users));
    }
  }

  /**
   * One option as a form renders it, its texts in the request's language (Accept-Language).
   *
   * @param label the name as a form labels it, beside the name; null where the name is the label
   *     (English)
   * @param endpoint whether changing it sends no stored secret ({@link Option#endpoint()})
   */
  public record OptionView(
      String name,
      String label,
      String type,
      String description,
      Object defaultValue,
      boolean required,
      boolean secret,
      boolean endpoint,
      List<String> choices) {}

  /** A connector and the options of each role it has. */
  public record ConnectorView(
      String name, String description, Map<String, List<OptionView>> roles) {}

  @GetMapping("/api/connectors")
  public List<ConnectorView> connectors(Locale locale) {
    return connectors.connectors().stream().map(c -> view(c, locale)).toList();
  }

  @GetMapping("/api/connectors/{name}")
  public ConnectorView connector(@PathVariable String name, Locale locale) {
    return view(installed(name), locale);
  }

  private Connector installed(String name) {
    return connectors.connectors().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> DomainException.notFound("connector", name));
  }

  /** A generated job file, as the script editor takes it. */
  public record JobTemplate(String script) {}

  /**
   * A job file for script mode, generated from the declarations of its two connectors (see {@link
   * JobTemplates}). Each side is a data source (by alias: its connection options come from it) or a
   * connector.
   */
  @GetMapping("/api/templates/job")
  public JobTemplate jobTemplate(
      @RequestParam(required = false) String source,
      @RequestParam(required = false) String sourceDatasource,
      @RequestParam(required = false) String sink,
      @RequestParam(required = false) String sinkDatasource,
      Locale locale) {
    return new JobTemplate(
        templates.job(
            side("source", source, sourceDatasource), side("sink", sink, sinkDatasource), locale));
  }

  private JobTemplates.Side side(String role, String connector, String alias) {
    if (alias != null && !alias.isBlank()) {
      DataSourceService.View ds = dataSources.byAlias(alias);
      return new JobTemplates.Side(installed(ds.connector()), ds.alias(), ds.options().keySet());
    }
    if (connector == null || connector.isBlank()) {
      throw DomainException.invalid(
          role, "a connector, or a data source by alias as " + role + "Datasource, expected");
    }
    return new JobTemplates.Side(installed(connector), null, Set.of());
  }

  private ConnectorView view(Connector c, Locale locale) {
    Map<String, List<OptionView>> roles = new LinkedHashMap<>();
    c.source().ifPresent(r -> roles.put("source", options(c, r.options(), locale)));
    c.sink().ifPresent(r -> roles.put("sink", options(c, r.options(), locale)));
    // A source of row changes (kind: cdc jobs): the wizard offers its sync modes.
    c.changeSource().ifPresent(r -> roles.put("changeSource", options(c, r.options(), locale)));
    c.catalog().ifPresent(r -> roles.put("catalog", options(c, r.options(), locale)));
    // It can keep a shared-mining log: a data source of it may be a mining-log store. The role
    // alone: its options (the table or collection) are the data source's shared-mining setting's.
    c.miningLog().ifPresent(r -> roles.put("miningLog", List.of()));
    return new ConnectorView(c.name(), texts.description(c, locale), roles);
  }

  private List<OptionView> options(Connector c, OptionSet set, Locale locale) {
    List<OptionView> out = new ArrayList<>();
    for (Option<?> o : set.options()) {
      // Numbers and booleans as such; the rest as a job file writes it (10s, 64MB, insert).
      Object def =
          switch (o.type()) {
            case INTEGER, LONG, DOUBLE, BOOLEAN -> o.defaultValue();
            default -> o.defaultText();
          };
      out.add(
          new OptionView(
              o.name(),
              texts.label(c, o, locale),
              o.type().name().toLowerCase(Locale.ROOT),
              texts.description(c, o, locale),
              def,
              o.required(),
              o.secret(),
              o.endpoint(),
              o.choices()));
    }
    return out;
  }

  @GetMapping("/api/datasources")
  public Page<DataSourceService.View> list(
      @RequestParam(required = false) String q,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return dataSources.list(q, page, size);
  }

  @GetMapping("/api/datasources/{id}")
  public DataSourceService.View get(@PathVariable long id) {
    return dataSources.get(id);
  }

  /** Whether the data source can be a cdc task's source, and whether its sink applies changes. */
  @GetMapping("/api/datasources/{id}/change-roles")
  public DataSourceService.ChangeRoles changeRoles(@PathVariable long id) {
    return dataSources.changeRoles(id);
  }

  @PostMapping("/api/datasources")
  @ResponseStatus(HttpStatus.CREATED)
  public DataSourceService.View create(@RequestBody DataSourceService.Request request) {
    DataSourceService.View created = dataSources.create(request);
    audit.record("create", "datasource", created.id(), created.alias());
    return created;
  }

  @PutMapping("/api/datasources/{id}")
  public DataSourceService.View update(
      @PathVariable long id, @RequestBody DataSourceService.Request request) {
    DataSourceService.View old = dataSources.get(id);
    if (request.alias() != null && !request.alias().equals(old.alias())) {
      refuseWhileUsed(old, "renamed");
    }
    DataSourceService.View updated = dataSources.update(id, request);
    audit.record("edit", "datasource", id, updated.alias());
    return updated;
  }

  @DeleteMapping("/api/datasources/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(@PathVariable long id) {
    DataSourceService.View old = dataSources.get(id);
    refuseWhileUsed(old, "deleted");
    List<String> mined = dataSources.miningLogUsersOf(id);
    if (!mined.isEmpty()) {
      throw DomainException.conflict(
          "data source '"
              + old.alias()
              + "' cannot be deleted: the shared mining of "
              + String.join(", ", mined)
              + " keeps its mining log there");
    }
    dataSources.delete(id);
    audit.record("delete", "datasource", id, old.alias());
  }

  /**
   * @param role source, sink or catalog (default: catalog when the connector has one)
   * @param options object options checked with the connection, e.g. {@code {"table": "t"}}
   */
  public record TestRequest(String role, Map<String, Object> options) {}

  @PostMapping("/api/datasources/{id}/test")
  public DataSourceService.TestResult test(
      @PathVariable long id, @RequestBody(required = false) TestRequest request) {
    TestRequest r = request == null ? new TestRequest(null, null) : request;
    return dataSources.test(id, r.role(), r.options());
  }

  @GetMapping("/api/datasources/{id}/catalog")
  public List<String> schemas(@PathVariable long id) {
    return dataSources.withCatalog(id, Catalog::schemas);
  }

  @GetMapping("/api/datasources/{id}/catalog/{schema}")
  public List<String> tables(@PathVariable long id, @PathVariable String schema) {
    return dataSources.withCatalog(
        id, c -> c.tables(schema).stream().map(Catalog.TableRef::name).toList());
  }

  /** A table's columns, key and row estimate. */
  public record TableView(
      String schema,
      String name,
      List<ColumnView> columns,
      List<String> primaryKey,
      Long rowEstimate,
      String comment) {}

  public record ColumnView(
      String name, String nativeType, String type, boolean nullable, String comment) {}

  @GetMapping("/api/datasources/{id}/catalog/{schema}/{table}")
  public TableView table(
      @PathVariable long id, @PathVariable String schema, @PathVariable String table) {
    return dataSources.withCatalog(
        id,
        c -> {
          Catalog.TableInfo info = c.table(new Catalog.TableRef(schema, table));
          return new TableView(
              info.ref().schema(),
              info.ref().name(),
              info.columns().stream()
                  .map(
                      col ->
                          new ColumnView(
                              col.name(),
                              col.nativeType(),
                              col.type().toString(),
                              col.nullable(),
                              col.comment()))
                  .toList(),
              info.primaryKey(),
              info.rowEstimate().isPresent() ? info.rowEstimate().getAsLong() : null,
              info.comment());
        });
  }
}
