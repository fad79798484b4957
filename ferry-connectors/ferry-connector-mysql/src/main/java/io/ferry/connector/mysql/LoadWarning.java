package io.ferry.connector.mysql;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One warning or note the server raised for a {@code LOAD DATA} statement, with the line and column
 * it names when the text says so. MySQL and MariaDB word them alike: {@code Data truncated for
 * column 'v' at row 2}, {@code Incorrect integer value: 'x' for column `db`.`t`.`c` at row 1},
 * {@code Row 3 was truncated; it contained more data than there were input columns}.
 *
 * @param code the server's error number (1265, 1264, 1366, 1062, ...)
 * @param message the server's text
 * @param line the 1-based line of the statement's input, or -1 when the text names none (a
 *     duplicate key)
 * @param column the column name, or null when the text names none
 */
record LoadWarning(int code, String message, int line, String column) {
  /** Duplicate entry; with LOCAL (implied IGNORE) the row was skipped. */
  static final int DUPLICATE_KEY = 1062;

  private static final Pattern AT_ROW = Pattern.compile("(?i)\\bat row (\\d+)");
  private static final Pattern ROW_N = Pattern.compile("(?i)^Row (\\d+)\\b");
  private static final Pattern COLUMN =
      Pattern.compile("(?i)for column (?:`[^`]*`\\.)*[`']((?:[^`']|``)*)[`']");

  static LoadWarning parse(int code, String message) {
    int line = -1;
    Matcher m = AT_ROW.matcher(message);
    if (m.find()) {
      line = Integer.parseInt(m.group(1));
    } else {
      m = ROW_N.matcher(message);
      if (m.find()) {
        line = Integer.parseInt(m.group(1));
      }
    }
    Matcher c = COLUMN.matcher(message);
    String column = c.find() ? c.group(1).replace("``", "`") : null;
    return new LoadWarning(code, message, line, column);
  }
}
