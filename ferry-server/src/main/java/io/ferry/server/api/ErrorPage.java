package io.ferry.server.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /error}, where the servlet container forwards what no controller answered (a 401 or 403 of
 * the security filters, an unknown path, a failure): the same JSON as {@link ApiErrors}, with the
 * status of the original request. Asked for directly, it is a path like any unknown one: 404. A
 * failure's own message stays in the log, never in the response.
 */
@Hidden // not an endpoint of the API: where errors are rendered
@RestController
public class ErrorPage implements ErrorController {
  @RequestMapping("/error")
  public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status = code instanceof Integer i ? HttpStatus.resolve(i) : null;
    if (status == null) {
      status = HttpStatus.NOT_FOUND;
    }
    Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    String text =
        status.is5xxServerError() || !(message instanceof String m) || m.isBlank()
            ? status.getReasonPhrase()
            : m;
    return ApiErrors.body(status, text, List.of());
  }
}
