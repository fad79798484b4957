package io.ferry.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every job example of the documentation validates as written, so the docs cannot drift from the
 * code: each is checked with the built distribution's {@code bin/ferry validate --offline}.
 *
 * <p>What is a job example: a fenced {@code yaml} block of any Markdown file of the repository
 * (README.md, docs/, every module's and connector's README, bench/), and any {@code *.yaml} file
 * (the distribution's examples, the benchmark jobs), with a top-level {@code source:} or {@code
 * sink:} key. Folders named {@code target} or {@code node_modules} and hidden ones are not read.
 *
 * <p>How each is checked, as a reader would run it:
 *
 * <ul>
 *   <li>Every {@code ${env:NAME}} it uses is set to a dummy value in ferry's environment. No {@code
 *       --param} is passed: a {@code ${name}} needs a default under {@code params:} (passwords
 *       belong in {@code ${env:...}}, docs/job-file.md).
 *   <li>A fragment, a block with a {@code source:} but no {@code sink:} (or the reverse), shows one
 *       side of a job; the other side is added as {@code sink: {connector: blackhole}} (or {@code
 *       source: {connector: datagen}}), so the fragment's options are still checked.
 *   <li>A block right after the line {@code <!-- not-a-job: REASON -->} is not a job file for
 *       {@code ferry} (e.g. a server script that names data sources instead of connectors); it is
 *       reported as skipped with its reason.
 * </ul>
 *
 * <p>A failure names the file and the line of the block's opening fence, and ferry's problems. A
 * valid example must validate without printing a stack trace (the HBase client's module access).
 */
class DocExamplesIT {
  private static final Path DIST =
      Path.of(System.getProperty("ferry.dist", "target/ferry")).toAbsolutePath();
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Path WORK = Path.of("target/doc-examples").toAbsolutePath();

  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)\\s*(\\S*)");
  private static final Pattern NOT_A_JOB = Pattern.compile("^\\s*<!--\\s*not-a-job:(.*)-->\\s*$");
  private static final Pattern TOP_LEVEL_SOURCE = Pattern.compile("(?m)^source\\s*:");
  private static final Pattern TOP_LEVEL_SINK = Pattern.compile("(?m)^sink\\s*:");
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z0-9_.-]+)}");

  /** A job example: where it is ({@code README.md:47}), its text, and why it is no job if not. */
  private record Example(String where, String yaml, String notAJob) {}

  @TestFactory
  Stream<DynamicTest> everyJobExampleValidatesOffline() throws IOException {
    Files.createDirectories(WORK);
    List<Example> examples = examples();
    // The README's own example must be among them, or the search itself is broken.
    assertThat(examples).anyMatch(e -> e.where().startsWith("README.md:"));
    // Two validations at a time, all started here, each checked by its own test in order: one
    // `ferry validate` is a JVM start of about a second, mostly on one core, and there are dozens.
    ExecutorService validators = Executors.newFixedThreadPool(2);
    Map<Example, Future<Validation>> validations = new HashMap<>();
    for (Example example : examples) {
      if (example.notAJob() == null) {
        validations.put(example, validators.submit(() -> validate(example)));
      }
    }
    validators.shutdown(); // the submitted validations still run
    return examples.stream()
        .map(
            example ->
                DynamicTest.dynamicTest(
                    example.where(), () -> check(example, validations.get(example))));
  }

  /** What {@code ferry validate} said: its exit code (null when it did not end) and its output. */
  private record Validation(Integer exit, String output) {}

  private static void check(Example example, Future<Validation> validation) throws Exception {
    Assumptions.assumeTrue(example.notAJob() == null, () -> "not-a-job:" + example.notAJob());
    Validation result = validation.get();
    if (result.exit() == null) {
      throw new AssertionError(example.where() + ": ferry validate did not end in 2 minutes");
    }
    String output = result.output();
    assertThat(result.exit()).as("%s does not validate:%n%s", example.where(), output).isZero();
    // A valid job validates quietly: no stack trace, such as the InaccessibleObjectException the
    // HBase client printed when the launcher did not open java.nio to it.
    assertThat(output)
        .as("%s validates with a stack trace:%n%s", example.where(), output)
        .doesNotContain("Exception")
        .doesNotContainPattern("(?m)^\\s+at ");
  }

  private static Validation validate(Example example) throws Exception {
    String yaml = example.yaml();
    boolean source = TOP_LEVEL_SOURCE.matcher(yaml).find();
    boolean sink = TOP_LEVEL_SINK.matcher(yaml).find();
    if (!sink) {
      yaml += "sink: {connector: blackhole}\n";
    } else if (!source) {
      yaml += "source: {connector: datagen}\n";
    }
    String name = example.where().replaceAll("[^A-Za-z0-9.-]", "_");
    Path job = Files.writeString(WORK.resolve(name + ".yaml"), yaml);
    Path out = WORK.resolve(name + ".out");

    ProcessBuilder builder =
        new ProcessBuilder(
                DIST.resolve("bin/ferry").toString(), "validate", "--offline", job.toString())
            .directory(WORK.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().put("FERRY_STATE_DIR", WORK.resolve("state").toString());
    Matcher env = ENV.matcher(yaml);
    while (env.find()) {
      builder.environment().put(env.group(1), "doc-example-" + env.group(1));
    }
    Process ferry = builder.start();
    if (!ferry.waitFor(2, TimeUnit.MINUTES)) {
      ferry.destroyForcibly();
      return new Validation(null, Files.readString(out));
    }
    return new Validation(ferry.exitValue(), Files.readString(out));
  }

  /** Every job example of the repository, sorted by file. */
  private static List<Example> examples() throws IOException {
    Map<String, List<Example>> byFile = new TreeMap<>();
    try (Stream<Path> files = Files.walk(REPOSITORY)) {
      for (Path file : files.filter(Files::isRegularFile).filter(DocExamplesIT::read).toList()) {
        String where = REPOSITORY.relativize(file).toString();
        List<Example> found =
            where.endsWith(".md")
                ? blocks(where, Files.readAllLines(file))
                : List.of(new Example(where, Files.readString(file), null));
        byFile.put(where, found.stream().filter(e -> isJob(e.yaml())).toList());
      }
    }
    return byFile.values().stream().flatMap(List::stream).toList();
  }

  private static boolean read(Path file) {
    for (Path part : REPOSITORY.relativize(file)) {
      String name = part.toString();
      if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
        return false;
      }
    }
    String name = file.getFileName().toString();
    return name.endsWith(".md") || name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static boolean isJob(String yaml) {
    return TOP_LEVEL_SOURCE.matcher(yaml).find() || TOP_LEVEL_SINK.matcher(yaml).find();
  }

  /** The fenced yaml blocks of a Markdown file. */
  private static List<Example> blocks(String file, List<String> lines) {
    List<Example> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.find()) {
        continue;
      }
      int start = i;
      StringBuilder text = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).trim().startsWith(open.group(1)); i++) {
        text.append(lines.get(i)).append('\n');
      }
      String language = open.group(2);
      if (language.equals("yaml") || language.equals("yml")) {
        String notAJob = null;
        int before = start - 1;
        while (before >= 0 && lines.get(before).isBlank()) {
          before--;
        }
        if (before >= 0) {
          Matcher marker = NOT_A_JOB.matcher(lines.get(before));
          notAJob = marker.matches() ? marker.group(1).trim() : null;
        }
        blocks.add(new Example(file + ":" + (start + 1), text.toString(), notAJob));
      }
    }
    return blocks;
  }
}
