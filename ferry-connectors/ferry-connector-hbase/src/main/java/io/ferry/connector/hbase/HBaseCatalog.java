package io.ferry.connector.hbase;

import io.ferry.spi.Catalog;
import io.ferry.spi.DataType;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Options;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.hbase.NamespaceDescriptor;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptor;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * Namespaces as schemas, tables, and per table the row key and one column per column family. HBase
 * declares no qualifiers or types: the row key and each family show as {@code bytes} and {@code
 * map<string,bytes>} (qualifier to value); the comment gives the region count and each family's
 * settings.
 */
final class HBaseCatalog implements Catalog {
  /** The name of the row key column in table descriptions. */
  static final String ROW_KEY_COLUMN = "rowkey";

  private final HBaseSettings settings;
  private Connection connection;

  HBaseCatalog(Options options, LocalFiles localFiles) {
    this.settings = new HBaseSettings(options, localFiles);
  }

  private synchronized Connection connection() {
    if (connection == null) {
      connection = settings.connect();
    }
    return connection;
  }

  @Override
  public List<String> schemas() {
    try (Admin admin = connection().getAdmin()) {
      List<String> names = new ArrayList<>();
      for (NamespaceDescriptor ns : admin.listNamespaceDescriptors()) {
        names.add(ns.getName());
      }
      names.sort(null);
      return names;
    } catch (IOException e) {
      throw HBaseErrors.translate(e, "listing namespaces");
    }
  }

  @Override
  public List<TableRef> tables(String schema) {
    try (Admin admin = connection().getAdmin()) {
      List<TableRef> refs = new ArrayList<>();
      TableName[] names =
          schema == null ? admin.listTableNames() : admin.listTableNamesByNamespace(schema);
      for (TableName t : names) {
        refs.add(new TableRef(t.getNamespaceAsString(), t.getQualifierAsString()));
      }
      refs.sort((a, b) -> a.toString().compareTo(b.toString()));
      return refs;
    } catch (IOException e) {
      throw HBaseErrors.translate(e, "listing tables of " + (schema == null ? "all" : schema));
    }
  }

  @Override
  public TableInfo table(TableRef ref) {
    TableName name =
        ref.schema() == null
            ? TableName.valueOf(ref.name())
            : TableName.valueOf(ref.schema(), ref.name());
    try (Admin admin = connection().getAdmin()) {
      if (!admin.tableExists(name)) {
        throw FerryException.option(
            ErrorCode.NOT_FOUND, HBaseOptions.TABLE.name(), "table " + ref + " does not exist");
      }
      TableDescriptor descriptor = admin.getDescriptor(name);
      int regions = admin.getRegions(name).size();
      List<ColumnInfo> columns = new ArrayList<>();
      columns.add(
          new ColumnInfo(ROW_KEY_COLUMN, "row key", DataType.BYTES, false, null, "the row key"));
      List<String> families = new ArrayList<>();
      for (ColumnFamilyDescriptor f : descriptor.getColumnFamilies()) {
        String fam = Bytes.toStringBinary(f.getName());
        families.add(fam);
        columns.add(
            new ColumnInfo(
                fam,
                "column family",
                DataType.map(DataType.STRING, DataType.BYTES),
                true,
                null,
                "VERSIONS "
                    + f.getMaxVersions()
                    + ", TTL "
                    + f.getTimeToLive()
                    + ", COMPRESSION "
                    + f.getCompressionType()
                    + ", BLOOMFILTER "
                    + f.getBloomFilterType()));
      }
      String comment =
          regions
              + (regions == 1 ? " region" : " regions")
              + "; column families "
              + String.join(", ", families)
              + (descriptor.isReadOnly() ? "; read-only" : "");
      return new TableInfo(
          new TableRef(name.getNamespaceAsString(), name.getQualifierAsString()),
          columns,
          List.of(ROW_KEY_COLUMN),
          OptionalLong.empty(),
          comment);
    } catch (IOException e) {
      throw HBaseErrors.translate(e, "describing " + ref);
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (IOException e) {
        // nothing left to release
      }
      connection = null;
    }
  }
}
