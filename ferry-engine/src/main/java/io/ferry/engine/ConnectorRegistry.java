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
 */
public final class ConnectorRegistry {
  private final Map<String, Connector> byName;

  private ConnectorRegistry(Map<String, Connector> byName) {
    this.byName = byName;
  }

  /** Connectors on the class path of {@code loader}. */
  public static ConnectorRegistry fromClassPath(ClassLoader loader) {
    Map<String, Connector> found = new TreeMap<>();
    addAll(found, ServiceLoader.load(Connector.class, loader), "class path");
    return new ConnectorRegistry(found);
  }

  /**
   * Connectors on the class path plus one per sub-folder of {@code connectorsDir} (every jar in a
   * sub-folder is on that connector's class path). A missing folder adds nothing.
   */
  public static ConnectorRegistry load(ClassLoader parent, Path connectorsDir) {
    Map<String, Connector> found = new TreeMap<>();
    addAll(found, ServiceLoader.load(Connector.class, parent), "class path");
    if (connectorsDir != null && Files.isDirectory(connectorsDir)) {
      try (Stream<Path> dirs = Files.list(connectorsDir)) {
        for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
          ClassLoader loader =
              new URLClassLoader("connector-" + dir.getFileName(), jars(dir), parent);
          addAll(found, ServiceLoader.load(Connector.class, loader), dir.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + connectorsDir, e);
      }
    }
    return new ConnectorRegistry(found);
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
  public Collection<Connector> connectors() {
    return byName.values();
  }

  /**
   * @throws FerryException with {@link ErrorCode#CONNECTOR_UNKNOWN} naming the installed ones
   */
  public Connector connector(String name) {
    Connector connector = byName.get(name);
    if (connector == null) {
      throw new FerryException(
          ErrorCode.CONNECTOR_UNKNOWN,
          "unknown connector '" + name + "'; installed: " + String.join(", ", byName.keySet()));
    }
    return connector;
  }
}
