package io.ferry.spi;

import java.util.Map;
import java.util.Optional;

/**
 * A connector, found with {@link java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/io.ferry.spi.Connector}. It offers one or more roles; each role declares its
 * options and creates instances from parsed options.
 *
 * <p>Factories do no I/O: connecting is {@link Source#check()}'s and the readers' work, so that
 * options can be validated without a network.
 *
 * <p>Texts are declared in English. A connector speaks Simplified Chinese in the web UI through
 * {@code META-INF/ferry/i18n/zh-CN.xml} in its jar: Java XML properties whose keys are its English
 * texts exactly as declared ({@link #description()}, each option's {@link Option#description()})
 * and {@code label.<option name>} for an option's name in a form, each with its translation.
 */
public interface Connector {
  /** The name job files use in {@code connector:}, lower-case, e.g. {@code file}. */
  String name();

  /** One sentence on what the connector reads or writes. */
  String description();

  default Optional<Role<Source>> source() {
    return Optional.empty();
  }

  default Optional<Role<Sink>> sink() {
    return Optional.empty();
  }

  default Optional<Role<Catalog>> catalog() {
    return Optional.empty();
  }

  default Optional<Role<ChangeSource>> changeSource() {
    return Optional.empty();
  }

  /**
   * The mining-log store of shared change-log mining kept in this connector's store (a table of a
   * database, a collection): its options are the connection options and the name of the table or
   * collection. Empty when this connector cannot keep one.
   */
  default Optional<Role<MiningLog>> miningLog() {
    return Optional.empty();
  }

  /**
   * The sink options a full-sync job ({@code kind: fullSync}) gives this connector unless the job
   * sets them: what makes a whole table arrive as a fresh, complete copy with defaults that just
   * work (e.g. document ids from the source's key, a new index behind an alias). Empty, the
   * default, when the sink has no full-sync mode; such a job is then refused.
   */
  default Map<String, Object> fullSyncSinkDefaults() {
    return Map.of();
  }

  /**
   * One role of a connector: its options and how to create an instance.
   *
   * @param <T> Source, Sink, Catalog or ChangeSource
   */
  interface Role<T> {
    OptionSet options();

    T create(Options options, ConnectorContext context);

    static <T> Role<T> of(OptionSet options, Factory<T> factory) {
      return new Role<>() {
        @Override
        public OptionSet options() {
          return options;
        }

        @Override
        public T create(Options o, ConnectorContext context) {
          return factory.create(o, context);
        }
      };
    }
  }

  /** Creates an instance of a role. */
  @FunctionalInterface
  interface Factory<T> {
    T create(Options options, ConnectorContext context);
  }
}
