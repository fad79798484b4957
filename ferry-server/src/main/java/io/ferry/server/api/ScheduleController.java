package io.ferry.server.api;

import io.ferry.server.schedule.InstanceService;
import io.ferry.server.schedule.ScheduleService;
import io.ferry.server.schedule.model.Schedule;
import io.ferry.server.security.AuditLog;
import io.ferry.server.shared.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Schedules, online/offline, and instances: list, run by hand, rerun, stop, backfill. */
@RestController
public class ScheduleController {
  private final ScheduleService schedules;
  private final InstanceService instances;

  public ScheduleController(ScheduleService schedules, InstanceService instances) {
    this.schedules = schedules;
    this.instances = instances;
  }

  @GetMapping("/api/tasks/{id}/schedule")
  public ScheduleService.View schedule(@PathVariable long id) {
    return schedules.get(id);
  }

  @PutMapping("/api/tasks/{id}/schedule")
  public ScheduleService.View setSchedule(@PathVariable long id, @RequestBody Schedule schedule) {
    return schedules.put(id, schedule);
  }

  @DeleteMapping("/api/tasks/{id}/schedule")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void deleteSchedule(@PathVariable long id) {
    schedules.delete(id);
  }

  /** The cron expression, description, timeout and next fire times of a schedule being edited. */
  @PostMapping("/api/schedules/preview")
  public ScheduleService.Preview preview(@RequestBody Schedule schedule) {
    return schedules.preview(schedule);
  }

  @PostMapping("/api/tasks/{id}/online")
  public ScheduleService.View online(@PathVariable long id) {
    return schedules.online(id);
  }

  @PostMapping("/api/tasks/{id}/offline")
  public ScheduleService.View offline(@PathVariable long id) {
    return schedules.offline(id, "by " + AuditLog.currentUser());
  }

  @PostMapping("/api/tasks/batch-online")
  public List<ScheduleService.View> batchOnline(@RequestBody TaskController.Ids ids) {
    return schedules.onlineAll(TaskController.required(ids));
  }

  @PostMapping("/api/tasks/batch-offline")
  public List<ScheduleService.View> batchOffline(@RequestBody TaskController.Ids ids) {
    return schedules.offlineAll(
        TaskController.required(ids), "by " + AuditLog.currentUser() + " (batch)");
  }

  @GetMapping("/api/instances")
  public Page<InstanceService.View> list(
      @RequestParam(required = false) Long taskId,
      @RequestParam(required = false) String state,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          Instant from,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          Instant to,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return instances.list(taskId, state, from, to, page, size);
  }

  @GetMapping("/api/tasks/{id}/instances")
  public Page<InstanceService.View> ofTask(
      @PathVariable long id,
      @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    schedules.get(id); // 404 for an unknown task
    return instances.list(id, state, null, null, page, size);
  }

  /** An instance planned now, outside the schedule (refused outside its effective range). */
  @PostMapping("/api/tasks/{id}/instances")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public InstanceService.View runNow(@PathVariable long id) {
    return instances.runNow(id);
  }

  @GetMapping("/api/instances/{id}")
  public InstanceService.View get(@PathVariable long id) {
    return instances.get(id);
  }

  @PostMapping("/api/instances/{id}/rerun")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public InstanceService.View rerun(@PathVariable long id) {
    return instances.rerun(id);
  }

  @PostMapping("/api/instances/{id}/stop")
  public InstanceService.View stop(@PathVariable long id) {
    return instances.stop(id);
  }

  /** Dates are days in the schedule's zone, both included. */
  public record Backfill(
      @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
      @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {}

  @PostMapping("/api/tasks/{id}/backfill")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public List<InstanceService.View> backfill(
      @PathVariable long id, @RequestBody Backfill backfill) {
    return instances.backfill(id, backfill.from(), backfill.to());
  }
}
