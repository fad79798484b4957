package io.ferry.connector.elasticsearch;

/** What each row does to its document, as a {@code _bulk} action. */
enum BulkAction {
  /** Creates or replaces the document. */
  INDEX,
  /** Creates the document; an existing id is an error (the row goes to the dirty rows). */
  CREATE,
  /** Changes the given fields of an existing document; a missing one is an error. */
  UPDATE,
  /** Changes the given fields of a document, creating it when missing. */
  UPSERT,
  /** Removes the document of the row's id. */
  DELETE;

  /** Whether the action needs a document id. */
  boolean needsId() {
    return this == UPDATE || this == UPSERT || this == DELETE;
  }

  /** Whether writing the same row again leaves the same document (given an id). */
  boolean idempotent() {
    return this != CREATE;
  }
}
