package io.ferry.connector.file;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Parses the fields of one tsv record in the text format of PostgreSQL {@code COPY} and MySQL
 * {@code LOAD DATA}: fields end at an unescaped delimiter; a field whose raw text equals the null
 * marker ({@code \N} by default) is NULL; otherwise backslash escapes are decoded: {@code \t} tab,
 * {@code \n} line feed, {@code \r} carriage return, {@code \b} backspace, {@code \f} form feed,
 * {@code \v} vertical tab, {@code \0} NUL, and a backslash before any other character (itself, the
 * delimiter) stands for that character.
 */
final class TsvFieldParser implements FieldParser {
  private final char delimiter;
  private final String nullMarker;
  private final StringBuilder unescaped = new StringBuilder();

  TsvFieldParser(char delimiter, String nullMarker) {
    this.delimiter = delimiter;
    this.nullMarker = requireNonNull(nullMarker, "nullMarker is null");
  }

  @Override
  public void parse(String record, List<String> fields) {
    fields.clear();
    int start = 0;
    boolean escaped = false;
    int length = record.length();
    for (int i = 0; i < length; i++) {
      char c = record.charAt(i);
      if (c == '\\') {
        if (++i == length) {
          throw new IllegalArgumentException(
              "the record ends with a lone backslash; write a backslash as \\\\");
        }
        escaped = true;
      } else if (c == delimiter) {
        fields.add(field(record, start, i, escaped));
        start = i + 1;
        escaped = false;
      }
    }
    fields.add(field(record, start, length, escaped));
  }

  private String field(String record, int start, int end, boolean escaped) {
    if (end - start == nullMarker.length() && record.startsWith(nullMarker, start)) {
      return null;
    }
    if (!escaped) {
      return record.substring(start, end);
    }
    unescaped.setLength(0);
    for (int i = start; i < end; i++) {
      char c = record.charAt(i);
      if (c != '\\') {
        unescaped.append(c);
        continue;
      }
      char e = record.charAt(++i);
      unescaped.append(
          switch (e) {
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'v' -> '\u000B';
            case '0' -> '\0';
            default -> e;
          });
    }
    return unescaped.toString();
  }
}
