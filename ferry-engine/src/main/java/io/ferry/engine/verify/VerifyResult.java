package io.ferry.engine.verify;

import java.nio.file.Path;
import java.util.List;

/**
 * What a verification found.
 *
 * @param equal whether the target holds exactly the source's rows (as far as {@code mode} looks)
 * @param mode what was compared: counts, or content too
 * @param method how: {@code count}, {@code keyed merge}, {@code checksum} (every key range matched
 *     by the stores' checksums), {@code checksum + keyed merge} (differing ranges read), or {@code
 *     count + checksum} (a table without a key)
 * @param sourceRows rows of the source after the job's filters; -1 when not counted
 * @param targetRows rows of the target; -1 when not counted
 * @param missing source rows the target lacks
 * @param extra target rows the source lacks
 * @param different rows whose key both hold with other values
 * @param sample the first differences, for display
 * @param report the JSON Lines file with every difference; null when none was asked for
 * @param ranges key ranges compared
 * @param rangesRead key ranges whose rows were read and merged (the others matched by checksum)
 * @param rowsRead rows read and merged, both sides, both looks (a range whose checksums differ is
 *     bisected first, so only its small differing parts are read)
 * @param keyed whether rows were compared by key; false for a table without a key, which is
 *     compared by count and checksum and never repaired
 * @param notes what the reader should know: rows that did not convert, why a method was chosen
 * @param repair what a repair did; null without {@code --repair}
 */
public record VerifyResult(
    boolean equal,
    VerifyMode mode,
    String method,
    long sourceRows,
    long targetRows,
    long missing,
    long extra,
    long different,
    List<Difference> sample,
    Path report,
    int ranges,
    int rangesRead,
    long rowsRead,
    boolean keyed,
    List<String> notes,
    Repair repair) {
  public VerifyResult {
    sample = List.copyOf(sample);
    notes = List.copyOf(notes);
  }

  /**
   * @param written rows written by key (missing and different ones)
   * @param deleted extra rows deleted
   * @param extraKept extra rows left because deletes were not allowed
   * @param after the verification run after the repair
   */
  public record Repair(long written, long deleted, long extraKept, VerifyResult after) {}

  /**
   * The verifications of several tables (a cdc job's) as one: equal when every table is, counts
   * summed, each difference's key columns named with their table ({@code orders.id}), the tables'
   * report files merged into {@code report} (and removed).
   *
   * @param tables the tables' names, in the order of {@code results}
   */
  public static VerifyResult ofTables(
      List<String> tables, List<VerifyResult> results, int sampleSize, Path report) {
    List<String> notes = new java.util.ArrayList<>();
    java.util.Set<String> methods = new java.util.LinkedHashSet<>();
    boolean keyed = true;
    long source = 0;
    long target = 0;
    int ranges = 0;
    int read = 0;
    long rowsRead = 0;
    boolean anyRepair = false;
    long written = 0;
    long deleted = 0;
    long kept = 0;
    List<VerifyResult> after = new java.util.ArrayList<>();
    try (DifferenceLog log = new DifferenceLog(sampleSize, report)) {
      for (int i = 0; i < results.size(); i++) {
        VerifyResult r = results.get(i);
        String table = tables.get(i);
        keyed &= r.keyed;
        methods.add(r.method);
        source = source < 0 || r.sourceRows < 0 ? -1 : source + r.sourceRows;
        target = target < 0 || r.targetRows < 0 ? -1 : target + r.targetRows;
        ranges += r.ranges;
        read += r.rangesRead;
        rowsRead += r.rowsRead;
        r.notes.forEach(n -> notes.add(table + ": " + n));
        if (r.report != null && java.nio.file.Files.exists(r.report)) {
          log.addAll(r.report, table);
          try {
            java.nio.file.Files.delete(r.report);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        } else {
          for (Difference d : r.sample) {
            log.add(d.inTable(table));
          }
        }
        if (r.repair != null) {
          anyRepair = true;
          written += r.repair.written();
          deleted += r.repair.deleted();
          kept += r.repair.extraKept();
          after.add(r.repair.after());
        }
      }
      VerifyResult combined =
          new VerifyResult(
              results.stream().allMatch(r -> r.equal),
              results.isEmpty() ? VerifyMode.CONTENT : results.get(0).mode,
              String.join(", ", methods),
              source,
              target,
              log.missing(),
              log.extra(),
              log.different(),
              log.sample(),
              report,
              ranges,
              read,
              rowsRead,
              keyed,
              notes,
              null);
      return anyRepair
          ? combined.withRepair(
              new Repair(written, deleted, kept, ofTables(tables, after, sampleSize, null)))
          : combined;
    }
  }

  VerifyResult withRepair(Repair r) {
    return new VerifyResult(
        equal,
        mode,
        method,
        sourceRows,
        targetRows,
        missing,
        extra,
        different,
        sample,
        report,
        ranges,
        rangesRead,
        rowsRead,
        keyed,
        notes,
        r);
  }
}
