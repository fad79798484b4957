package io.ferry.spi;

/** Who can fix an error. */
public enum ErrorCategory {
  /** The job or its input: a wrong option, a missing table, a value that does not convert. */
  USER,
  /** A store or the network: a refused connection, a full disk, a timeout. */
  EXTERNAL,
  /** A bug in Ferry or a connector. */
  INTERNAL
}
