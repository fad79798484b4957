package io.ferry.connector.hbase;

import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.IOException;
import org.apache.hadoop.hbase.DoNotRetryIOException;
import org.apache.hadoop.hbase.TableNotFoundException;

/** How client failures read as Ferry errors. */
final class HBaseErrors {
  private HBaseErrors() {}

  /** A client failure as a Ferry error: retriable unless HBase says not to retry. */
  static FerryException translate(Throwable e, String doing) {
    if (e instanceof FerryException f) {
      return f;
    }
    if (e instanceof TableNotFoundException) {
      return new FerryException(
          ErrorCode.NOT_FOUND,
          doing + ": table " + message(e) + " does not exist",
          HBaseOptions.TABLE.name(),
          e);
    }
    if (e instanceof DoNotRetryIOException || !(e instanceof IOException)) {
      return new FerryException(HBaseSettings.REFUSED, doing + ": " + message(e), e);
    }
    return new FerryException(HBaseSettings.UNAVAILABLE, doing + ": " + message(e), e);
  }

  /** The first line of a failure's message (HBase's can run to pages of retries). */
  static String message(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 500 ? m.substring(0, 497) + "..." : m;
  }
}
