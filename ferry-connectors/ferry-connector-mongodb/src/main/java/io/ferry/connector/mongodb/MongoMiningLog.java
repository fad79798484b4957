package io.ferry.connector.mongodb;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import io.ferry.connector.support.ChangeEventJson;
import io.ferry.spi.Catalog.TableRef;
import io.ferry.spi.ChangeEvent;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.MiningLog;
import io.ferry.spi.Option;
import io.ferry.spi.OptionSet;
import io.ferry.spi.Options;
import io.ferry.spi.Position;
import io.ferry.spi.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A {@link MiningLog} in three collections of a MongoDB database, named after the {@code
 * collection} option {@code C} (docs/shared-mining.md): {@code C} holds one document per event
 * ({@code _id} = seq, {@code tbl}, {@code op}, {@code committedAt} and {@code appendedAt} in epoch
 * microseconds, {@code position}, {@code event} — the event as JSON text, {@link ChangeEventJson}),
 * indexed on {@code {tbl: 1, _id: 1}} and {@code {appendedAt: 1}}; {@code C_state} one document
 * with the head, the purged prefix and the mined-to position; {@code C_tables} the tables asked
 * for.
 *
 * <p>Without multi-document transactions (which the test stand-in lacks, and a standalone server
 * too) an append cannot be one commit. It is made idempotent instead: the events are written by
 * {@code _id} = seq (a replace with upsert) <em>before</em> the head moves, in one conditional
 * update of the state that also records the mined-to position; readers never look past the head. A
 * mining run that dies between the two leaves documents past the head that nobody reads; the next
 * run, opened at the old mined-to position, writes the same numbers again over them. The head check
 * fences a second writer only at the state update: run one mining run per log.
 */
final class MongoMiningLog implements MiningLog {
  static final Option<String> COLLECTION =
      Option.string("collection")
          .required()
          .validator(Validator.notBlank())
          .description(
              "The mining-log collection; Ferry creates it with its _state and _tables companions.")
          .build();

  static final OptionSet OPTIONS = options();

  private static final String STATE_ID = "state";

  private final MongoSettings settings;
  private final String databaseName;
  private final String name;
  private MongoClient client;

  private static OptionSet options() {
    List<Option<?>> all = new ArrayList<>(MongoOptions.connection());
    all.add(MongoOptions.DATABASE);
    all.add(COLLECTION);
    return OptionSet.of(all);
  }

  MongoMiningLog(Options options) {
    this.settings = new MongoSettings(options);
    this.databaseName = options.get(MongoOptions.DATABASE);
    this.name = options.get(COLLECTION);
  }

  private synchronized MongoDatabase database() {
    if (client == null) {
      client = settings.connect();
    }
    return client.getDatabase(databaseName);
  }

  private MongoCollection<Document> events() {
    return database().getCollection(name);
  }

  private MongoCollection<Document> stateCollection() {
    return database().getCollection(name + "_state");
  }

  private MongoCollection<Document> tables() {
    return database().getCollection(name + "_tables");
  }

  private String description() {
    return "the mining log " + databaseName + "." + name + " on " + settings.description();
  }

  @Override
  public String toString() {
    return description().substring("the ".length());
  }

  private <T> T call(String doing, java.util.function.Supplier<T> work) {
    return MongoErrors.withRetries(settings, doing + " " + description(), work);
  }

  @Override
  public void prepare() {
    call(
        "creating",
        () -> {
          events()
              .createIndex(Indexes.ascending("tbl", "_id"), new IndexOptions().name("by_table"));
          events().createIndex(Indexes.ascending("appendedAt"), new IndexOptions().name("by_time"));
          try {
            stateCollection()
                .insertOne(new Document("_id", STATE_ID).append("head", 0L).append("purgedTo", 0L));
          } catch (MongoWriteException e) {
            if (e.getError().getCode() != 11000) {
              throw e; // 11000: there already
            }
          }
          return null;
        });
  }

  private Document stateDocument() {
    Document d = stateCollection().find(Filters.eq("_id", STATE_ID)).first();
    if (d == null) {
      throw new FerryException(
          ErrorCode.NOT_FOUND, description() + " has no state document: it was not prepared");
    }
    return d;
  }

  @Override
  public State state() {
    return call(
        "reading the state of",
        () -> {
          Document d = stateDocument();
          Position mined = null;
          if (d.getString("minedBytes") != null) {
            mined =
                new Position(
                    d.getInteger("minedVersion"),
                    Base64.getDecoder().decode(d.getString("minedBytes")),
                    d.getString("minedText"));
          }
          Map<TableRef, Long> covered = new HashMap<>();
          java.util.Set<TableRef> asked = new java.util.HashSet<>();
          Map<TableRef, Stop> stopped = new HashMap<>();
          Document catchUp = d.get("catchUp", Document.class);
          for (Document t : tables().find()) {
            TableRef ref = new TableRef(t.getString("schema"), t.getString("name"));
            covered.put(ref, t.getLong("coveredFrom"));
            if (Boolean.TRUE.equals(t.getBoolean("stopAsked"))) {
              asked.add(ref);
            }
            if (t.getString("stoppedBytes") != null) {
              Position at =
                  catchUp != null && ref.toString().equals(catchUp.getString("tbl"))
                      ? position(catchUp, "")
                      : position(t, "stopped");
              stopped.put(ref, new Stop(at, t.getLong("stoppedHead")));
            }
          }
          return new State(
              d.getLong("head"), d.getLong("purgedTo"), mined, covered, asked, stopped);
        });
  }

  @Override
  public long append(long expectedHead, List<Encoded> list, Position minedTo) {
    try {
      long head = stateDocument().getLong("head");
      if (head != expectedHead) {
        throw conflict(head, expectedHead);
      }
      long seq = writeEvents(head, list);
      Document updated =
          stateCollection()
              .findOneAndUpdate(
                  Filters.and(Filters.eq("_id", STATE_ID), Filters.eq("head", expectedHead)),
                  Updates.combine(
                      Updates.set("head", seq),
                      Updates.set("minedVersion", minedTo.version()),
                      Updates.set(
                          "minedBytes", Base64.getEncoder().encodeToString(minedTo.bytes())),
                      Updates.set("minedText", minedTo.description())));
      if (updated == null) {
        throw conflict(stateDocument().getLong("head"), expectedHead);
      }
      return seq;
    } catch (RuntimeException e) {
      // Not retried here: the mining run starts over from the state, which is always consistent.
      throw MongoErrors.translate(e, settings, "appending to " + description());
    }
  }

  /** A position kept in fields {@code <prefix>Version}, {@code …Bytes}, {@code …Text}. */
  private static Position position(Document d, String prefix) {
    String bytes = prefix.isEmpty() ? "bytes" : prefix + "Bytes";
    String version = prefix.isEmpty() ? "version" : prefix + "Version";
    String text = prefix.isEmpty() ? "text" : prefix + "Text";
    return new Position(
        d.getInteger(version), Base64.getDecoder().decode(d.getString(bytes)), d.getString(text));
  }

  private FerryException notAsked(TableRef t) {
    return new FerryException(ErrorCode.NOT_FOUND, description() + " does not capture " + t);
  }

  private void expectHead(long expectedHead) {
    long head = stateDocument().getLong("head");
    if (head != expectedHead) {
      throw conflict(head, expectedHead);
    }
  }

  @Override
  public void askStopped(TableRef t, boolean stopped) {
    call(
        stopped ? "asking to stop " + t + " in" : "asking to resume " + t + " in",
        () -> {
          if (tables()
                  .updateOne(Filters.eq("_id", t.toString()), Updates.set("stopAsked", stopped))
                  .getMatchedCount()
              == 0) {
            throw notAsked(t);
          }
          return null;
        });
  }

  @Override
  public void stopped(long expectedHead, TableRef t, Position at) {
    try {
      expectHead(expectedHead);
      if (tables()
              .updateOne(
                  Filters.eq("_id", t.toString()),
                  Updates.combine(
                      Updates.set("stoppedHead", expectedHead),
                      Updates.set("stoppedVersion", at.version()),
                      Updates.set("stoppedBytes", Base64.getEncoder().encodeToString(at.bytes())),
                      Updates.set("stoppedText", at.description())))
              .getMatchedCount()
          == 0) {
        throw notAsked(t);
      }
    } catch (RuntimeException e) {
      throw MongoErrors.translate(e, settings, "stopping " + t + " in " + description());
    }
  }

  /**
   * The events first (by {@code _id}, as {@link #append}), then the head and the catch-up's
   * position in one conditional update of the state document: its {@code catchUp} sub-document
   * overrides the table's stop position until {@link #resumed}.
   */
  @Override
  public long caughtUp(long expectedHead, TableRef t, List<Encoded> list, Position to) {
    try {
      expectHead(expectedHead);
      long seq = writeEvents(expectedHead, list);
      Document catchUp =
          new Document("tbl", t.toString())
              .append("version", to.version())
              .append("bytes", Base64.getEncoder().encodeToString(to.bytes()))
              .append("text", to.description());
      Document updated =
          stateCollection()
              .findOneAndUpdate(
                  Filters.and(Filters.eq("_id", STATE_ID), Filters.eq("head", expectedHead)),
                  Updates.combine(Updates.set("head", seq), Updates.set("catchUp", catchUp)));
      if (updated == null) {
        throw conflict(stateDocument().getLong("head"), expectedHead);
      }
      return seq;
    } catch (RuntimeException e) {
      throw MongoErrors.translate(
          e, settings, "appending the catch-up of " + t + " to " + description());
    }
  }

  /**
   * The table's document first (stop cleared; covered from the spent number when not caught up),
   * then the head and the catch-up in the state document: a crash in between leaves the table
   * resumed, which a caught-up table is; one that was not is covered from a number the next append
   * reaches.
   */
  @Override
  public long resumed(long expectedHead, TableRef t, boolean caughtUp) {
    try {
      expectHead(expectedHead);
      long head = caughtUp ? expectedHead : expectedHead + 1;
      List<Bson> changes = new ArrayList<>();
      changes.add(Updates.unset("stoppedHead"));
      changes.add(Updates.unset("stoppedVersion"));
      changes.add(Updates.unset("stoppedBytes"));
      changes.add(Updates.unset("stoppedText"));
      if (!caughtUp) {
        changes.add(Updates.set("coveredFrom", head));
      }
      if (tables()
              .updateOne(Filters.eq("_id", t.toString()), Updates.combine(changes))
              .getMatchedCount()
          == 0) {
        throw notAsked(t);
      }
      Document updated =
          stateCollection()
              .findOneAndUpdate(
                  Filters.and(Filters.eq("_id", STATE_ID), Filters.eq("head", expectedHead)),
                  Updates.combine(Updates.set("head", head), Updates.unset("catchUp")));
      if (updated == null) {
        throw conflict(stateDocument().getLong("head"), expectedHead);
      }
      return head;
    } catch (RuntimeException e) {
      throw MongoErrors.translate(e, settings, "resuming " + t + " in " + description());
    }
  }

  /** Writes events numbered after {@code head} by {@code _id} (idempotent); the last seq. */
  private long writeEvents(long head, List<Encoded> list) {
    long seq = head;
    if (!list.isEmpty()) {
      long now = micros(Instant.now());
      List<WriteModel<Document>> writes = new ArrayList<>(list.size());
      for (Encoded encoded : list) {
        ChangeEvent event = encoded.event();
        seq++;
        Document d =
            new Document("_id", seq)
                .append("tbl", event.table().toString())
                .append("op", event instanceof ChangeEvent.RowChange r ? r.kind().name() : "SCHEMA")
                .append(
                    "committedAt", event.committedAt() == null ? null : micros(event.committedAt()))
                .append("appendedAt", now)
                .append("position", event.position().description())
                .append("event", encoded.document());
        writes.add(
            new ReplaceOneModel<>(Filters.eq("_id", seq), d, new ReplaceOptions().upsert(true)));
      }
      events().bulkWrite(writes);
    }
    return seq;
  }

  private FerryException conflict(long head, long expected) {
    return new FerryException(
        CONFLICT,
        description()
            + " is at #"
            + head
            + " where this mining run expected #"
            + expected
            + ": another mining run writes it; stop one of them");
  }

  @Override
  public Batch read(long after, Collection<TableRef> wanted, int max) {
    if (wanted.isEmpty()) {
      throw new IllegalArgumentException("no tables to read");
    }
    List<String> names =
        new ArrayList<>(new LinkedHashSet<>(wanted.stream().map(TableRef::toString).toList()));
    return call(
        "reading after #" + after + " of",
        () -> {
          long head = headAndCheck(after);
          List<Entry> entries = new ArrayList<>();
          if (head > after) {
            Bson filter =
                Filters.and(
                    Filters.gt("_id", after), Filters.lte("_id", head), Filters.in("tbl", names));
            for (Document d : events().find(filter).sort(Sorts.ascending("_id")).limit(max)) {
              entries.add(
                  new Entry(
                      ((Number) d.get("_id")).longValue(),
                      ChangeEventJson.decode(d.getString("event"))));
            }
          }
          headAndCheck(after); // a purge meanwhile may have removed part of what was asked for
          long scanned =
              entries.size() >= max ? entries.get(entries.size() - 1).seq() : Math.max(head, after);
          return new Batch(entries, scanned);
        });
  }

  private long headAndCheck(long after) {
    Document d = stateDocument();
    long head = d.getLong("head");
    long purged = d.getLong("purgedTo");
    if (purged > after) {
      throw new FerryException(
          OFFSET_EXPIRED,
          "the offset #"
              + after
              + " is older than what "
              + description()
              + " retains: events up to #"
              + purged
              + " were purged by its retention, so changes after the offset are gone. Start the"
              + " job again as a new run (a new snapshot), or keep the log longer");
    }
    if (after > head) {
      throw new FerryException(
          OFFSET_EXPIRED,
          "the offset #"
              + after
              + " is past the end (#"
              + head
              + ") of "
              + description()
              + ": the log was dropped and created again since. Start the job again as a new run"
              + " (a new snapshot)");
    }
    return head;
  }

  @Override
  public java.util.Optional<Instant> appendedAfter(long after) {
    return call(
        "reading",
        () -> {
          long head = stateDocument().getLong("head");
          Document next =
              events()
                  .find(Filters.and(Filters.gt("_id", after), Filters.lte("_id", head)))
                  .sort(Sorts.ascending("_id"))
                  .limit(1)
                  .first();
          if (next == null) {
            return java.util.Optional.<Instant>empty();
          }
          long micros = ((Number) next.get("appendedAt")).longValue();
          return java.util.Optional.of(
              Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000));
        });
  }

  @Override
  public long purge(Instant before) {
    return call(
        "purging",
        () -> {
          long head = stateDocument().getLong("head");
          Document last =
              events()
                  .find(
                      Filters.and(
                          Filters.lt("appendedAt", micros(before)), Filters.lte("_id", head)))
                  .sort(Sorts.descending("_id"))
                  .limit(1)
                  .first();
          if (last == null) {
            return 0L;
          }
          long to = ((Number) last.get("_id")).longValue();
          // The purged prefix is recorded first: a reader never takes a hole for the log's end.
          stateCollection().updateOne(Filters.eq("_id", STATE_ID), Updates.max("purgedTo", to));
          return events().deleteMany(Filters.lte("_id", to)).getDeletedCount();
        });
  }

  @Override
  public void request(Collection<TableRef> wanted) {
    call(
        "asking to capture tables of",
        () -> {
          for (TableRef t : new LinkedHashSet<>(wanted)) {
            try {
              tables()
                  .insertOne(
                      new Document("_id", t.toString())
                          .append("schema", t.schema())
                          .append("name", t.name())
                          .append("coveredFrom", -1L));
            } catch (MongoWriteException e) {
              if (e.getError().getCode() != 11000) {
                throw e; // 11000: asked for already
              }
            }
          }
          return null;
        });
  }

  @Override
  public void cover(Collection<TableRef> list) {
    call(
        "recording the tables of",
        () -> {
          long head = stateDocument().getLong("head");
          for (TableRef t : list) {
            Document d = tables().find(Filters.eq("_id", t.toString())).first();
            if (d == null) {
              tables()
                  .insertOne(
                      new Document("_id", t.toString())
                          .append("schema", t.schema())
                          .append("name", t.name())
                          .append("coveredFrom", head));
            } else if (d.getLong("coveredFrom") < 0) {
              tables()
                  .updateOne(
                      Filters.and(Filters.eq("_id", t.toString()), Filters.lt("coveredFrom", 0L)),
                      Updates.set("coveredFrom", head));
            }
          }
          return null;
        });
  }

  private static long micros(Instant t) {
    return TimeUnit.SECONDS.toMicros(t.getEpochSecond()) + t.getNano() / 1_000;
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
