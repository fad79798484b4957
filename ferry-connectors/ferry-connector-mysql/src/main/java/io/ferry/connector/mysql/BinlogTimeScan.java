package io.ferry.connector.mysql;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code startup: timestamp}: the position of the first event group whose first event was logged at
 * or after an instant. Reads each binlog file's format description event (its creation time), from
 * the newest file back, to find the newest file created at or before the instant, then scans that
 * file and the later ones event by event up to the current end of the log. Event times are when a
 * statement started (seconds); a group's time is its first event's.
 */
final class BinlogTimeScan {
  /** Reading the binlog to find where a startup timestamp falls failed (a retry may succeed). */
  static final ErrorCode SCAN_FAILED = ErrorCode.external("mysql.binlog-scan", true);

  private final MySqlChangeSource source;

  BinlogTimeScan(MySqlChangeSource source) {
    this.source = source;
  }

  BinlogPosition firstAtOrAfter(Instant instant) {
    BinlogPosition end = source.current();
    List<String> files = new ArrayList<>(source.binaryLogs().keySet());
    int from = -1;
    long oldestCreated = 0;
    for (int i = files.size() - 1; i >= 0; i--) {
      long created = fileCreated(files.get(i));
      oldestCreated = created;
      if (created <= instant.getEpochSecond()) {
        from = i;
        break;
      }
    }
    if (from < 0) {
      // Every file the server has began after the instant: what came before is purged (or never
      // logged), and starting at the oldest file would be a silent gap.
      throw new FerryException(
          MySqlChangeSource.BINLOG_GONE,
          "the binlog no longer holds "
              + instant
              + ": its oldest file, "
              + (files.isEmpty() ? "none" : files.get(0))
              + ", begins at "
              + Instant.ofEpochSecond(oldestCreated)
              + ". Give a later time, or start with a new snapshot");
    }
    // Event times have whole seconds: an event in the instant's second counts as at or after it
    // (a change may be read twice, which idempotent apply absorbs; never one lost).
    BinlogPosition found = scan(files.get(from), instant.getEpochSecond() * 1000, end);
    return found != null ? found : end;
  }

  /** The header time of a file's format description event, in seconds. */
  private long fileCreated(String file) {
    AtomicReference<Long> stamp = new AtomicReference<>();
    run(
        file,
        (client, header) -> {
          if (header.getEventType() == EventType.FORMAT_DESCRIPTION) {
            stamp.set(header.getTimestamp() / 1000);
            return true;
          }
          return false;
        });
    return stamp.get() == null ? Long.MAX_VALUE : stamp.get();
  }

  private BinlogPosition scan(String startFile, long millis, BinlogPosition end) {
    AtomicReference<BinlogPosition> found = new AtomicReference<>();
    String[] file = {startFile};
    boolean[] inGroup = {false};
    run(
        startFile,
        (client, header) -> {
          EventType type = header.getEventType();
          long next = header.getNextPosition();
          long at = next - header.getEventLength();
          if (type == EventType.ROTATE) {
            file[0] = client.getBinlogFilename();
            return false;
          }
          if (next == 0) {
            return false;
          }
          if (file[0].equals(end.file()) && at >= end.offset()) {
            return true;
          }
          boolean starts =
              !inGroup[0]
                  && (type == EventType.GTID
                      || type == EventType.MARIADB_GTID
                      || type == EventType.QUERY
                      || type == EventType.TABLE_MAP);
          if (starts) {
            if (header.getTimestamp() >= millis) {
              found.set(BinlogPosition.at(file[0], at, 0));
              return true;
            }
            inGroup[0] = true;
          }
          if (type == EventType.XID) {
            inGroup[0] = false;
          }
          return false;
        },
        (type, data) -> {
          if (type == EventType.QUERY && data instanceof QueryEventData q) {
            String sql = q.getSql().strip().toUpperCase(Locale.ROOT);
            if (sql.equals("BEGIN")) {
              inGroup[0] = true;
            } else if (sql.equals("COMMIT") || !inGroup[0]) {
              inGroup[0] = false;
            }
          }
        });
    return found.get();
  }

  interface Stop {
    boolean done(BinaryLogClient client, EventHeaderV4 header);
  }

  interface After {
    void seen(EventType type, Object data);
  }

  private void run(String file, Stop stop) {
    run(file, stop, (t, d) -> {});
  }

  /** Reads from {@code file}:4 until {@code stop} says done, or the end of the log. */
  private void run(String file, Stop stop, After after) {
    BinaryLogClient client =
        new BinaryLogClient(source.host(), source.port(), source.user(), source.password());
    client.setServerId(source.serverId());
    client.setKeepAlive(false);
    client.setBlocking(false);
    client.setBinlogFilename(file);
    client.setBinlogPosition(4);
    EventDeserializer deserializer = new EventDeserializer();
    client.setEventDeserializer(deserializer);
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Exception> error = new AtomicReference<>();
    client.registerEventListener(
        event -> {
          if (done.getCount() == 0) {
            return;
          }
          EventHeaderV4 header = event.getHeader();
          boolean stopHere = stop.done(client, header);
          if (!stopHere) {
            after.seen(header.getEventType(), event.getData());
          }
          if (stopHere) {
            done.countDown();
          }
        });
    client.registerLifecycleListener(
        new BinaryLogClient.AbstractLifecycleListener() {
          @Override
          public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
            error.set(ex);
            done.countDown();
          }
        });
    Thread t =
        new Thread(
            () -> {
              try {
                client.connect();
              } catch (IOException e) {
                error.set(e);
              }
              done.countDown();
            },
            "ferry-binlog-scan");
    t.setDaemon(true);
    t.start();
    try {
      done.await(10, TimeUnit.MINUTES);
      client.disconnect();
      t.join(10_000);
    } catch (IOException e) {
      // disconnecting: the scan is over anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (error.get() != null) {
      throw new FerryException(
          SCAN_FAILED,
          "scanning the binlog from " + file + " for startup: timestamp failed: " + error.get(),
          error.get());
    }
  }
}
