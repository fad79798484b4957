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

/** Without FERRY_ADMIN_PASSWORD, the first start makes an admin password and prints it once. */
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
}
