package io.ferry.connector.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.ferry.spi.Catalog;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Options;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Indexes and aliases as tables (no schemas), their mapped fields as columns with Ferry types, and
 * their document counts as row estimates. Hidden and system indexes (names starting with a dot) are
 * left out.
 */
final class EsCatalog implements Catalog {
  private final EsClient client;

  EsCatalog(Options options, LocalFiles localFiles) {
    this.client = EsClient.create(options, localFiles);
  }

  @Override
  public List<String> schemas() {
    return List.of();
  }

  @Override
  public List<TableRef> tables(String schema) {
    TreeSet<String> names = new TreeSet<>();
    for (JsonNode row : client.get("/_cat/indices?format=json&h=index&expand_wildcards=open")) {
      String name = row.path("index").asText();
      if (!name.startsWith(".")) {
        names.add(name);
      }
    }
    for (JsonNode row : client.get("/_cat/aliases?format=json&h=alias")) {
      String name = row.path("alias").asText();
      if (!name.startsWith(".")) {
        names.add(name);
      }
    }
    List<TableRef> tables = new ArrayList<>();
    for (String name : names) {
      tables.add(new TableRef(null, name));
    }
    return tables;
  }

  @Override
  public TableInfo table(TableRef table) {
    String name = table.name();
    EsClient.Reply reply = client.exchange("GET", "/" + EsClient.encode(name) + "/_mapping", null);
    if (reply.status() == 404 || (reply.status() == 200 && reply.body().size() == 0)) {
      throw new FerryException(
          ErrorCode.NOT_FOUND, "no index or alias '" + name + "' at " + client.hosts());
    }
    if (reply.status() >= 300) {
      throw client.error("GET", "/" + name + "/_mapping", reply);
    }
    JsonNode mappings = EsTypes.mergedMappings(reply.body());
    Map<String, ColumnInfo> columns = new java.util.LinkedHashMap<>();
    JsonNode properties = mappings.path("properties");
    for (io.ferry.spi.Column c : EsTypes.columns(mappings, null)) {
      JsonNode property = properties.path(c.name());
      columns.put(
          c.name(),
          new ColumnInfo(
              c.name(),
              property.isMissingNode() ? "object" : EsTypes.nativeType(property),
              c.type(),
              true,
              null,
              null));
    }
    long count = client.get("/" + EsClient.encode(name) + "/_count").path("count").asLong();
    TreeMap<String, List<String>> aliases = new TreeMap<>();
    EsClient.Reply aliasReply =
        client.exchange("GET", "/" + EsClient.encode(name) + "/_alias", null);
    if (aliasReply.status() == 200) {
      for (Iterator<Map.Entry<String, JsonNode>> it = aliasReply.body().properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        List<String> list = new ArrayList<>();
        e.getValue().path("aliases").fieldNames().forEachRemaining(list::add);
        aliases.put(e.getKey(), list);
      }
    }
    String comment;
    if (aliases.size() == 1 && aliases.firstKey().equals(name)) {
      List<String> of = aliases.firstEntry().getValue();
      comment = "index" + (of.isEmpty() ? "" : "; aliases: " + String.join(", ", of));
    } else {
      comment = "alias of " + String.join(", ", aliases.keySet());
    }
    return new TableInfo(
        table, List.copyOf(columns.values()), List.of(), OptionalLong.of(count), comment);
  }

  @Override
  public void close() {
    client.close();
  }
}
