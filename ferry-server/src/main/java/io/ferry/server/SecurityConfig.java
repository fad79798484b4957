package io.ferry.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Who may call what. Everything needs a login except the health probe and the login endpoint: HTTP
 * Basic on each request, or a session cookie from {@code POST /api/auth/login} (SameSite strict,
 * which is what stands in for CSRF tokens). Viewers read; operators also create, change and run;
 * admins also manage users.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfig {

  @Bean
  PasswordEncoder passwordEncoder() {
    return new BCryptPasswordEncoder();
  }

  @Bean
  SecurityContextRepository securityContextRepository() {
    return new HttpSessionSecurityContextRepository();
  }

  @Bean
  AuthenticationManager authenticationManager(UserStore users, PasswordEncoder encoder) {
    DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
    provider.setPasswordEncoder(encoder);
    return new ProviderManager(provider);
  }

  @Bean
  SecurityFilterChain api(
      HttpSecurity http,
      AuthenticationManager authenticationManager,
      SecurityContextRepository contexts)
      throws Exception {
    String operate = "OPERATOR";
    String admin = "ADMIN";
    http.authenticationManager(authenticationManager)
        .securityContext(c -> c.securityContextRepository(contexts))
        .csrf(c -> c.disable())
        .httpBasic(Customizer.withDefaults())
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
                    .requestMatchers(HttpMethod.GET, "/api/**")
                    .authenticated()
                    .requestMatchers("/api/**")
                    .hasAnyRole(admin, operate)
                    .anyRequest()
                    .authenticated());
    return http.build();
  }
}
