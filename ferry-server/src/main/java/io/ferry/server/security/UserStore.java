package io.ferry.server.security;

import io.ferry.server.shared.DomainException;
import io.ferry.server.shared.Page;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The server's users, with BCrypt password hashes. When there is none, the first admin is created
 * at start with the password from {@code ferry.admin.password} (env {@code FERRY_ADMIN_PASSWORD}),
 * or a generated one printed once on the console (never to the log).
 *
 * <p>A lost admin password is reset by starting the server with {@code
 * ferry.admin.reset-password=true} (env {@code FERRY_ADMIN_RESET_PASSWORD}): user {@code admin}
 * gets the password from {@code ferry.admin.password} or a generated one printed once, and the
 * admin role, created if it was deleted. Whoever can start the server with its data directory can
 * read the metadata database anyway, so this opens nothing new; every session of that user ends.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class UserStore implements UserDetailsService, ApplicationRunner {
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  /** What a user may do: viewers read, operators also change and run, admins also manage users. */
  public enum Role {
    ADMIN,
    OPERATOR,
    VIEWER;

    static Role parse(String text) {
      try {
        return Role.valueOf(text.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw DomainException.invalid("role", "must be one of admin, operator, viewer");
      }
    }
  }

  /**
   * @param readRows whether a viewer may read row data (dirty rows); admins and operators always
   *     may
   */
  public record UserView(String username, String role, boolean readRows, Instant createdAt) {}

  /** The authority of reading row data: admins, operators, and viewers granted it. */
  public static final String READ_ROWS = "READ_ROWS";

  private final JdbcClient db;
  private final PasswordEncoder encoder;
  private final Environment environment;
  private final PrintStream console;

  public UserStore(JdbcClient db, PasswordEncoder encoder, Environment environment) {
    this.db = db;
    this.encoder = encoder;
    this.environment = environment;
    this.console = System.out;
  }

  @Override
  public void run(ApplicationArguments args) {
    String password = environment.getProperty("ferry.admin.password");
    boolean generated = password == null || password.isBlank();
    if (generated) {
      password = generatedPassword();
    }
    if (environment.getProperty("ferry.admin.reset-password", Boolean.class, false)) {
      resetAdmin(password, generated);
      return;
    }
    Long count = db.sql("SELECT COUNT(*) FROM ferry_user").query(Long.class).single();
    if (count > 0) {
      return;
    }
    try {
      insert("admin", password, Role.ADMIN);
    } catch (org.springframework.dao.DuplicateKeyException anotherNode) {
      return; // a node starting beside this one on the same store created it first
    }
    if (generated) {
      // Printed once, on the console only: it is not in the log, and not stored in clear.
      console.println();
      console.println("Ferry: created user 'admin' with the generated password: " + password);
      console.println("Ferry: change it, or set FERRY_ADMIN_PASSWORD before the first start.");
      console.println();
    }
  }

  private void resetAdmin(String password, boolean generated) {
    if (!generated) {
      checkPassword(password);
    }
    if (find("admin").isPresent()) {
      db.sql("UPDATE ferry_user SET password_hash = ?, user_role = ? WHERE username = 'admin'")
          .params(encoder.encode(password), Role.ADMIN.name())
          .update();
    } else {
      insert("admin", password, Role.ADMIN);
    }
    console.println();
    console.println(
        generated
            ? "Ferry: reset the password of user 'admin' to the generated password: " + password
            : "Ferry: reset the password of user 'admin' to FERRY_ADMIN_PASSWORD.");
    console.println(
        "Ferry: start the server without ferry.admin.reset-password"
            + " (FERRY_ADMIN_RESET_PASSWORD) from now on.");
    console.println();
  }

  private static String generatedPassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    return account(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
  }

  /** The user as stored now, with the authorities of its role; empty when there is none. */
  Optional<UserDetails> account(String username) {
    return db.sql(
            "SELECT username, password_hash, user_role, read_rows FROM ferry_user"
                + " WHERE username = ?")
        .param(username)
        .query(
            (rs, i) -> {
              Role role = Role.valueOf(rs.getString(3));
              List<String> authorities = new ArrayList<>(List.of("ROLE_" + role.name()));
              if (role != Role.VIEWER || rs.getBoolean(4)) {
                authorities.add(READ_ROWS);
              }
              return User.withUsername(rs.getString(1))
                  .password(rs.getString(2))
                  .authorities(authorities.toArray(String[]::new))
                  .build();
            })
        .optional();
  }

  /**
   * A digest of the user's password hash, which changes with every new password: a session keeps
   * the one of its login and ends when they differ.
   */
  static String credentialStamp(UserDetails user) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(user.getPassword().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  public Page<UserView> list(int page, int size) {
    return Page.query(
        db,
        "username, user_role, read_rows, created_at",
        "ferry_user",
        new Page.Where(),
        "username",
        page,
        size,
        (rs, i) -> userView(rs));
  }

  public Optional<UserView> find(String username) {
    return db.sql(
            "SELECT username, user_role, read_rows, created_at FROM ferry_user WHERE username = ?")
        .param(username)
        .query((rs, i) -> userView(rs))
        .optional();
  }

  private static UserView userView(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new UserView(
        rs.getString(1),
        rs.getString(2).toLowerCase(Locale.ROOT),
        rs.getBoolean(3),
        rs.getTimestamp(4).toInstant());
  }

  public UserView create(String username, String password, String role, Boolean readRows) {
    if (username == null || !username.matches("[A-Za-z0-9_.@-]{1,100}")) {
      throw DomainException.invalid(
          "username", "1 to 100 letters, digits, '_', '.', '@' or '-' expected");
    }
    checkPassword(password);
    Role parsed = Role.parse(role);
    if (find(username).isPresent()) {
      throw DomainException.conflict("user " + username + " exists");
    }
    insert(username, password, parsed);
    if (readRows != null) {
      setReadRows(username, readRows);
    }
    return find(username).orElseThrow();
  }

  /**
   * Changes what is given (null leaves it): the password, the role, the row-data grant. Sessions
   * see the change on their next request.
   */
  public void update(String username, String password, String role, Boolean readRows) {
    find(username).orElseThrow(() -> DomainException.notFound("user", username));
    if (password != null) {
      checkPassword(password);
      db.sql("UPDATE ferry_user SET password_hash = ? WHERE username = ?")
          .params(encoder.encode(password), username)
          .update();
    }
    if (role != null) {
      Role parsed = Role.parse(role);
      if (parsed != Role.ADMIN) {
        keepOneAdmin(username);
      }
      db.sql("UPDATE ferry_user SET user_role = ? WHERE username = ?")
          .params(parsed.name(), username)
          .update();
    }
    if (readRows != null) {
      setReadRows(username, readRows);
    }
  }

  private void setReadRows(String username, boolean readRows) {
    db.sql("UPDATE ferry_user SET read_rows = ? WHERE username = ?")
        .params(readRows, username)
        .update();
  }

  public void delete(String username) {
    find(username).orElseThrow(() -> DomainException.notFound("user", username));
    keepOneAdmin(username);
    db.sql("DELETE FROM ferry_user WHERE username = ?").param(username).update();
  }

  private void keepOneAdmin(String username) {
    long otherAdmins =
        db.sql("SELECT COUNT(*) FROM ferry_user WHERE user_role = 'ADMIN' AND username <> ?")
            .param(username)
            .query(Long.class)
            .single();
    if (otherAdmins == 0 && find(username).map(u -> u.role().equals("admin")).orElse(false)) {
      throw DomainException.conflict("the last admin cannot be removed or demoted");
    }
  }

  private static void checkPassword(String password) {
    if (password == null || password.length() < 8) {
      throw DomainException.invalid("password", "at least 8 characters expected");
    }
    if (password.length() > 72) {
      throw DomainException.invalid("password", "at most 72 characters (BCrypt's limit)");
    }
  }

  private void insert(String username, String password, Role role) {
    db.sql(
            "INSERT INTO ferry_user (username, password_hash, user_role, created_at)"
                + " VALUES (?, ?, ?, ?)")
        .params(username, encoder.encode(password), role.name(), Timestamp.from(Instant.now()))
        .update();
  }
}
