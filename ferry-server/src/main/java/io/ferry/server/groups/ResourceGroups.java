package io.ferry.server.groups;

import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.DomainException.FieldProblem;
import io.ferry.server.shared.FerryProperties;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The resource groups ({@code ferry_resource_group}): where the runs of a task execute. A group of
 * kind {@link #NODES} is the Ferry nodes that joined it ({@code ferry server --worker --group
 * NAME}; the servers without {@code --worker} are {@link FerryProperties#DEFAULT_GROUP}); a group
 * of kind {@link #FLINK} is a Flink session cluster, named by its REST address {@code host:port}. A
 * group's name and kind stay as created (tasks and runs name it); its description and Flink address
 * may change. The default group is always there and cannot be deleted; a group that tasks use
 * cannot be deleted either.
 */
@Service
public class ResourceGroups {
  public static final String NODES = "nodes";
  public static final String FLINK = "flink";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,100}");
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9_.\\-]+:[0-9]{1,5}");

  private final JdbcClient db;

  public ResourceGroups(JdbcClient db) {
    this.db = db;
  }

  /**
   * A group as the API shows it.
   *
   * @param flinkAddress a {@code flink} group's REST address {@code host:port}; null for nodes
   * @param tasks how many tasks run in it
   */
  public record Group(
      long id,
      String name,
      String kind,
      String flinkAddress,
      String description,
      Instant createdAt,
      Instant updatedAt,
      int tasks) {}

  /**
   * @param kind {@code nodes} or {@code flink}; only on create
   * @param flinkAddress the REST address {@code host:port} of a {@code flink} group's cluster
   */
  public record Request(String name, String kind, String flinkAddress, String description) {}

  private static final String COLUMNS =
      "g.id, g.name, g.kind, g.flink_address, g.description, g.created_at, g.updated_at,"
          + " (SELECT COUNT(*) FROM ferry_task t WHERE COALESCE(t.resource_group, 'default')"
          + " = g.name)";

  public List<Group> list() {
    return db.sql("SELECT " + COLUMNS + " FROM ferry_resource_group g ORDER BY g.name")
        .query((rs, i) -> row(rs))
        .list();
  }

  public Group get(long id) {
    return db.sql("SELECT " + COLUMNS + " FROM ferry_resource_group g WHERE g.id = ?")
        .param(id)
        .query((rs, i) -> row(rs))
        .optional()
        .orElseThrow(() -> DomainException.notFound("resource group", id));
  }

  /** The group of that name, if there is one. */
  public Optional<Group> byName(String name) {
    return db.sql("SELECT " + COLUMNS + " FROM ferry_resource_group g WHERE g.name = ?")
        .param(name)
        .query((rs, i) -> row(rs))
        .optional();
  }

  /** The names of the {@code flink} groups, whose runs the default group's nodes submit. */
  public List<String> flinkGroupNames() {
    return db.sql("SELECT name FROM ferry_resource_group WHERE kind = ? ORDER BY name")
        .param(FLINK)
        .query(String.class)
        .list();
  }

  /**
   * The group a task names, checked: null or blank is the default group. A task's runs in a {@code
   * flink} group are submitted to its Flink cluster by a node of the default group.
   *
   * @param field the request's field, for the problem
   * @return the group's name, or null for the default group
   * @throws DomainException.Invalid when there is no such group
   */
  public String checkChoice(String field, String name) {
    if (name == null || name.isBlank() || name.equals(FerryProperties.DEFAULT_GROUP)) {
      return null;
    }
    byName(name)
        .orElseThrow(
            () -> DomainException.invalid(field, "there is no resource group '" + name + "'"));
    return name;
  }

  public Group create(Request r) {
    List<FieldProblem> problems = new ArrayList<>();
    if (r.name() == null || !NAME.matcher(r.name()).matches()) {
      problems.add(new FieldProblem("name", "1 to 100 letters, digits, '_', '.' or '-' expected"));
    }
    String kind = NODES.equals(r.kind()) || FLINK.equals(r.kind()) ? r.kind() : null;
    if (kind == null) {
      problems.add(new FieldProblem("kind", "nodes or flink expected"));
    }
    String address = checked(kind, r, problems);
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    if (byName(r.name()).isPresent()) {
      throw new DomainException.Conflict(
          "a resource group named '" + r.name() + "' exists",
          List.of(new FieldProblem("name", "already taken")));
    }
    Timestamp now = Timestamp.from(Instant.now());
    db.sql(
            "INSERT INTO ferry_resource_group (name, kind, flink_address, description, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?)")
        .params(r.name(), kind, address, blankToNull(r.description()), now, now)
        .update();
    return byName(r.name()).orElseThrow();
  }

  /** Changes the description and a Flink group's address; the name and kind stay. */
  public Group update(long id, Request r) {
    Group old = get(id);
    List<FieldProblem> problems = new ArrayList<>();
    if (r.name() != null && !r.name().equals(old.name())) {
      problems.add(new FieldProblem("name", "a group keeps its name (tasks and runs name it)"));
    }
    if (r.kind() != null && !r.kind().equals(old.kind())) {
      problems.add(new FieldProblem("kind", "a group keeps its kind"));
    }
    String address = checked(old.kind(), r, problems);
    if (!problems.isEmpty()) {
      throw DomainException.invalid(problems);
    }
    db.sql(
            "UPDATE ferry_resource_group SET flink_address = ?, description = ?, updated_at = ?"
                + " WHERE id = ?")
        .params(address, blankToNull(r.description()), Timestamp.from(Instant.now()), id)
        .update();
    return get(id);
  }

  /** Deletes a group no task uses; never the default group. */
  public Group delete(long id) {
    Group old = get(id);
    if (old.name().equals(FerryProperties.DEFAULT_GROUP)) {
      throw DomainException.conflict("the default group is the server's own pool; it stays");
    }
    List<String> users =
        db.sql("SELECT name FROM ferry_task WHERE resource_group = ? ORDER BY name")
            .param(old.name())
            .query(String.class)
            .list();
    if (!users.isEmpty()) {
      throw DomainException.conflict(
          "resource group '" + old.name() + "' is used by tasks " + String.join(", ", users));
    }
    db.sql("DELETE FROM ferry_resource_group WHERE id = ?").param(id).update();
    return old;
  }

  private static String checked(String kind, Request r, List<FieldProblem> problems) {
    String address = blankToNull(r.flinkAddress());
    if (r.description() != null && r.description().length() > 2000) {
      problems.add(new FieldProblem("description", "at most 2000 characters"));
    }
    if (FLINK.equals(kind)) {
      if (address == null || !ADDRESS.matcher(address).matches()) {
        problems.add(
            new FieldProblem(
                "flinkAddress", "the Flink cluster's REST address host:port expected"));
      }
      return address;
    }
    if (address != null) {
      problems.add(new FieldProblem("flinkAddress", "only a flink group has one"));
    }
    return null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Group row(ResultSet rs) throws SQLException {
    return new Group(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getTimestamp(6).toInstant(),
        rs.getTimestamp(7).toInstant(),
        rs.getInt(8));
  }
}
