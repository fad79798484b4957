package io.ferry.server.schedule.model;

import io.ferry.server.shared.DomainException;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * A script as one run executes it: {@code $[...]} expressions expanded and the {@code ${bizdate}}
 * family of parameters set, both from the run's planned time (now, for a run started by hand).
 */
public record PlannedScript(String script, Map<String, String> params) {
  /**
   * @throws DomainException.Invalid naming {@code script} when it is blank or an expression in it
   *     is not valid
   */
  public static PlannedScript at(String script, ZonedDateTime plannedTime) {
    if (script == null || script.isBlank()) {
      throw DomainException.invalid("script", "required");
    }
    try {
      return new PlannedScript(
          SchedulingParameters.expand(script, plannedTime),
          SchedulingParameters.system(plannedTime));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("script", e.getMessage());
    }
  }
}
