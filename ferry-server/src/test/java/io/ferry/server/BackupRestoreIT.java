package io.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backup procedure and the key rotation of docs/operations.md, tried: the metadata database and
 * {@code secret.key} copied from a stopped server into a fresh data directory make a server that
 * has the data source and can still use its stored password; the database without its key keeps the
 * data source but not the secret, and says so without showing it.
 */
class BackupRestoreIT {
  private final String user = "ferry_bk_" + UUID.randomUUID().toString().substring(0, 8);
  private final String password = "bk-" + UUID.randomUUID();

  @BeforeEach
  void createUser() throws SQLException {
    try (Connection c = TestDatabases.mariadb("");
        Statement s = c.createStatement()) {
      s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'");
    }
  }

  @AfterEach
  void dropUser() throws SQLException {
    try (Connection c = TestDatabases.mariadb("");
        Statement s = c.createStatement()) {
      s.execute("DROP USER IF EXISTS '" + user + "'@'%'");
    }
  }

  @Test
  void aRestoredBackupWithItsKeyStillUsesTheStoredPassword() throws IOException {
    Path original = Path.of("target", "backup-" + UUID.randomUUID());
    long id;
    try (TestServer server = new TestServer(original)) {
      Map<String, Object> options =
          Map.of("url", TestDatabases.MARIADB, "user", user, "password", password);
      TestServer.Reply created =
          server.post(
              "/api/datasources",
              Map.of("alias", "kept", "connector", "mysql", "options", options));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      id = created.json().get("id").asLong();
      assertThat(test(server, id).get("ok").asBoolean()).as("works before the backup").isTrue();
    }

    // The backup: with the server stopped, its metadata database and its key.
    Path restored = Path.of("target", "restored-" + UUID.randomUUID());
    copyTree(original.resolve("metadata"), restored.resolve("metadata"));
    Files.copy(original.resolve("secret.key"), restored.resolve("secret.key"));
    try (TestServer server = new TestServer(restored)) {
      assertThat(server.get("/api/datasources/" + id).json().get("alias").asText())
          .isEqualTo("kept");
      JsonNode result = test(server, id);
      assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
    }

    // The database alone: a new key is made, and the stored password cannot be read with it.
    Path withoutKey = Path.of("target", "restored-nokey-" + UUID.randomUUID());
    copyTree(original.resolve("metadata"), withoutKey.resolve("metadata"));
    try (TestServer server = new TestServer(withoutKey)) {
      TestServer.Reply reply = server.post("/api/datasources/" + id + "/test", null);
      assertThat(reply.toString()).contains("cannot be decrypted").doesNotContain(password);
    }
  }

  @Test
  void aKeyRotationSealsStoredSecretsAgainWithTheNewKey() {
    Path dir = Path.of("target", "rotation-" + UUID.randomUUID());
    String oldKey = key(1);
    String newKey = key(2);
    long id;
    try (TestServer server = new TestServer(dir, "--ferry.secret.key=" + oldKey)) {
      Map<String, Object> options =
          Map.of("url", TestDatabases.MARIADB, "user", user, "password", password);
      TestServer.Reply created =
          server.post(
              "/api/datasources",
              Map.of("alias", "rotated", "connector", "mysql", "options", options));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      id = created.json().get("id").asLong();
    }
    try (TestServer server =
        new TestServer(
            dir, "--ferry.secret.key=" + newKey, "--ferry.secret.previous-key=" + oldKey)) {
      assertThat(test(server, id).get("ok").asBoolean()).isTrue();
    }
    // The old key is gone: what it sealed was sealed again with the new one at the start above.
    try (TestServer server = new TestServer(dir, "--ferry.secret.key=" + newKey)) {
      JsonNode result = test(server, id);
      assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
    }
  }

  private static String key(int seed) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) seed);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  private static JsonNode test(TestServer server, long id) {
    return server.post("/api/datasources/" + id + "/test", null).json();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
