package io.ferry.server.api;

import io.ferry.server.catalog.CatalogBrowser;
import io.ferry.server.catalog.CollectionService;
import io.ferry.server.catalog.CustomAttributes;
import io.ferry.server.catalog.MetaModels;
import io.ferry.server.shared.Page;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The metadata catalog (docs/catalog.md): meta-models, collection tasks and their instances, and
 * the collected catalog's browse and search. Changes need an admin or operator (SecurityConfig).
 */
@RestController
public class CatalogController {
  private final CollectionService collections;
  private final CatalogBrowser browser;
  private final CustomAttributes customAttributes;

  public CatalogController(
      CollectionService collections, CatalogBrowser browser, CustomAttributes customAttributes) {
    this.collections = collections;
    this.browser = browser;
    this.customAttributes = customAttributes;
  }

  @GetMapping("/api/catalog/models")
  public List<MetaModels.MetaModel> models() {
    return MetaModels.ALL;
  }

  /** The custom attributes people defined for a meta-model. */
  @GetMapping("/api/catalog/models/{model}/attributes")
  public List<CustomAttributes.Definition> customAttributes(@PathVariable String model) {
    return customAttributes.list(model);
  }

  @PostMapping("/api/catalog/models/{model}/attributes")
  @ResponseStatus(HttpStatus.CREATED)
  public CustomAttributes.Definition createCustomAttribute(
      @PathVariable String model, @RequestBody CustomAttributes.Request request) {
    return customAttributes.create(model, request);
  }

  /** Changes a custom attribute's type, required flag, allowed values or description. */
  @PutMapping("/api/catalog/models/{model}/attributes/{id}")
  public CustomAttributes.Definition updateCustomAttribute(
      @PathVariable String model,
      @PathVariable long id,
      @RequestBody CustomAttributes.Request request) {
    return customAttributes.update(model, id, request);
  }

  @DeleteMapping("/api/catalog/models/{model}/attributes/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void deleteCustomAttribute(@PathVariable String model, @PathVariable long id) {
    customAttributes.delete(model, id);
  }

  @GetMapping("/api/catalog/tasks")
  public Page<CollectionService.View> tasks(
      @RequestParam(required = false) String q,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return collections.list(q, page, size);
  }

  /** Creates a task; its first collection starts at once (the instance returned). */
  @PostMapping("/api/catalog/tasks")
  @ResponseStatus(HttpStatus.CREATED)
  public CollectionService.Started create(@RequestBody CollectionService.Request request) {
    return collections.create(request);
  }

  @GetMapping("/api/catalog/tasks/{id}")
  public CollectionService.View task(@PathVariable long id) {
    return collections.get(id);
  }

  public record CronChange(String cron) {}

  /** Only the cron expression of a task may change. */
  @PutMapping("/api/catalog/tasks/{id}")
  public CollectionService.View updateCron(@PathVariable long id, @RequestBody CronChange body) {
    return collections.updateCron(id, body == null ? null : body.cron());
  }

  /** Deletes the task with its instances and their error logs. */
  @DeleteMapping("/api/catalog/tasks/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(@PathVariable long id) {
    collections.delete(id);
  }

  /**
   * "Sync now".
   *
   * @param confirmRemovals lets the run remove more than the removal guard allows
   * @param removeUncovered also removes the data source's tables the task's patterns do not cover
   *     (a narrower task removes nothing it does not cover unless asked so)
   */
  @PostMapping("/api/catalog/tasks/{id}/sync")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public CollectionService.Started sync(
      @PathVariable long id,
      @RequestParam(defaultValue = "false") boolean confirmRemovals,
      @RequestParam(defaultValue = "false") boolean removeUncovered) {
    return collections.syncNow(
        id, new CollectionService.Removals(confirmRemovals, removeUncovered));
  }

  @GetMapping("/api/catalog/tasks/{id}/instances")
  public Page<CollectionService.InstanceView> instances(
      @PathVariable long id,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return collections.instances(id, page, size);
  }

  /** An instance with its error log. */
  @GetMapping("/api/catalog/instances/{id}")
  public CollectionService.InstanceDetail instance(@PathVariable long id) {
    return collections.instance(id);
  }

  @GetMapping("/api/catalog/sources")
  public List<CatalogBrowser.Source> sources() {
    return browser.sources();
  }

  @GetMapping("/api/catalog/sources/{id}/databases")
  public List<CatalogBrowser.Database> databases(@PathVariable long id) {
    return browser.databases(id);
  }

  @GetMapping("/api/catalog/sources/{id}/tables")
  public List<CatalogBrowser.TableSummary> tables(
      @PathVariable long id,
      @RequestParam String database,
      @RequestParam(defaultValue = "false") boolean includeRemoved) {
    return browser.tables(id, database, includeRemoved);
  }

  /**
   * A current collected table by name, as the task wizard's field mapping reads it; 204 (no
   * content) when it was not collected, an expected answer: the wizard then browses the data source
   * live.
   */
  @GetMapping("/api/catalog/sources/{id}/table")
  public ResponseEntity<CatalogBrowser.CollectedTable> collectedTable(
      @PathVariable long id,
      @RequestParam(defaultValue = "") String database,
      @RequestParam String name) {
    return browser
        .collected(id, database, name)
        .map(ResponseEntity::ok)
        .orElseGet(() -> ResponseEntity.noContent().build());
  }

  /** A table with its technical attributes, columns, history and the tasks that use it. */
  @GetMapping("/api/catalog/tables/{id}")
  public CatalogBrowser.TableView table(@PathVariable long id) {
    return browser.table(id);
  }

  /** Sets a table's common attributes (owner, description, tags, classification). */
  @PutMapping("/api/catalog/tables/{id}/common")
  public CatalogBrowser.TableView setCommon(
      @PathVariable long id, @RequestBody CatalogBrowser.Common common) {
    return browser.setCommon(id, common);
  }

  public record CustomValues(Map<String, Object> values) {}

  /** Sets a table's custom attributes, each checked against its meta-model's definition. */
  @PutMapping("/api/catalog/tables/{id}/custom")
  public CatalogBrowser.TableView setCustom(@PathVariable long id, @RequestBody CustomValues body) {
    return browser.setCustom(id, body == null ? null : body.values());
  }

  @GetMapping("/api/catalog/search")
  public CatalogBrowser.SearchResult search(
      @RequestParam(required = false) String q,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    return browser.search(q, page, size);
  }
}
