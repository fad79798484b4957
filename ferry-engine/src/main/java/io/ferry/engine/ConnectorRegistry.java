package io.ferry.engine;

import io.ferry.spi.Connector;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The installed connectors, found with {@link ServiceLoader}: on the class path, and in a
 * distribution's {@code connectors/} folder, where each sub-folder holds one connector's jars and
 * gets its own class loader (JDBC drivers and clients of different versions must not meet). A
 * connector's class loader delegates to the engine's first, so the SPI classes are shared.
 *
 * <p>Folders are opened when first needed: a connector is looked for in the folder of its own name
 * first ({@code connectors/mysql/} for {@code mysql}), and only a name found there neither nor on
 * the class path opens every folder. A job thus opens the folders of its two connectors, not the
 * hundred jars of one it does not use.
 */
public final class ConnectorRegistry {
  private final ClassLoader parent;
  private final Map<String, Connector> byName = new TreeMap<>();

  /** Folders not opened yet, by folder name. */
  private final Map<String, Path> unopened = new TreeMap<>();

  private ConnectorRegistry(ClassLoader parent) {
    this.parent = parent;
  }

  /** Connectors on the class path of {@code loader}. */
  public static ConnectorRegistry fromClassPath(ClassLoader loader) {
    ConnectorRegistry registry = new ConnectorRegistry(loader);
    addAll(registry.byName, ServiceLoader.load(Connector.class, loader), "class path");
    return registry;
  }

  /**
   * Connectors on the class path plus those of each sub-folder of {@code connectorsDir} (every jar
   * in a sub-folder is on that folder's class path). A missing folder adds nothing.
   */
  public static ConnectorRegistry load(ClassLoader parent, Path connectorsDir) {
    ConnectorRegistry registry = fromClassPath(parent);
    if (connectorsDir != null && Files.isDirectory(connectorsDir)) {
      try (Stream<Path> dirs = Files.list(connectorsDir)) {
        dirs.filter(Files::isDirectory)
            .forEach(dir -> registry.unopened.put(dir.getFileName().toString(), dir));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + connectorsDir, e);
      }
    }
    return registry;
  }

  /** Opens a folder: its class loader, and the connectors its jars declare. */
  private void open(String folder) {
    Path dir = unopened.remove(folder);
    if (dir == null) {
      return;
    }
    try {
      ClassLoader loader = new URLClassLoader("connector-" + folder, jars(dir), parent);
      addAll(byName, ServiceLoader.load(Connector.class, loader), dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private void openAll() {
    for (String folder : List.copyOf(unopened.keySet())) {
      open(folder);
    }
  }

  private static URL[] jars(Path dir) throws IOException {
    List<URL> urls = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        try {
          urls.add(jar.toUri().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return urls.toArray(URL[]::new);
  }

  private static void addAll(
      Map<String, Connector> found, ServiceLoader<Connector> loader, String where) {
    for (Connector connector : loader) {
      // The same connector seen through the class path and its folder is one connector.
      Connector previous = found.putIfAbsent(connector.name(), connector);
      if (previous != null
          && !previous.getClass().getName().equals(connector.getClass().getName())) {
        throw new IllegalStateException(
            "two connectors are named '"
                + connector.name()
                + "': "
                + previous.getClass().getName()
                + " and "
                + connector.getClass().getName()
                + " ("
                + where
                + ")");
      }
    }
  }

  /** All connectors, by name. */
  public synchronized Collection<Connector> connectors() {
    openAll();
    return List.copyOf(byName.values());
  }

  /**
   * @throws FerryException with {@link ErrorCode#CONNECTOR_UNKNOWN} naming the installed ones
   */
  public synchronized Connector connector(String name) {
    if (!byName.containsKey(name)) {
      open(name);
    }
    if (!byName.containsKey(name)) {
      openAll();
    }
    Connector connector = byName.get(name);
    if (connector == null) {
      throw new FerryException(
          ErrorCode.CONNECTOR_UNKNOWN,
          "unknown connector '" + name + "'; installed: " + String.join(", ", byName.keySet()));
    }
    return connector;
  }
}
