package io.ferry.server.api;

import io.ferry.server.runs.ProgressSocket;
import io.ferry.server.security.AuditLog;
import io.ferry.server.security.LoginThrottle;
import io.ferry.server.security.SessionContexts;
import io.ferry.server.security.UserStore;
import io.ferry.server.shared.Page;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Login, the current user, user management (admins) and the audit log (admins). */
@RestController
public class AuthController {
  private final AuthenticationManager authenticationManager;
  private final SessionContexts contexts;
  private final UserStore users;
  private final AuditLog audit;
  private final ProgressSocket sockets;

  public AuthController(
      AuthenticationManager authenticationManager,
      SessionContexts contexts,
      UserStore users,
      AuditLog audit,
      ProgressSocket sockets) {
    this.authenticationManager = authenticationManager;
    this.contexts = contexts;
    this.users = users;
    this.audit = audit;
    this.sockets = sockets;
  }

  public record Login(String username, String password) {}

  /**
   * @param readRows whether the user may read row data (dirty rows)
   */
  public record Me(String username, List<String> roles, boolean readRows) {}

  public record NewUser(String username, String password, String role, Boolean readRows) {}

  /** What to change; null leaves it as it is. */
  public record UserChange(String password, String role, Boolean readRows) {}

  /**
   * Starts a session (cookie) for browsers and WebSocket clients that cannot send Basic auth. Too
   * many wrong passwords: 429 with Retry-After ({@link LoginThrottle}).
   */
  @PostMapping("/api/auth/login")
  public Me login(
      @RequestBody Login login, HttpServletRequest request, HttpServletResponse response) {
    Authentication auth;
    try {
      UsernamePasswordAuthenticationToken attempt =
          UsernamePasswordAuthenticationToken.unauthenticated(login.username(), login.password());
      attempt.setDetails(new WebAuthenticationDetails(request));
      auth = authenticationManager.authenticate(attempt);
    } catch (LoginThrottle.Throttled e) {
      throw e;
    } catch (AuthenticationException e) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, "wrong user name or password");
    }
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(auth);
    SecurityContextHolder.setContext(context);
    if (request.getSession(false) != null) {
      request.changeSessionId(); // a fresh id after login: no session fixation
    }
    contexts.saveContext(context, request, response);
    return me(auth);
  }

  @GetMapping("/api/auth/me")
  public Me me(Authentication auth) {
    List<String> authorities =
        auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
    return new Me(
        auth.getName(),
        authorities.stream()
            .filter(a -> a.startsWith("ROLE_"))
            .map(a -> a.substring("ROLE_".length()).toLowerCase(java.util.Locale.ROOT))
            .toList(),
        authorities.contains(UserStore.READ_ROWS));
  }

  @GetMapping("/api/users")
  public Page<UserStore.UserView> users(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
    return users.list(page, size);
  }

  @PostMapping("/api/users")
  @ResponseStatus(HttpStatus.CREATED)
  public UserStore.UserView create(@RequestBody NewUser user) {
    UserStore.UserView created =
        users.create(user.username(), user.password(), user.role(), user.readRows());
    audit.record(
        "create",
        "user",
        created.username(),
        "role " + created.role() + (created.readRows() ? "; reads rows" : ""));
    return created;
  }

  /**
   * Changes a user. The user's sessions see a new role or grant on their next request; a new
   * password ends them all, except the session that changed its own password.
   */
  @PutMapping("/api/users/{username}")
  public UserStore.UserView update(
      @PathVariable String username, @RequestBody UserChange change, HttpServletRequest request) {
    users.update(username, change.password(), change.role(), change.readRows());
    if (change.password() != null) {
      contexts.renew(request, username);
      sockets.closeSessionsOf(username);
    }
    audit.record(
        "edit",
        "user",
        username,
        (change.password() != null ? "password changed; " : "")
            + (change.role() != null ? "role " + change.role() + "; " : "")
            + (change.readRows() != null ? "reads rows: " + change.readRows() : ""));
    return users.find(username).orElseThrow();
  }

  /** Deletes a user; its sessions end with their next request, its WebSockets here at once. */
  @DeleteMapping("/api/users/{username}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(@PathVariable String username) {
    users.delete(username);
    sockets.closeSessionsOf(username);
    audit.record("delete", "user", username, null);
  }

  @GetMapping("/api/audit")
  public Page<AuditLog.Entry> audit(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    return audit.recent(page, size);
  }
}
