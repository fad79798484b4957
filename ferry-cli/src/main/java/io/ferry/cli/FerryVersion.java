package io.ferry.cli;

import picocli.CommandLine.IVersionProvider;

/** Ferry's version from the jar manifest, and the Java running it. */
final class FerryVersion implements IVersionProvider {
  /** {@code Implementation-Version} of the CLI jar; "development" when run from classes. */
  static String ferry() {
    String version = Ferry.class.getPackage().getImplementationVersion();
    return version != null ? version : "development (not run from a jar)";
  }

  static String java() {
    return System.getProperty("java.version")
        + " ("
        + System.getProperty("java.vendor")
        + ", "
        + System.getProperty("java.home")
        + ")";
  }

  @Override
  public String[] getVersion() {
    return new String[] {"Ferry " + ferry(), "Java " + java()};
  }
}
