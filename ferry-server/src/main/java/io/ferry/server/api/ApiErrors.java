package io.ferry.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ferry.engine.JobSpecException;
import io.ferry.server.security.LoginThrottle;
import io.ferry.server.security.ThrottledLoginResponse;
import io.ferry.server.shared.DomainException;
import io.ferry.spi.ErrorCategory;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.InvalidOptionsException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every refusal as one JSON shape: {@code status}, {@code error}, {@code message} and, for bad
 * input, {@code problems} naming each field. This is where a service's {@link DomainException} gets
 * its HTTP status; services themselves never name one.
 */
@RestControllerAdvice
public class ApiErrors implements ThrottledLoginResponse {
  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Map<String, Object>> api(ApiException e) {
    return body(e.status(), e.getMessage(), List.of());
  }

  /** What a service refused, by kind. */
  @ExceptionHandler(DomainException.class)
  ResponseEntity<Map<String, Object>> domain(DomainException e) {
    return body(status(e), e.getMessage(), e.problems());
  }

  /** The HTTP status of each kind of domain refusal. */
  static HttpStatus status(DomainException e) {
    if (e instanceof DomainException.NotFound) {
      return HttpStatus.NOT_FOUND;
    } else if (e instanceof DomainException.Conflict) {
      return HttpStatus.CONFLICT;
    } else if (e instanceof DomainException.Invalid) {
      return HttpStatus.BAD_REQUEST;
    } else if (e instanceof DomainException.Unavailable) {
      return HttpStatus.SERVICE_UNAVAILABLE;
    }
    throw new IllegalStateException("unmapped " + e.getClass().getName(), e);
  }

  @ExceptionHandler(JobSpecException.class)
  ResponseEntity<Map<String, Object>> jobSpec(JobSpecException e) {
    return body(
        HttpStatus.BAD_REQUEST,
        "the job is invalid",
        e.problems().stream()
            .map(p -> new DomainException.FieldProblem(p.path(), p.message()))
            .toList());
  }

  @ExceptionHandler(InvalidOptionsException.class)
  ResponseEntity<Map<String, Object>> options(InvalidOptionsException e) {
    return body(
        HttpStatus.BAD_REQUEST,
        "invalid options",
        e.problems().stream()
            .map(p -> new DomainException.FieldProblem("options." + p.option(), p.message()))
            .toList());
  }

  @ExceptionHandler(FerryException.class)
  ResponseEntity<Map<String, Object>> ferry(FerryException e) {
    HttpStatus status =
        e.code().equals(ErrorCode.NOT_FOUND)
            ? HttpStatus.NOT_FOUND
            : e.category() == ErrorCategory.USER
                ? HttpStatus.BAD_REQUEST
                : e.category() == ErrorCategory.EXTERNAL
                    ? HttpStatus.BAD_GATEWAY
                    : HttpStatus.INTERNAL_SERVER_ERROR;
    if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
      log.error("Request failed", e);
    }
    return body(status, e.getMessage(), List.of());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
    return body(HttpStatus.BAD_REQUEST, "the request body is not valid JSON for it", List.of());
  }

  @ExceptionHandler(LoginThrottle.Throttled.class)
  ResponseEntity<Map<String, Object>> throttled(LoginThrottle.Throttled e) {
    return tooManyLogins(e);
  }

  /** 429 with Retry-After: a login refused by the {@link LoginThrottle}. */
  static ResponseEntity<Map<String, Object>> tooManyLogins(LoginThrottle.Throttled e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()))
        .body(body(HttpStatus.TOO_MANY_REQUESTS, e.getMessage(), List.of()).getBody());
  }

  /** The 429 of a login throttled in the security filters, where no controller runs. */
  @Override
  public void write(HttpServletResponse response, LoginThrottle.Throttled refusal)
      throws IOException {
    write(response, tooManyLogins(refusal));
  }

  /** Writes a refusal where no controller runs (the security filters). */
  private static void write(
      HttpServletResponse response, ResponseEntity<Map<String, Object>> refusal)
      throws IOException {
    response.setStatus(refusal.getStatusCode().value());
    refusal
        .getHeaders()
        .forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getOutputStream(), refusal.getBody());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Map<String, Object>> mismatch(MethodArgumentTypeMismatchException e) {
    return body(
        HttpStatus.BAD_REQUEST,
        e.getName() + ": '" + e.getValue() + "' is not valid",
        List.of(new DomainException.FieldProblem(e.getName(), "not a valid value")));
  }

  static ResponseEntity<Map<String, Object>> body(
      HttpStatus status, String message, List<DomainException.FieldProblem> problems) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("timestamp", Instant.now().toString());
    body.put("status", status.value());
    body.put("error", status.getReasonPhrase());
    body.put("message", message);
    if (!problems.isEmpty()) {
      body.put("problems", problems);
    }
    return ResponseEntity.status(status).body(body);
  }
}
