package io.ferry.connector.postgresql;

import io.ferry.connector.jdbc.SqlErrors;
import io.ferry.connector.jdbc.SqlStates;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** What PostgreSQL's SQLStates and error fields mean to Ferry. */
final class PgErrors implements SqlErrors {
  static final PgErrors INSTANCE = new PgErrors();

  private static final Pattern COLUMN_IN_WHERE = Pattern.compile(", column (.+?)(?::|$)");

  private PgErrors() {}

  /**
   * A protocol violation (08P01) while connecting: something accepted the connection but does not
   * speak PostgreSQL's protocol, e.g. another service on that port, or a proxy or firewall that
   * answers for a host it cannot reach. pgjdbc first asks for SSL ({@code sslmode=prefer}), so it
   * reports "An error occurred while setting up the SSL connection.", which points at SSL settings
   * instead of the address.
   */
  @Override
  public String connectionFailureReason(SQLException e) {
    if (SqlStates.hasState(e, "08P01")) {
      return "no PostgreSQL server answers there: something accepted the connection but does not"
          + " speak PostgreSQL's protocol (another service on that port, or a proxy or firewall"
          + " answering for a host it cannot reach); check host and port";
    }
    return null;
  }

  @Override
  public boolean isRetriable(SQLException e) {
    if (isAuthenticationFailure(e)) {
      return false;
    }
    return SqlErrors.super.isRetriable(e)
        || SqlStates.hasState(e, "57P01")
        || SqlStates.hasState(e, "57P02")
        || SqlStates.hasState(e, "57P03");
  }

  @Override
  public boolean isDataError(SQLException e) {
    return isRowError(e);
  }

  /** Errors of one row's data: class 22 (data exception), 23 (integrity), 54000 (too large). */
  static boolean isRowError(SQLException e) {
    return SqlStates.hasClass(e, "22")
        || SqlStates.hasClass(e, "23")
        || SqlStates.hasState(e, "54000");
  }

  /**
   * The column the server names: the error's column field (NOT NULL), the COPY context's {@code
   * column x}, then a quoted column name in the message.
   */
  @Override
  public String faultyColumn(SQLException e, List<String> columns) {
    if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
      ServerErrorMessage m = p.getServerErrorMessage();
      if (m.getColumn() != null && columns.contains(m.getColumn())) {
        return m.getColumn();
      }
      if (m.getWhere() != null) {
        Matcher matcher = COLUMN_IN_WHERE.matcher(m.getWhere());
        if (matcher.find() && columns.contains(matcher.group(1))) {
          return matcher.group(1);
        }
      }
    }
    return SqlErrors.super.faultyColumn(e, columns);
  }
}
