package io.ferry.server.security;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Answers a login that the {@link LoginThrottle} refused inside the security filters, where no
 * controller runs. The API layer provides it, so that the refusal has the same shape as every other
 * error of the API; security itself does not know that shape.
 */
@FunctionalInterface
public interface ThrottledLoginResponse {
  void write(HttpServletResponse response, LoginThrottle.Throttled refusal) throws IOException;
}
