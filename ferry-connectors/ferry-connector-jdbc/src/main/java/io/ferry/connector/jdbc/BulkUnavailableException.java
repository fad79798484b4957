package io.ferry.connector.jdbc;

import java.sql.SQLException;

/**
 * The bulk load path cannot be used with this server or connection (e.g. {@code local_infile}
 * disabled); thrown by {@link Dialect#bulkWriter} or {@link BulkWriter#load}. The sink then falls
 * back to batched statements and logs this message at WARN.
 */
public final class BulkUnavailableException extends SQLException {
  private static final long serialVersionUID = 1L;

  public BulkUnavailableException(String reason) {
    super(reason);
  }

  public BulkUnavailableException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
