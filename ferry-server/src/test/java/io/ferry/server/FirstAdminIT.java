package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Without FERRY_ADMIN_PASSWORD, the first start makes an admin password and prints it once; a start
 * with ferry.admin.reset-password gives a lost, demoted or deleted admin a new one.
 */
class FirstAdminIT {
  @Test
  void theGeneratedPasswordIsPrintedOnceAndWorks() {
    Path dir = Path.of("target", "first-admin-" + UUID.randomUUID());
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    TestServer server;
    String first;
    String second;
    try {
      server = new TestServer(false, dir);
      first = captured.toString(StandardCharsets.UTF_8);
      captured.reset();
      server.restart();
      second = captured.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(original);
    }
    try (server) {
      Matcher m = Pattern.compile("generated password: (\\S+)").matcher(first);
      assertThat(m.find()).as("printed at the first start").isTrue();
      String password = m.group(1);
      assertThat(second).doesNotContain("generated password").doesNotContain(password);
      assertThat(server.call("GET", "/api/auth/me", null, "admin", password).status())
          .isEqualTo(200);
      // stored as a BCrypt hash, never in clear
      String hash =
          server
              .bean(org.springframework.jdbc.core.simple.JdbcClient.class)
              .sql("SELECT password_hash FROM ferry_user WHERE username = 'admin'")
              .query(String.class)
              .single();
      assertThat(hash).startsWith("$2").doesNotContain(password);
    }
  }

  @Test
  void aStartWithResetPasswordGivesADeletedAdminBackAPasswordAndTheRole() {
    Path dir = Path.of("target", "reset-admin-" + UUID.randomUUID());
    try (TestServer server = new TestServer(dir)) {
      // The only admin is renamed away: another admin exists, and 'admin' itself is gone.
      assertThat(
              server
                  .call(
                      "POST",
                      "/api/users",
                      java.util.Map.of(
                          "username", "second", "password", "second-pass", "role", "admin"),
                      "admin",
                      TestServer.ADMIN_PASSWORD)
                  .status())
          .isEqualTo(201);
      assertThat(server.call("DELETE", "/api/users/admin", null, "second", "second-pass").status())
          .isEqualTo(204);
    }
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    TestServer reset;
    try {
      reset = new TestServer(false, dir, "--ferry.admin.reset-password=true");
    } finally {
      System.setOut(original);
    }
    try (reset) {
      Matcher m =
          Pattern.compile("reset the password of user 'admin' to the generated password: (\\S+)")
              .matcher(captured.toString(StandardCharsets.UTF_8));
      assertThat(m.find()).as("the new password is printed").isTrue();
      String password = m.group(1);
      assertThat(reset.call("GET", "/api/users", null, "admin", password).status())
          .as("admin again, with the new password")
          .isEqualTo(200);
      assertThat(
              reset.call("GET", "/api/auth/me", null, "admin", TestServer.ADMIN_PASSWORD).status())
          .isEqualTo(401);
      assertThat(reset.call("GET", "/api/auth/me", null, "second", "second-pass").status())
          .as("other users are untouched")
          .isEqualTo(200);
    }
  }
}
