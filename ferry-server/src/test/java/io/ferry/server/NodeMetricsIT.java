package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's figures — on /actuator/prometheus, in the WebSocket's server message, in the samples
 * kept for the node page — against the JVM's own numbers, under a known load: one thread that spins
 * for a few seconds in the server's JVM (the test's).
 */
class NodeMetricsIT {
  private TestServer server;

  @BeforeEach
  void start() {
    server = new TestServer("--ferry.monitoring.sample-interval=500ms");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void cpuFiguresFollowTheJvmsOwnUnderAKnownLoad() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int cores = os.getAvailableProcessors();
    double cpuTimeBefore = value("process_cpu_time_ns_total");

    AtomicBoolean spin = new AtomicBoolean(true);
    AtomicLong burned = new AtomicLong();
    Thread burner =
        new Thread(
            () -> {
              long x = 0;
              while (spin.get()) {
                x += System.nanoTime() % 7;
              }
              burned.set(threads.getCurrentThreadCpuTime() + (x & 0));
            },
            "cpu-burner");
    long wallStart = System.nanoTime();
    burner.start();
    try (TestServer.Socket socket = server.socket("")) {
      Thread.sleep(3_000);
      // The cumulative CPU time, read by the test just before and just after the server reads
      // it, from the JVM's own OperatingSystemMXBean: the server's figure lies between the two.
      // (The load figures below are each over their own recent interval, so only their range
      // is checked: on a busy machine two intervals' loads differ by any amount.)
      long cpuBefore = os.getProcessCpuTime();
      double cpuTime = value("process_cpu_time_ns_total");
      long cpuAfter = os.getProcessCpuTime();
      // (1 ms either side for the exposition's decimal rounding.)
      assertThat(cpuTime).isBetween(cpuBefore - 1e6, cpuAfter + 1e6);
      double reported = value("process_cpu_usage");
      // A spinning thread makes the figure positive; how large a share of a core it gets depends
      // on what else the machine runs (at a load of 30 on 2 cores, ~3 % of the machine).
      assertThat(reported)
          .as("process_cpu_usage under load")
          .isGreaterThan(0.0)
          .isLessThanOrEqualTo(1.0);
      assertThat(value("system_cpu_usage")).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(0.0);
      JsonNode serverMessage = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (serverMessage == null && System.nanoTime() < deadline) {
        JsonNode m = socket.messages.poll(1, TimeUnit.SECONDS);
        if (m != null && m.path("type").asText().equals("server")) {
          serverMessage = m;
        }
      }
      assertThat(serverMessage).as("a server message over the WebSocket").isNotNull();
      double pushed = serverMessage.get("processCpuLoad").asDouble();
      assertThat(pushed).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
    } finally {
      spin.set(false);
      burner.join();
    }
    long wall = System.nanoTime() - wallStart;
    // The process's CPU time grew at least by what the spinning thread burned, and at most by
    // all cores over the wall time.
    double grown = value("process_cpu_time_ns_total") - cpuTimeBefore;
    assertThat(burned.get()).isGreaterThan(Duration.ofMillis(300).toNanos());
    assertThat(grown).isGreaterThanOrEqualTo(burned.get() * 0.95).isLessThan(wall * (cores + 0.5));

    // Memory: the resident set against /proc, the heap against the JVM's bean.
    double rss = value("ferry_process_resident_memory_bytes");
    long vmRss = vmRssBytes();
    assertThat(rss).isBetween(vmRss * 0.7, vmRss * 1.3);
    long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    assertThat(sumOf("jvm_memory_used_bytes{area=\"heap\""))
        .isBetween(heapUsed * 0.3, heapUsed * 3.0);
    assertThat(value("jvm_threads_live_threads")).isGreaterThan(5);

    // Samples for the node page: this node's, with the same kinds of figures.
    JsonNode nodes = server.get("/api/nodes").json();
    assertThat(nodes.size()).isEqualTo(1);
    assertThat(nodes.get(0).get("alive").asBoolean()).isTrue();
    String node = nodes.get(0).get("node").asText();
    JsonNode samples = server.get("/api/nodes/" + node + "/samples?hours=1").json();
    assertThat(samples.size()).as(samples.toString()).isGreaterThanOrEqualTo(3);
    JsonNode last = samples.get(samples.size() - 1);
    assertThat(last.get("heapUsed").asLong()).isPositive();
    assertThat(last.get("rss").asLong()).isBetween((long) (vmRss * 0.5), (long) (vmRss * 1.5));
    assertThat(last.get("threads").asInt()).isGreaterThan(5);
    boolean sawLoad = false;
    for (JsonNode s : samples) {
      sawLoad |= s.get("processCpu").asDouble() > 0.0;
    }
    assertThat(sawLoad).as("a sample during the load: %s", samples).isTrue();
    assertThat(server.get("/api/nodes/" + node + "/samples?hours=0").status()).isEqualTo(400);
  }

  private static long vmRssBytes() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    throw new AssertionError("no VmRSS");
  }

  private double value(String sample) {
    String text = server.get("/actuator/prometheus").body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
    assertThat(m.find()).as("%s in%n%s", sample, text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** The sum of the samples whose name and first labels start with {@code prefix}. */
  private double sumOf(String prefix) {
    String text = server.get("/actuator/prometheus").body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[^}]*} (\\S+)$").matcher(text);
    double sum = 0;
    int n = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
      n++;
    }
    assertThat(n).as(prefix).isPositive();
    return sum;
  }
}
