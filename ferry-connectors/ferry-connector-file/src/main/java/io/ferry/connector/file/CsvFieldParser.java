package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;

/**
 * Parses the fields of one csv record with FastCSV (strict RFC 4180). NULL follows PostgreSQL's
 * {@code COPY ... CSV}: an unquoted field equal to the null marker is NULL; a quoted field is
 * always a value, so with the default empty marker {@code a,,c} has a NULL and {@code a,"",c} an
 * empty string.
 */
final class CsvFieldParser implements FieldParser {
  private final CsvReader.CsvReaderBuilder reader;
  private final String nullMarker;
  private final FieldCollector collector = new FieldCollector();

  CsvFieldParser(char delimiter, char quote, String nullMarker) {
    this.nullMarker = requireNonNull(nullMarker, "nullMarker is null");
    // Empty lines are records (one unquoted empty field), never skipped silently.
    this.reader =
        CsvReader.builder()
            .fieldSeparator(delimiter)
            .quoteCharacter(quote)
            .skipEmptyLines(false)
            .detectBomHeader(false);
  }

  @Override
  public void parse(String record, List<String> fields) {
    fields.clear();
    if (record.isEmpty()) {
      fields.add(nullMarker.isEmpty() ? null : "");
      return;
    }
    collector.fields = fields;
    try (CsvReader<Boolean> csv = reader.build(collector, record)) {
      Iterator<Boolean> records = csv.iterator();
      records.next();
      // The framer cut one record; FastCSV finding a second one means a bare carriage return.
      if (records.hasNext()) {
        throw new IllegalArgumentException(
            "a carriage return outside quotes splits the record; only LF and CRLF end records");
      }
    } catch (CsvParseException e) {
      throw new IllegalArgumentException(
          "malformed csv: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      collector.fields = null;
    }
  }

  /** Collects fields straight from FastCSV's buffer, keeping whether each was quoted. */
  private final class FieldCollector extends AbstractBaseCsvCallbackHandler<Boolean> {
    private List<String> fields;

    @Override
    protected void handleField(int index, char[] buf, int offset, int length, boolean quoted) {
      fields.add(
          !quoted && isNullMarker(buf, offset, length) ? null : new String(buf, offset, length));
    }

    @Override
    protected void handleEmpty() {
      fields.add(nullMarker.isEmpty() ? null : "");
    }

    @Override
    protected Boolean buildRecord() {
      return Boolean.TRUE;
    }

    private boolean isNullMarker(char[] buf, int offset, int length) {
      if (length != nullMarker.length()) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if (buf[offset + i] != nullMarker.charAt(i)) {
          return false;
        }
      }
      return true;
    }
  }
}
