package io.ferry.server.catalog;

import io.ferry.spi.ErrorCode;

/** The codes of a collection's error log (docs/error-codes.md, "Metadata catalog"). */
public final class CatalogErrors {
  private CatalogErrors() {}

  /** An object whose metadata the store would not give: a broken view, a refused privilege. */
  public static final ErrorCode UNREADABLE = ErrorCode.external("catalog.unreadable", false);

  /** A database (schema) whose dictionary queries failed or ran past the statement timeout. */
  public static final ErrorCode DATABASE_FAILED =
      ErrorCode.external("catalog.database-failed", true);

  /** The whole collection failed (no connection, no list of databases): nothing was changed. */
  public static final ErrorCode COLLECTION_FAILED =
      ErrorCode.external("catalog.collection-failed", true);

  /** A run would remove more of the catalog than the guard allows: it removed nothing. */
  public static final ErrorCode REMOVAL_GUARD = ErrorCode.user("catalog.removal-guard");
}
