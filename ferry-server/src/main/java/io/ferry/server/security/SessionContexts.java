package io.ferry.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Session logins, checked against the user store on every request. The session keeps the user's
 * {@linkplain UserStore#credentialStamp credential stamp} from the login; a request whose user is
 * gone, or has a new password since, ends the session and goes on without a login (401). Otherwise
 * the request gets the user's roles as they are now, so a demotion holds from the next request on.
 * This works across nodes too: each reads the shared metadata store. (HTTP Basic is checked on
 * every request anyway.)
 */
public final class SessionContexts implements SecurityContextRepository {
  private static final String STAMP = SessionContexts.class.getName() + ".stamp";

  private final HttpSessionSecurityContextRepository sessions =
      new HttpSessionSecurityContextRepository();
  private final UserStore users;

  SessionContexts(UserStore users) {
    this.users = users;
  }

  @Override
  public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
    DeferredSecurityContext stored = sessions.loadDeferredContext(request);
    return new DeferredSecurityContext() {
      private SecurityContext checked;

      @Override
      public SecurityContext get() {
        if (checked == null) {
          checked = check(request, stored.get());
        }
        return checked;
      }

      @Override
      public boolean isGenerated() {
        return stored.isGenerated();
      }
    };
  }

  @Override
  @SuppressWarnings("deprecation")
  public SecurityContext loadContext(HttpRequestResponseHolder holder) {
    return loadDeferredContext(holder.getRequest()).get();
  }

  /** Saves a login into the session, with the user's credential stamp as it is now. */
  @Override
  public void saveContext(
      SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
    sessions.saveContext(context, request, response);
    Authentication auth = context.getAuthentication();
    if (auth != null && auth.isAuthenticated()) {
      users
          .account(auth.getName())
          .ifPresent(u -> request.getSession().setAttribute(STAMP, UserStore.credentialStamp(u)));
    }
  }

  /**
   * Renews the session's stamp after its own user changed its own password: that session goes on,
   * the user's other sessions end.
   */
  public void renew(HttpServletRequest request, String username) {
    HttpSession session = request.getSession(false);
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (session != null
        && session.getAttribute(STAMP) != null
        && auth != null
        && auth.getName().equals(username)) {
      users
          .account(username)
          .ifPresent(u -> session.setAttribute(STAMP, UserStore.credentialStamp(u)));
    }
  }

  @Override
  public boolean containsContext(HttpServletRequest request) {
    return sessions.containsContext(request);
  }

  private SecurityContext check(HttpServletRequest request, SecurityContext context) {
    Authentication auth = context.getAuthentication();
    if (auth == null) {
      return context;
    }
    HttpSession session = request.getSession(false);
    Object stamp = session == null ? null : session.getAttribute(STAMP);
    Optional<UserDetails> now = users.account(auth.getName());
    if (now.isEmpty() || !(stamp instanceof String s) || !sameStamp(s, now.get())) {
      if (session != null) {
        session.invalidate();
      }
      return SecurityContextHolder.createEmptyContext();
    }
    SecurityContext fresh = SecurityContextHolder.createEmptyContext();
    fresh.setAuthentication(
        UsernamePasswordAuthenticationToken.authenticated(
            now.get().getUsername(), null, now.get().getAuthorities()));
    return fresh;
  }

  private static boolean sameStamp(String stamp, UserDetails user) {
    return MessageDigest.isEqual(
        stamp.getBytes(StandardCharsets.US_ASCII),
        UserStore.credentialStamp(user).getBytes(StandardCharsets.US_ASCII));
  }
}
