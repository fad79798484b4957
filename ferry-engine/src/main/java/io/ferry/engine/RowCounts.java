package io.ferry.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a run, or one split of it, did with its rows: the one set of counters every report uses
 * (progress, summary, {@code ferry runs}, the server's runs and metrics). A checkpoint keeps them
 * per split beside the split's position, so they always describe the rows behind that position: a
 * resumed or killed run counts each row once.
 *
 * @param read rows the source emitted
 * @param written rows the sink accepted and flushed; rows it rejected are {@code dirtyOnWrite}
 * @param bytesRead estimated data size of the rows read (what {@code bytesPerSecond} limits)
 * @param bytesWritten estimated data size of the rows the sink received and flushed (those it
 *     rejected included: an estimate of the data sent, not of the target's storage)
 * @param filtered rows a filter transform removed on purpose
 * @param dirtyOnRead rows the source could not read (they never became rows to read)
 * @param dirtyOnConvert rows a transform, the mapping or a type conversion could not handle
 * @param dirtyOnWrite rows the sink rejected (a duplicate key, a value too long)
 */
// Zero counts are left out of the JSON: a checkpoint holds one of these per split.
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record RowCounts(
    long read,
    long written,
    long bytesRead,
    long bytesWritten,
    long filtered,
    long dirtyOnRead,
    long dirtyOnConvert,
    long dirtyOnWrite) {
  public static final RowCounts ZERO = new RowCounts(0, 0, 0, 0, 0, 0, 0, 0);

  /** Dirty rows of every kind: each is in the dirty-data file and counts against the limit. */
  @JsonIgnore
  public long dirty() {
    return dirtyOnRead + dirtyOnConvert + dirtyOnWrite;
  }

  /** Rows the run is done with: written, dirty or filtered. */
  @JsonIgnore
  public long handled() {
    return written + dirty() + filtered;
  }

  public RowCounts plus(RowCounts o) {
    return new RowCounts(
        read + o.read,
        written + o.written,
        bytesRead + o.bytesRead,
        bytesWritten + o.bytesWritten,
        filtered + o.filtered,
        dirtyOnRead + o.dirtyOnRead,
        dirtyOnConvert + o.dirtyOnConvert,
        dirtyOnWrite + o.dirtyOnWrite);
  }

  public RowCounts minus(RowCounts o) {
    return new RowCounts(
        read - o.read,
        written - o.written,
        bytesRead - o.bytesRead,
        bytesWritten - o.bytesWritten,
        filtered - o.filtered,
        dirtyOnRead - o.dirtyOnRead,
        dirtyOnConvert - o.dirtyOnConvert,
        dirtyOnWrite - o.dirtyOnWrite);
  }
}
