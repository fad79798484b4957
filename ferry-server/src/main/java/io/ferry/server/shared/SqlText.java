package io.ferry.server.shared;

import java.sql.Types;
import org.springframework.jdbc.core.SqlParameterValue;

/** Text values bound to SQL parameters. */
public final class SqlText {
  private SqlText() {}

  /**
   * The value to bind for a text column that may be null: a typed null, because a bare null leaves
   * the driver to guess its type, which PostgreSQL refuses in some statements.
   */
  public static Object orNull(String s) {
    return s == null ? new SqlParameterValue(Types.VARCHAR, null) : s;
  }
}
