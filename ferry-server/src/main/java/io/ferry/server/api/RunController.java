package io.ferry.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.server.runs.RerunChecks;
import io.ferry.server.runs.RunLogs;
import io.ferry.server.runs.RunService;
import io.ferry.server.schedule.ScheduleService;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.Page;
import io.ferry.server.tasks.JobScripts;
import io.ferry.server.tasks.TaskService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Runs: start, control, history, logs and dirty rows. */
@RestController
public class RunController {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final RunService runs;
  private final RunLogs logs;
  private final TaskService tasks;
  private final ScheduleService schedules;
  private final RerunChecks rerunChecks;

  public RunController(
      RunService runs,
      RunLogs logs,
      TaskService tasks,
      ScheduleService schedules,
      RerunChecks rerunChecks) {
    this.runs = runs;
    this.logs = logs;
    this.tasks = tasks;
    this.schedules = schedules;
    this.rerunChecks = rerunChecks;
  }

  @PostMapping("/api/tasks/{taskId}/runs")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public RunService.View start(@PathVariable long taskId) {
    schedules.checkManualRun(taskId);
    return runs.startTask(taskId);
  }

  @GetMapping("/api/tasks/{taskId}/runs")
  public Page<RunService.View> history(
      @PathVariable long taskId,
      @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    tasks.get(taskId); // 404 for a task that does not exist
    return runs.list(taskId, state, page, size);
  }

  /**
   * A run of a job script that belongs to no task.
   *
   * @param script job YAML, with {@code datasource:} references (see {@link JobScripts})
   */
  public record ScriptRun(String name, String script) {}

  @PostMapping("/api/runs")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public RunService.View startScript(@RequestBody ScriptRun request) {
    return runs.startScript(request.name(), request.script());
  }

  @GetMapping("/api/runs")
  public Page<RunService.View> list(
      @RequestParam(required = false) Long taskId,
      @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return runs.list(taskId, state, page, size);
  }

  /** One run, with its newest verification (values only for users who may read rows). */
  @GetMapping("/api/runs/{id}")
  public RunService.View get(@PathVariable long id) {
    RunService.View run = runs.get(id);
    return run.verification() == null || VerificationController.readsRows()
        ? run
        : run.withVerification(run.verification().withoutValues());
  }

  @PostMapping("/api/runs/{id}/pause")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public RunService.View pause(@PathVariable long id) {
    return runs.pause(id);
  }

  /**
   * @param settings engine settings for the rest of the run, e.g. {@code {"channels": 8}}
   */
  public record Resume(Map<String, Object> settings) {}

  @PostMapping("/api/runs/{id}/resume")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public RunService.View resume(
      @PathVariable long id, @RequestBody(required = false) Resume request) {
    return runs.resume(id, request == null ? null : request.settings());
  }

  @PostMapping("/api/runs/{id}/stop")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public RunService.View stop(@PathVariable long id) {
    return runs.stop(id);
  }

  @PostMapping("/api/runs/{id}/rerun")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public RunService.View rerun(@PathVariable long id) {
    return runs.rerun(id);
  }

  /** Whether a rerun would insert rows the run already wrote (to warn before one). */
  @GetMapping("/api/runs/{id}/rerun-check")
  public RerunChecks.RerunCheck rerunCheck(@PathVariable long id) {
    return rerunChecks.check(id);
  }

  /** The run's latest progress (speeds, ETA, splits), also after it ended. */
  @GetMapping("/api/runs/{id}/progress")
  public Map<String, Object> progress(@PathVariable long id) {
    return runs.progress(id);
  }

  @GetMapping("/api/runs/{id}/log")
  public List<RunLogs.Line> log(@PathVariable long id) {
    runs.get(id);
    return logs.lines(id);
  }

  @GetMapping(value = "/api/runs/{id}/log/download", produces = MediaType.TEXT_PLAIN_VALUE)
  public ResponseEntity<String> download(@PathVariable long id) {
    runs.get(id);
    return ResponseEntity.ok()
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"run-" + id + ".log\"")
        .contentType(MediaType.TEXT_PLAIN)
        .body(logs.text(id));
  }

  /**
   * The run's dirty rows, one page: each is an object of the engine's dirty-data file (the row, the
   * column, the reason). An empty page when the run had none.
   */
  @GetMapping("/api/runs/{id}/dirty")
  public Page<Map<String, Object>> dirty(
      @PathVariable long id,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    Path file = runs.dirtyFile(id).filter(Files::isRegularFile).orElse(null);
    Page.check(page, size);
    if (file == null) {
      return new Page<>(List.of(), 0, page, size);
    }
    try (Stream<String> lines = Files.lines(file);
        Stream<String> count = Files.lines(file)) {
      List<Map<String, Object>> items = new ArrayList<>();
      for (String line : (Iterable<String>) lines.skip((long) page * size).limit(size)::iterator) {
        items.add(JSON.readValue(line, OBJECT));
      }
      return new Page<>(items, count.count(), page, size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The run's dirty rows, as the JSON Lines file the engine wrote. */
  @GetMapping("/api/runs/{id}/dirty/download")
  public ResponseEntity<Resource> downloadDirty(@PathVariable long id) {
    Path file = runs.dirtyFile(id).orElse(null);
    if (file == null || !Files.isRegularFile(file)) {
      throw DomainException.notFound("dirty-row file for run", id);
    }
    try {
      return ResponseEntity.ok()
          .header(
              HttpHeaders.CONTENT_DISPOSITION,
              "attachment; filename=\"run-" + id + "-dirty.jsonl\"")
          .contentType(MediaType.parseMediaType("application/x-ndjson"))
          .contentLength(Files.size(file))
          .body(new FileSystemResource(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
