package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a byte stream into records and knows the byte offset of each: what positions and byte-range
 * splits are made of.
 *
 * <p>Why this exists beside FastCSV: FastCSV parses characters from a {@link java.io.Reader} and
 * reads ahead, so it cannot say at which byte a record starts. Framing therefore happens here, on
 * bytes, and FastCSV parses the fields of each framed record ({@link CsvFieldParser}). Framing
 * needs only the line feed, and for csv with line breaks inside quotes the quote and the delimiter:
 * all ASCII bytes that an ASCII-compatible charset never uses inside a multi-byte character
 * (checked by the {@code encoding} option).
 *
 * <p>A record ends at a line feed (an immediately preceding carriage return is dropped) or at the
 * end of the input. In {@link Framing#CSV_MULTI_LINE} a line feed inside a quoted value does not
 * end the record; a quote opens a quoted value only at the start of a field, as in RFC 4180.
 */
final class RecordFramer {
  /** A record longer than this is an error rather than a reason to exhaust memory. */
  static final int MAX_RECORD_BYTES = 64 << 20;

  static final ErrorCode RECORD_TOO_LARGE = ErrorCode.user("file.record-too-large");

  private static final int INITIAL_BUFFER = 256 << 10;
  private static final byte LF = '\n';
  private static final byte CR = '\r';

  enum Framing {
    /** Every line feed ends a record (tsv, jsonl). */
    LINES,
    /** Every line feed ends a record; a record ending inside quotes is flagged (csv). */
    CSV_LINES,
    /** A line feed inside a quoted value belongs to the value (csv, multiLine). */
    CSV_MULTI_LINE
  }

  private static final int FIELD_START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_IN_QUOTED = 3;

  private final InputStream in;
  private final String source;
  private final Framing framing;
  private final byte quote;
  private final byte delimiter;

  private byte[] buffer = new byte[INITIAL_BUFFER];
  private int pos;
  private int limit;
  private boolean eof;

  /** Offset in the stream of {@code buffer[0]}. */
  private long bufferOffset;

  private long line;
  private int recordStart;
  private int recordLength;
  private long recordLine;
  private boolean unterminatedQuote;

  /**
   * @param in positioned at {@code offset}, at the start of a record or, before {@link
   *     #skipPartialRecord()}, anywhere
   * @param source names the input in messages
   * @param line line number at {@code offset}, or {@link FilePosition#UNKNOWN_LINE}
   */
  RecordFramer(
      InputStream in,
      String source,
      long offset,
      long line,
      Framing framing,
      char quote,
      char delimiter) {
    this.in = requireNonNull(in, "in is null");
    this.source = requireNonNull(source, "source is null");
    this.framing = requireNonNull(framing, "framing is null");
    this.bufferOffset = offset;
    this.line = line;
    this.quote = (byte) quote;
    this.delimiter = (byte) delimiter;
  }

  /** Skips a UTF-8 byte-order mark at the current position, if there is one. */
  void skipUtf8Bom() throws IOException {
    while (limit - pos < 3 && fill()) {
      // read until three bytes are buffered or the input ends
    }
    if (limit - pos >= 3
        && buffer[pos] == (byte) 0xEF
        && buffer[pos + 1] == (byte) 0xBB
        && buffer[pos + 2] == (byte) 0xBF) {
      pos += 3;
    }
  }

  /**
   * Skips to just after the next line feed: a byte-range reader opened one byte before its range
   * thereby lands on the first record that starts inside the range.
   */
  void skipPartialRecord() throws IOException {
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buffer[i] == LF) {
          pos = i + 1;
          return;
        }
      }
      pos = limit;
      if (!fill()) {
        return;
      }
    }
  }

  /** Byte offset at which the next record starts (after the current one). */
  long nextOffset() {
    return bufferOffset + pos;
  }

  /** Line number of the next record, or {@link FilePosition#UNKNOWN_LINE}. */
  long nextLine() {
    return line;
  }

  /**
   * Frames the next record.
   *
   * @return false at the end of the input
   */
  boolean next() throws IOException {
    if (pos == limit && !fill()) {
      return false;
    }
    int start = pos;
    int scan = pos;
    int state = FIELD_START;
    int lineFeeds = 0;
    int end;
    while (true) {
      if (scan == limit) {
        // pos == start here; fill() may move the record to the buffer's start.
        boolean more = fill();
        int shift = start - pos;
        start -= shift;
        scan -= shift;
        if (!more) {
          end = scan;
          pos = scan;
          break;
        }
        continue;
      }
      byte b = buffer[scan];
      if (framing == Framing.LINES) {
        if (b == LF) {
          end = scan;
          pos = scan + 1;
          lineFeeds++;
          break;
        }
      } else {
        if (b == LF) {
          lineFeeds++;
          if (state != QUOTED || framing == Framing.CSV_LINES) {
            end = scan;
            pos = scan + 1;
            break;
          }
        }
        state = csvState(state, b);
      }
      scan++;
    }
    unterminatedQuote = state == QUOTED;
    if (end > start && buffer[end - 1] == CR) {
      end--;
    }
    recordStart = start;
    recordLength = end - start;
    recordLine = line;
    if (line != FilePosition.UNKNOWN_LINE) {
      line += Math.max(1, lineFeeds);
    }
    return true;
  }

  private int csvState(int state, byte b) {
    return switch (state) {
      case FIELD_START -> b == quote ? QUOTED : b == delimiter || b == LF ? FIELD_START : UNQUOTED;
      case UNQUOTED -> b == delimiter || b == LF ? FIELD_START : UNQUOTED;
      case QUOTED -> b == quote ? QUOTE_IN_QUOTED : QUOTED;
      // A second quote is an escaped quote; anything else closed the value.
      default -> b == quote ? QUOTED : b == delimiter || b == LF ? FIELD_START : UNQUOTED;
    };
  }

  /** The buffer holding the current record, from {@link #recordStart()}. */
  byte[] buffer() {
    return buffer;
  }

  int recordStart() {
    return recordStart;
  }

  /** Bytes of the current record without its line terminator. */
  int recordLength() {
    return recordLength;
  }

  /** Byte offset at which the current record starts. */
  long recordOffset() {
    return bufferOffset + recordStart;
  }

  /** Line number of the current record, or {@link FilePosition#UNKNOWN_LINE}. */
  long recordLine() {
    return recordLine;
  }

  /** Whether the current csv record ended inside a quoted value. */
  boolean unterminatedQuote() {
    return unterminatedQuote;
  }

  /**
   * Reads more bytes after the buffered ones, first moving the unread bytes from {@code pos} to the
   * buffer's start (growing it when they fill it).
   *
   * @return false at the end of the input
   */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      bufferOffset += pos;
      limit -= pos;
      pos = 0;
    }
    if (limit == buffer.length) {
      if (buffer.length >= MAX_RECORD_BYTES) {
        throw new FerryException(
            RECORD_TOO_LARGE,
            source
                + ": a record at offset "
                + bufferOffset
                + " is longer than "
                + (MAX_RECORD_BYTES >> 20)
                + " MB; is a quote left open, or should multiLine be false?");
      }
      buffer = Arrays.copyOf(buffer, Math.min(MAX_RECORD_BYTES, buffer.length * 2));
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    return true;
  }
}
