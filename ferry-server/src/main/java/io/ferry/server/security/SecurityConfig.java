package io.ferry.server.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Who may call what. Everything needs a login except the health probe and the login endpoint: HTTP
 * Basic on each request, or a session cookie from {@code POST /api/auth/login} (SameSite strict,
 * which is what stands in for CSRF tokens) whose user is checked again on every request ({@link
 * SessionContexts}). Password checks are throttled ({@link LoginThrottle}). Viewers read, but row
 * data (dirty rows) only when granted; operators also create, change and run; admins also manage
 * users. Every response carries a Content-Security-Policy that allows the page's own scripts only.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfig {

  @Bean
  PasswordEncoder passwordEncoder() {
    return new BCryptPasswordEncoder();
  }

  /**
   * The web UI's needs: its own scripts, styles (Ant Design inserts style elements, hence inline
   * styles), data: images and fonts, and requests and the WebSocket to this server only.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; font-src 'self' data:; connect-src 'self';"
          + " object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  @Bean
  SessionContexts securityContextRepository(UserStore users) {
    return new SessionContexts(users);
  }

  @Bean
  AuthenticationManager authenticationManager(
      UserStore users, PasswordEncoder encoder, LoginThrottle throttle, AuditLog audit) {
    DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
    provider.setPasswordEncoder(encoder);
    return throttle.guard(new ProviderManager(provider), audit::loginFailed);
  }

  /**
   * 429 with Retry-After for a throttled login; otherwise 401, with Basic's challenge except to the
   * web UI's requests (X-Requested-With), for which a browser would open its own login dialog.
   */
  private static AuthenticationEntryPoint entryPoint(ThrottledLoginResponse throttled) {
    BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
    basic.setRealmName("Realm");
    AuthenticationEntryPoint plain = new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
    return (request, response, e) -> {
      if (e instanceof LoginThrottle.Throttled t) {
        throttled.write(response, t);
      } else if ("XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
        plain.commence(request, response, e);
      } else {
        basic.commence(request, response, e);
      }
    };
  }

  @Bean
  SecurityFilterChain api(
      HttpSecurity http,
      AuthenticationManager authenticationManager,
      SecurityContextRepository contexts,
      ThrottledLoginResponse throttled)
      throws Exception {
    String operate = "OPERATOR";
    String admin = "ADMIN";
    http.authenticationManager(authenticationManager)
        .securityContext(c -> c.securityContextRepository(contexts))
        .csrf(c -> c.disable())
        .httpBasic(b -> b.authenticationEntryPoint(entryPoint(throttled)))
        .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY)))
        .formLogin(f -> f.disable())
        .logout(
            l ->
                l.logoutUrl("/api/auth/logout")
                    .logoutSuccessHandler(
                        new HttpStatusReturningLogoutSuccessHandler(HttpStatus.NO_CONTENT)))
        .authorizeHttpRequests(
            a ->
                a.requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, "/api/auth/login")
                    .permitAll()
                    // The web UI's static files (ferry-web): the page itself logs in via the API.
                    .requestMatchers(
                        HttpMethod.GET, "/", "/index.html", "/favicon.svg", "/assets/**")
                    .permitAll()
                    .requestMatchers("/error")
                    .permitAll()
                    .requestMatchers("/api/users", "/api/users/**", "/api/audit")
                    .hasRole(admin)
                    // Dirty rows are whole rows of the source: row data.
                    .requestMatchers(HttpMethod.GET, "/api/runs/*/dirty", "/api/runs/*/dirty/**")
                    .hasAuthority(UserStore.READ_ROWS)
                    // Alert channels post to URLs and mail boxes the server reaches: admins only.
                    .requestMatchers(
                        HttpMethod.GET, "/api/alert-channels", "/api/alert-channels/**")
                    .authenticated()
                    .requestMatchers("/api/alert-channels", "/api/alert-channels/**")
                    .hasRole(admin)
                    // Resource groups: admins shape them; operators test a group's connectivity.
                    .requestMatchers(HttpMethod.POST, "/api/resource-groups/*/connectivity")
                    .hasAnyRole(admin, operate)
                    .requestMatchers(
                        HttpMethod.GET, "/api/resource-groups", "/api/resource-groups/**")
                    .authenticated()
                    .requestMatchers("/api/resource-groups", "/api/resource-groups/**")
                    .hasRole(admin)
                    // Each user marks their own notices read.
                    .requestMatchers(HttpMethod.POST, "/api/notices/**")
                    .authenticated()
                    .requestMatchers(HttpMethod.GET, "/api/**")
                    .authenticated()
                    .requestMatchers("/api/**")
                    .hasAnyRole(admin, operate)
                    .anyRequest()
                    .authenticated());
    return http.build();
  }
}
