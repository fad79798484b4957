package io.ferry.connector.file;

import java.util.List;

/** Splits the text of one framed csv or tsv record into its fields. */
interface FieldParser {
  /**
   * @param record the record's text without its line terminator
   * @param fields receives each field's text in order, null for a NULL field; cleared first
   * @throws IllegalArgumentException when the record is malformed, saying how
   */
  void parse(String record, List<String> fields);

  static FieldParser of(TextLayout layout) {
    return switch (layout.format()) {
      case CSV -> new CsvFieldParser(layout.delimiter(), layout.quote(), layout.nullMarker());
      case TSV -> new TsvFieldParser(layout.delimiter(), layout.nullMarker());
      case JSONL -> throw new IllegalArgumentException("jsonl records have no delimited fields");
    };
  }
}
