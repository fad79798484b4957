package io.ferry.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.engine.ConnectorRegistry;
import io.ferry.engine.Engine;
import io.ferry.engine.ExternalRun;
import io.ferry.engine.JobSpecLoader;
import io.ferry.engine.RowCounts;
import io.ferry.engine.RunResources;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.clusterframework.types.ResourceProfile;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.junit.jupiter.api.Test;

/**
 * A run's resources become its Flink slots' (fine-grained resource management): each of its
 * parallel tasks asks for its share of the run's cores and memory, read off the job graph Flink
 * gets.
 */
class SlotResourcesTest {

  @Test
  void eachSlotOfTheJobGraphAsksForItsShareOfTheRunsCoresAndMemory() throws Exception {
    List<JobVertex> vertices =
        jobGraph(new RunResources(3, 1536), 4).getVerticesSortedTopologicallyFromSources();

    // Source, count and sink are chained into one task, in one slot of the run's group.
    assertThat(vertices).hasSize(1);
    JobVertex task = vertices.get(0);
    assertThat(task.getParallelism()).isEqualTo(4);
    ResourceProfile slot = task.getSlotSharingGroup().getResourceProfile();
    assertThat(slot.getCpuCores().getValue()).isEqualByComparingTo(new BigDecimal("0.75"));
    assertThat(slot.getTaskHeapMemory()).isEqualTo(MemorySize.ofMebiBytes(384));
    assertThat(slot.getTaskOffHeapMemory()).isEqualTo(MemorySize.ZERO);
  }

  @Test
  void withoutResourcesTheJobTakesFlinksDefaultSlots() throws Exception {
    JobVertex task = jobGraph(null, 2).getVerticesSortedTopologicallyFromSources().get(0);

    assertThat(task.getSlotSharingGroup().getResourceProfile()).isEqualTo(ResourceProfile.UNKNOWN);
  }

  /** The job graph of a datagen → file job of {@code parallelism} tasks. */
  private static JobGraph jobGraph(RunResources resources, int parallelism) throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "slot-resources");
    Engine engine =
        new Engine(
            ConnectorRegistry.fromClassPath(SlotResourcesTest.class.getClassLoader()),
            dir.resolve("state"));
    String yaml =
        """
        name: slot-resources
        source: {connector: datagen, rows: 1000, seed: 7}
        sink: {connector: file, path: '%s', format: csv}
        settings: {channels: %d}
        """
            .formatted(dir.resolve("out.csv"), parallelism);
    ExternalRun run =
        engine.startExternal(
            JobSpecLoader.parse(yaml, false, null, "slot-resources", Map.of()),
            parallelism,
            "flink");
    try {
      FlinkRunner runner = new FlinkRunner(engine, null);
      if (resources != null) {
        runner.resources(resources);
      }
      return runner.graph(run, parallelism, true).getJobGraph();
    } finally {
      run.finish(RowCounts.ZERO, 0, null, true);
    }
  }
}
