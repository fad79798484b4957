package io.ferry.connector.postgresql;

/**
 * Encodes rows into the bytes of one {@code COPY ... FROM STDIN}, in its text or binary format,
 * into a buffer the caller sends in pieces: {@link #start}, then {@link #appendRow} per row with
 * {@link #buffer()} sent and {@link #reset()} whenever it grows large, then {@link #finish} and a
 * last send.
 */
interface CopyEncoder {
  /** Starts a COPY: forgets what was encoded before and writes the format's header, if any. */
  void start();

  /**
   * Appends one row.
   *
   * @throws CopyTextEncoder.EncodeException when a value cannot be encoded; the buffer is then as
   *     before the call
   */
  void appendRow(CopyTextEncoder.Values2D rows, int row);

  /** Ends a COPY: the format's trailer, if any. */
  void finish();

  /** Bytes encoded since the last {@link #reset()}. */
  int length();

  byte[] buffer();

  /** Forgets the encoded bytes (those already sent); keeps the buffer. */
  void reset();
}
