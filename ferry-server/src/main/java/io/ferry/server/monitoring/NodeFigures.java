package io.ferry.server.monitoring;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's resource figures, read when asked: CPU load of the process and of the machine
 * (fractions of all cores, 0..1, from the JVM's {@code OperatingSystemMXBean}), heap, resident set
 * size and threads.
 *
 * @param processCpu the process's CPU load, or NaN when the JVM does not tell
 * @param systemCpu the machine's CPU load, or NaN when the JVM does not tell
 * @param heapUsed heap in use, bytes
 * @param heapMax the heap's maximum, bytes (-1 when undefined)
 * @param rss the process's resident set size in bytes, or -1 off Linux
 * @param threads live threads
 */
public record NodeFigures(
    double processCpu, double systemCpu, long heapUsed, long heapMax, long rss, int threads) {

  private static final Path STATM = Path.of("/proc/self/statm");

  /** The figures now. */
  public static NodeFigures now() {
    double process = Double.NaN;
    double system = Double.NaN;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      process = os.getProcessCpuLoad();
      system = os.getCpuLoad();
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new NodeFigures(
        process,
        system,
        heap.getUsed(),
        heap.getMax(),
        residentSetSize(),
        ManagementFactory.getThreadMXBean().getThreadCount());
  }

  /**
   * The resident set size from {@code /proc/self/statm} (its second field, in pages of 4 KiB on the
   * platforms Ferry runs on); -1 where there is no such file. The JVM's beans have no RSS.
   */
  public static long residentSetSize() {
    try {
      String[] fields = Files.readString(STATM).trim().split("\\s+");
      return Long.parseLong(fields[1]) * 4096L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
