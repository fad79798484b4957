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
        keyed,
        notes,
        r);
  }
}
