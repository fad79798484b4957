package io.ferry.connector.jdbc;

import io.ferry.spi.OptionProblem;
import java.sql.SQLException;

/** Turns a failed connection attempt into the problem of the option at fault. */
final class ConnectionProblems {
  private ConnectionProblems() {}

  /** Refused credentials → {@code user}; anything else → {@code url} or {@code host}. */
  static OptionProblem of(Dialect dialect, SQLException e, ConnectionSettings settings) {
    String message = ConnectionSettings.mask(JdbcErrors.rootMessage(e));
    if (dialect.isAuthenticationFailure(e)) {
      return new OptionProblem(
          "user", "login to " + settings.description() + " refused: " + message);
    }
    return new OptionProblem(
        settings.urlOption(), "cannot connect to " + settings.description() + ": " + message);
  }
}
