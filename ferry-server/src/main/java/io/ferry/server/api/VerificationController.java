package io.ferry.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.server.runs.Verifications;
import io.ferry.server.security.UserStore;
import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.Page;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Verifications: Verify a task or a run (content, tracked until it ends), their results, and a
 * task's verification schedule. The differences' source and target values are row data: only users
 * who may read rows see them; others see the keys and the differing columns' names.
 */
@RestController
public class VerificationController {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Verifications verifications;

  public VerificationController(Verifications verifications) {
    this.verifications = verifications;
  }

  /** Whether the caller may see row values ({@link UserStore#READ_ROWS}). */
  static boolean readsRows() {
    Authentication a = SecurityContextHolder.getContext().getAuthentication();
    return a != null
        && a.getAuthorities().stream().anyMatch(g -> UserStore.READ_ROWS.equals(g.getAuthority()));
  }

  static Verifications.View shown(Verifications.View v) {
    return v == null || readsRows() ? v : v.withoutValues();
  }

  @PostMapping("/api/tasks/{taskId}/verify")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public Verifications.View verifyTask(@PathVariable long taskId) {
    return shown(verifications.verifyTask(taskId));
  }

  @PostMapping("/api/runs/{id}/verify")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public Verifications.View verifyRun(@PathVariable long id) {
    return shown(verifications.verifyRun(id));
  }

  @GetMapping("/api/verifications/{id}")
  public Verifications.View get(@PathVariable long id) {
    return shown(verifications.get(id));
  }

  @GetMapping("/api/verifications")
  public Page<Verifications.View> list(
      @RequestParam(required = false) Long taskId,
      @RequestParam(required = false) Long runId,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    Page<Verifications.View> p = verifications.list(taskId, runId, page, size);
    return new Page<>(
        p.items().stream().map(VerificationController::shown).toList(),
        p.total(),
        p.page(),
        p.size());
  }

  /**
   * Every difference a verification found, as JSON Lines (one {@code kind}, {@code key}, {@code
   * columns} object per row); without the source and target values for users who may not read rows.
   * Empty when it found none.
   */
  @GetMapping("/api/verifications/{id}/report")
  public void report(@PathVariable long id, HttpServletResponse response) throws IOException {
    // Written here, in the request's thread (an asynchronous body would be dispatched again, past
    // the caller's authentication).
    Optional<Path> file = verifications.reportFile(id);
    boolean values = readsRows();
    response.setContentType("application/x-ndjson");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"verification-" + id + ".jsonl\"");
    if (file.isEmpty()) {
      return;
    }
    OutputStream out = response.getOutputStream();
    try (BufferedReader in = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        out.write((values ? line : withoutValues(line)).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    }
    out.flush();
  }

  /** A report line with each differing column's name only. */
  private static String withoutValues(String line) throws IOException {
    JsonNode d = JSON.readTree(line);
    if (d instanceof ObjectNode o && o.get("columns") instanceof ArrayNode columns) {
      ArrayNode names = JSON.createArrayNode();
      for (JsonNode c : columns) {
        names.add(JSON.createObjectNode().set("column", c.get("column")));
      }
      o.set("columns", names);
    }
    return JSON.writeValueAsString(d);
  }

  @GetMapping("/api/tasks/{taskId}/verify-schedule")
  public Verifications.Schedule schedule(@PathVariable long taskId) {
    return verifications
        .schedule(taskId)
        .orElseThrow(() -> DomainException.notFound("verification schedule of task", taskId));
  }

  @PutMapping("/api/tasks/{taskId}/verify-schedule")
  public Verifications.Schedule setSchedule(
      @PathVariable long taskId, @RequestBody Verifications.Schedule request) {
    return verifications.setSchedule(taskId, request);
  }

  @DeleteMapping("/api/tasks/{taskId}/verify-schedule")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void removeSchedule(@PathVariable long taskId) {
    verifications.removeSchedule(taskId);
  }
}
