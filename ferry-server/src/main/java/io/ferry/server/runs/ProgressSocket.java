package io.ferry.server.runs;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * Live progress over a plain WebSocket at {@code /ws/progress} (optionally {@code ?runId=N} for one
 * run). The handshake is an HTTP request like any other, so it needs a login (Basic or the session
 * cookie). Messages are JSON: {@code {"type":"progress", ...}} per run at least once a second while
 * it executes and at each state change, and {@code {"type":"server", ...}} with the server's CPU,
 * heap and thread figures every second.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class ProgressSocket extends TextWebSocketHandler implements WebSocketConfigurer {
  private static final Logger log = LoggerFactory.getLogger(ProgressSocket.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, Subscriber> sessions = new ConcurrentHashMap<>();
  private volatile java.util.function.Supplier<Map<String, Object>> runFigures = Map::of;

  private record Subscriber(WebSocketSession session, Long runId) {}

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(this, "/ws/progress");
  }

  /** What the server message adds about runs (active, queued). */
  void runFigures(java.util.function.Supplier<Map<String, Object>> figures) {
    this.runFigures = figures;
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) {
    String runId =
        session.getUri() == null
            ? null
            : UriComponentsBuilder.fromUri(session.getUri())
                .build()
                .getQueryParams()
                .getFirst("runId");
    Long filter = null;
    if (runId != null) {
      try {
        filter = Long.parseLong(runId);
      } catch (NumberFormatException e) {
        try {
          session.close(CloseStatus.BAD_DATA.withReason("runId must be a number"));
        } catch (IOException ignored) {
          // closing anyway
        }
        return;
      }
    }
    sessions.put(
        session.getId(),
        new Subscriber(new ConcurrentWebSocketSessionDecorator(session, 5_000, 1 << 20), filter));
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    sessions.remove(session.getId());
  }

  /** Closes the WebSockets this node holds for {@code username}: the user is gone or logged out. */
  public void closeSessionsOf(String username) {
    for (Subscriber s : sessions.values()) {
      java.security.Principal who = s.session().getPrincipal();
      if (who != null && who.getName().equals(username)) {
        sessions.remove(s.session().getId());
        try {
          s.session().close(CloseStatus.POLICY_VIOLATION.withReason("the login ended"));
        } catch (IOException e) {
          log.debug("Closing a WebSocket session: {}", e.toString());
        }
      }
    }
  }

  /** Sends one run's progress to the sessions that follow it. */
  void publishRun(long runId, Map<String, Object> message) {
    send(runId, message);
  }

  /** Sends a message that concerns no single run (an instance's state) to every session. */
  public void publishAll(Map<String, Object> message) {
    send(null, message);
  }

  @Scheduled(fixedRate = 1000)
  void publishServer() {
    if (sessions.isEmpty()) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "server");
    m.put("time", java.time.Instant.now().toString());
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      m.put("processCpuLoad", sun.getProcessCpuLoad());
      m.put("systemCpuLoad", sun.getCpuLoad());
    }
    m.put("availableProcessors", os.getAvailableProcessors());
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    m.put("heapUsed", heap.getUsed());
    m.put("heapMax", heap.getMax());
    m.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
    m.putAll(runFigures.get());
    send(null, m);
  }

  private void send(Long runId, Map<String, Object> message) {
    if (sessions.isEmpty()) {
      return;
    }
    TextMessage text = new TextMessage(JSON.writeValueAsString(message));
    for (Subscriber s : sessions.values()) {
      if (runId != null && s.runId() != null && !s.runId().equals(runId)) {
        continue;
      }
      if (runId == null && s.runId() != null && !"server".equals(message.get("type"))) {
        continue;
      }
      try {
        if (s.session().isOpen()) {
          s.session().sendMessage(text);
        }
      } catch (IOException | RuntimeException e) {
        log.debug("Dropping a WebSocket session: {}", e.toString());
        sessions.remove(s.session().getId());
      }
    }
  }
}
