package io.ferry.server.api;

import org.springframework.http.HttpStatus;

/**
 * A refusal that only the HTTP layer has a reason for (a login that failed). What a service refuses
 * is a {@link io.ferry.server.shared.DomainException}, mapped to HTTP by {@link ApiErrors}.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final HttpStatus status;

  public ApiException(HttpStatus status, String message) {
    super(message);
    this.status = status;
  }

  public HttpStatus status() {
    return status;
  }
}
