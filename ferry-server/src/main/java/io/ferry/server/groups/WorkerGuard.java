package io.ferry.server.groups;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A worker node ({@code ferry.worker=true}) serves no UI and no API: its HTTP port answers {@code
 * /actuator/health} (for probes and the test harness) and 404 to everything else, before any other
 * filter (the security chain, the WebSocket, the static files) sees the request. People and tools
 * use the API of a server of the default group; the worker reaches only the metadata database.
 */
@Configuration
@ConditionalOnProperty(name = "ferry.worker", havingValue = "true")
public class WorkerGuard {
  static final String HEALTH = "/actuator/health";

  @Bean
  FilterRegistrationBean<OncePerRequestFilter> workerServesOnlyHealth() {
    FilterRegistrationBean<OncePerRequestFilter> registration =
        new FilterRegistrationBean<>(
            new OncePerRequestFilter() {
              @Override
              protected void doFilterInternal(
                  HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                  throws ServletException, IOException {
                String path = request.getRequestURI().substring(request.getContextPath().length());
                if (path.equals(HEALTH) || path.startsWith(HEALTH + "/")) {
                  chain.doFilter(request, response);
                } else {
                  response.setStatus(HttpServletResponse.SC_NOT_FOUND);
                  response.setContentType("text/plain;charset=UTF-8");
                  response
                      .getWriter()
                      .write("a worker node serves no API; use a server of the default group\n");
                }
              }
            });
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/*");
    return registration;
  }
}
