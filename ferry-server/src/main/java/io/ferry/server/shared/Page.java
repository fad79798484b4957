package io.ferry.server.shared;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One page of a list, as every list endpoint returns it: the page's items and the total the filters
 * match, so that a client pages on the server instead of loading everything.
 *
 * @param page 0-based
 */
public record Page<T>(List<T> items, long total, int page, int size) {
  public static final int MAX_SIZE = 500;

  /**
   * The filters of a list query, AND-ed: {@code where.and("task_id = ?", id)} adds a condition and
   * its bound value (values are always bound, never spliced).
   */
  public static final class Where {
    private final StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
    private final List<Object> params = new ArrayList<>();

    public Where and(String condition, Object... values) {
      sql.append(" AND ").append(condition);
      params.addAll(List.of(values));
      return this;
    }

    /** Adds the condition only when the value is given (not null, not blank). */
    public Where andIf(Object value, String condition) {
      if (value != null && !(value instanceof String s && s.isBlank())) {
        and(condition, value);
      }
      return this;
    }
  }

  /**
   * Reads one page: {@code SELECT columns FROM table WHERE … ORDER BY orderBy LIMIT size OFFSET
   * page * size}, and the count of all matching rows.
   *
   * @throws DomainException.Invalid naming {@code page} or {@code size} when out of range
   */
  public static <T> Page<T> query(
      JdbcClient db,
      String columns,
      String table,
      Where where,
      String orderBy,
      int page,
      int size,
      RowMapper<T> mapper) {
    check(page, size);
    long total =
        db.sql("SELECT COUNT(*) FROM " + table + where.sql)
            .params(where.params)
            .query(Long.class)
            .single();
    List<Object> params = new ArrayList<>(where.params);
    params.add(size);
    params.add((long) page * size);
    List<T> items =
        db.sql(
                "SELECT "
                    + columns
                    + " FROM "
                    + table
                    + where.sql
                    + " ORDER BY "
                    + orderBy
                    + " LIMIT ? OFFSET ?")
            .params(params)
            .query(mapper)
            .list();
    return new Page<>(items, total, page, size);
  }

  /** Refuses a page number or size out of range: 400 naming {@code page} or {@code size}. */
  public static void check(int page, int size) {
    if (page < 0) {
      throw DomainException.invalid("page", "0 or more expected (pages count from 0), was " + page);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw DomainException.invalid("size", "1 to " + MAX_SIZE + " expected, was " + size);
    }
  }

  public <R> Page<R> map(java.util.function.Function<T, R> f) {
    return new Page<>(items.stream().map(f).toList(), total, page, size);
  }
}
