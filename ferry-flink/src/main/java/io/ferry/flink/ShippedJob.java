package io.ferry.flink;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.JobSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A job as it travels to Flink's tasks: the job spec in serializable form, the run it belongs to,
 * and where the tasks find the state directory and the connectors. Immutable.
 */
final class ShippedJob implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The registries of this JVM, by connectors folder: each folder's class loaders made once. */
  private static final Map<String, ConnectorRegistry> REGISTRIES = new ConcurrentHashMap<>();

  private final String file;
  private final Map<String, String> params;
  private final String name;
  private final Section source;
  private final Section sink;
  private final List<Mapping> mapping;
  private final List<TransformStep> transforms;
  private final Map<String, Object> settings;
  private final String kind;
  final String runKey;

  /**
   * The driver's state directory, which the tasks share when they run on its machine (a mini
   * cluster); null on a session cluster, whose tasks use their own machine's {@link
   * #taskStateDirectory()}.
   */
  final String stateDirectory;

  /** The distribution's connectors folder; null for connectors on the class path only. */
  final String connectorsDirectory;

  final int splitCodecVersion;

  private record Section(String section, String connector, Map<String, Object> options)
      implements Serializable {}

  private record Mapping(String from, String to, String constant, String path)
      implements Serializable {}

  private record TransformStep(String type, Map<String, Object> options, String path)
      implements Serializable {}

  ShippedJob(
      JobSpec spec,
      String runKey,
      Path stateDirectory,
      Path connectorsDirectory,
      int splitCodecVersion) {
    this.file = spec.file() == null ? null : spec.file().toString();
    this.params = new LinkedHashMap<>(spec.params());
    this.name = spec.name();
    this.source = section(spec.source());
    this.sink = section(spec.sink());
    if (spec.mapping() == null) {
      this.mapping = null;
    } else {
      List<Mapping> m = new ArrayList<>();
      spec.mapping().forEach(f -> m.add(new Mapping(f.from(), f.to(), f.constant(), f.path())));
      this.mapping = m;
    }
    List<TransformStep> t = new ArrayList<>();
    spec.transforms()
        .forEach(
            s -> t.add(new TransformStep(s.type(), new LinkedHashMap<>(s.options()), s.path())));
    this.transforms = t;
    this.settings = new LinkedHashMap<>(spec.settings());
    this.kind = spec.kind().name();
    this.runKey = runKey;
    this.stateDirectory =
        stateDirectory == null ? null : stateDirectory.toAbsolutePath().toString();
    this.connectorsDirectory =
        connectorsDirectory == null ? null : connectorsDirectory.toAbsolutePath().toString();
    this.splitCodecVersion = splitCodecVersion;
  }

  private static Section section(JobSpec.ConnectorSpec spec) {
    return new Section(spec.section(), spec.connector(), new LinkedHashMap<>(spec.options()));
  }

  private static JobSpec.ConnectorSpec spec(Section s) {
    return new JobSpec.ConnectorSpec(s.section(), s.connector(), s.options());
  }

  JobSpec spec() {
    return new JobSpec(
        file == null ? null : Path.of(file),
        params,
        name,
        spec(source),
        spec(sink),
        mapping == null
            ? null
            : mapping.stream()
                .map(m -> new JobSpec.FieldMapping(m.from(), m.to(), m.constant(), m.path()))
                .toList(),
        transforms.stream()
            .map(t -> new JobSpec.TransformSpec(t.type(), t.options(), t.path()))
            .toList(),
        settings,
        JobSpec.Kind.valueOf(kind));
  }

  /** The connectors this JVM finds: the class path, and the distribution's folder if given. */
  ConnectorRegistry registry() {
    String key = connectorsDirectory == null ? "" : connectorsDirectory;
    return REGISTRIES.computeIfAbsent(
        key,
        k ->
            k.isEmpty()
                ? ConnectorRegistry.fromClassPath(ShippedJob.class.getClassLoader())
                : ConnectorRegistry.load(ShippedJob.class.getClassLoader(), Path.of(k)));
  }

  /** Where the tasks keep dirty rows and scratch space. */
  Path stateDirectory() {
    return stateDirectory != null ? Path.of(stateDirectory) : taskStateDirectory();
  }

  /** A session cluster's task manager's: {@code ferry-state} in its temporary folder. */
  static Path taskStateDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "ferry-state");
  }
}
