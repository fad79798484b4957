package io.ferry.server;

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
import org.springframework.security.web.context.SecurityContextRepository;
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
  private final SecurityContextRepository contexts;
  private final UserStore users;
  private final AuditLog audit;

  public AuthController(
      AuthenticationManager authenticationManager,
      SecurityContextRepository contexts,
      UserStore users,
      AuditLog audit) {
    this.authenticationManager = authenticationManager;
    this.contexts = contexts;
    this.users = users;
    this.audit = audit;
  }

  public record Login(String username, String password) {}

  public record Me(String username, List<String> roles) {}

  public record NewUser(String username, String password, String role) {}

  public record UserChange(String password, String role) {}

  /** Starts a session (cookie) for browsers and WebSocket clients that cannot send Basic auth. */
  @PostMapping("/api/auth/login")
  public Me login(
      @RequestBody Login login, HttpServletRequest request, HttpServletResponse response) {
    Authentication auth;
    try {
      auth =
          authenticationManager.authenticate(
              UsernamePasswordAuthenticationToken.unauthenticated(
                  login.username(), login.password()));
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
    return new Me(
        auth.getName(),
        auth.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .map(a -> a.replaceFirst("^ROLE_", "").toLowerCase(java.util.Locale.ROOT))
            .toList());
  }

  @GetMapping("/api/users")
  public Page<UserStore.UserView> users(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
    return users.list(page, size);
  }

  @PostMapping("/api/users")
  @ResponseStatus(HttpStatus.CREATED)
  public UserStore.UserView create(@RequestBody NewUser user) {
    UserStore.UserView created = users.create(user.username(), user.password(), user.role());
    audit.record("create", "user", created.username(), "role " + created.role());
    return created;
  }

  @PutMapping("/api/users/{username}")
  public UserStore.UserView update(@PathVariable String username, @RequestBody UserChange change) {
    users.update(username, change.password(), change.role());
    audit.record(
        "edit",
        "user",
        username,
        (change.password() != null ? "password changed; " : "")
            + (change.role() != null ? "role " + change.role() : ""));
    return users.find(username).orElseThrow();
  }

  @DeleteMapping("/api/users/{username}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void delete(@PathVariable String username) {
    users.delete(username);
    audit.record("delete", "user", username, null);
  }

  @GetMapping("/api/audit")
  public Page<AuditLog.Entry> audit(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    return audit.recent(page, size);
  }
}
