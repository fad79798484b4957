package io.ferry.connector.datagen;

import io.ferry.connector.support.JsonValues;
import io.ferry.connector.support.Values;
import io.ferry.spi.Schema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Captures what the console sink prints and parses it back into rows. */
final class ConsoleOutput {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
  final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

  List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** TSV: checks the header, then parses each line's fields with the column types. */
  List<Object[]> tsvRows(Schema schema) {
    List<String> lines = lines();
    if (lines.isEmpty() || !lines.get(0).equals(String.join("\t", schema.names()))) {
      throw new AssertionError("expected the header " + schema.names() + ", got " + lines);
    }
    List<Object[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split("\t", -1);
      if (fields.length != schema.size()) {
        throw new AssertionError("line has " + fields.length + " fields: " + line);
      }
      Object[] row = new Object[fields.length];
      for (int c = 0; c < fields.length; c++) {
        row[c] =
            fields[c].equals("\\N")
                ? null
                : Values.parse(unescape(fields[c]), schema.column(c).type());
      }
      rows.add(row);
    }
    return rows;
  }

  /** JSON lines: one object per line, values read with the column types. */
  List<Object[]> jsonRows(Schema schema) {
    List<Object[]> rows = new ArrayList<>();
    for (String line : lines()) {
      try {
        var node = JsonValues.mapper().readTree(line);
        Object[] row = new Object[schema.size()];
        for (int c = 0; c < row.length; c++) {
          row[c] = JsonValues.fromNode(node.get(schema.column(c).name()), schema.column(c).type());
        }
        rows.add(row);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException("not a JSON line: " + line, e);
      }
    }
    return rows;
  }

  private static String unescape(String field) {
    StringBuilder sb = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char next = field.charAt(++i);
      sb.append(
          switch (next) {
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case '\\' -> '\\';
            default -> throw new AssertionError("unknown escape \\" + next + " in " + field);
          });
    }
    return sb.toString();
  }
}
