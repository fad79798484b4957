package io.ferry.server.datasources;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.DomainException.FieldProblem;
import io.ferry.spi.Connector;
import io.ferry.spi.FerryException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Shared mining switched on per data source (docs/shared-mining.md): whether its cdc tasks read its
 * change log through one mining run by default, where that run keeps its mining log (another data
 * source, which can keep one: MongoDB, PostgreSQL or MySQL/MariaDB, and a table or collection in
 * it), and the retention a new mining run of the source starts with. The store is chosen the first
 * time the switch goes on and stays (the switch off keeps it); it can be changed only while no
 * mining run of the source exists, since the tasks' offsets are numbers in that one log.
 */
final class SharedMiningSetting {
  /** The longest retention: a year. */
  static final long MAX_RETENTION_HOURS = 24L * 366;

  static final long DEFAULT_RETENTION_HOURS = 72;

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

  private SharedMiningSetting() {}

  /** The stored setting of a data source, its store by id. */
  record Stored(boolean enabled, Long logId, String logObject, Long retentionHours) {
    static final Stored NONE = new Stored(false, null, null, null);

    boolean configured() {
      return logId != null;
    }
  }

  /**
   * The setting a request asks for, checked: each problem names its field ({@code
   * sharedMining.logDatasource}, {@code sharedMining.logTable}, {@code
   * sharedMining.retentionHours}, {@code sharedMining.enabled}).
   *
   * @param connector the data source's connector
   * @param alias its alias as stored (null while created): a mining run of it pins the store
   */
  static Stored check(
      DataSourceService.SharedMining asked,
      Stored old,
      String alias,
      Connector connector,
      JdbcClient db,
      ConnectorRegistry connectors) {
    List<FieldProblem> problems = new ArrayList<>();
    boolean enabled = asked.enabled() == null ? old.enabled() : asked.enabled();
    if (enabled && connector.changeSource().isEmpty()) {
      problems.add(
          new FieldProblem(
              "sharedMining.enabled",
              "the " + connector.name() + " connector reads no change log: nothing to mine"));
    }
    Long logId = old.logId();
    String logObject = old.logObject();
    boolean storeGiven = asked.logDatasource() != null && !asked.logDatasource().isBlank();
    if (storeGiven) {
      List<Object[]> found =
          db.sql("SELECT id, connector FROM ferry_datasource WHERE alias = ?")
              .param(asked.logDatasource())
              .query((rs, i) -> new Object[] {rs.getLong(1), rs.getString(2)})
              .list();
      if (found.isEmpty()) {
        problems.add(
            new FieldProblem(
                "sharedMining.logDatasource", "no data source '" + asked.logDatasource() + "'"));
      } else if (!keepsMiningLog((String) found.get(0)[1], connectors)) {
        problems.add(
            new FieldProblem(
                "sharedMining.logDatasource",
                "the "
                    + found.get(0)[1]
                    + " data source '"
                    + asked.logDatasource()
                    + "' cannot keep a mining log: pick a MongoDB, PostgreSQL or MySQL/MariaDB"
                    + " data source"));
      } else {
        logId = (Long) found.get(0)[0];
      }
    } else if (enabled && logId == null) {
      problems.add(
          new FieldProblem(
              "sharedMining.logDatasource",
              "required the first time shared mining is switched on: the data source that keeps"
                  + " the mining log (MongoDB, PostgreSQL or MySQL/MariaDB)"));
    }
    if (asked.logTable() != null && !asked.logTable().isBlank()) {
      if (asked.logTable().length() > 200 || !NAME.matcher(asked.logTable()).matches()) {
        problems.add(
            new FieldProblem(
                "sharedMining.logTable",
                "a table or collection name such as mining_shop or schema.mining_shop (letters,"
                    + " digits, _; at most 200 characters)"));
      } else {
        logObject = asked.logTable();
      }
    } else if ((enabled || storeGiven) && logObject == null) {
      problems.add(
          new FieldProblem(
              "sharedMining.logTable",
              "required with the mining-log store: the table or collection the mining log is kept"
                  + " in"));
    }
    Long retention = asked.retentionHours() != null ? asked.retentionHours() : old.retentionHours();
    if (retention != null && (retention < 1 || retention > MAX_RETENTION_HOURS)) {
      problems.add(
          new FieldProblem(
              "sharedMining.retentionHours",
              "from 1 to " + MAX_RETENTION_HOURS + " hours (a year), got " + retention));
    }
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    boolean storeChanged =
        old.configured() && (!old.logId().equals(logId) || !old.logObject().equals(logObject));
    if (storeChanged && alias != null) {
      List<String> runs =
          db.sql("SELECT name FROM ferry_mining_run WHERE source_alias = ?")
              .param(alias)
              .query(String.class)
              .list();
      if (!runs.isEmpty()) {
        throw new DomainException.Conflict(
            "the mining-log store of data source '"
                + alias
                + "' is chosen once: mining run "
                + String.join(", ", runs)
                + " keeps its log there, and its tasks' offsets are positions in that log",
            List.of(new FieldProblem("sharedMining.logDatasource", "chosen once")));
      }
    }
    return new Stored(
        enabled,
        logId,
        logObject,
        retention == null && logId != null ? Long.valueOf(DEFAULT_RETENTION_HOURS) : retention);
  }

  private static boolean keepsMiningLog(String connector, ConnectorRegistry connectors) {
    try {
      return connectors.connector(connector).miningLog().isPresent();
    } catch (FerryException unknown) {
      return false;
    }
  }
}
