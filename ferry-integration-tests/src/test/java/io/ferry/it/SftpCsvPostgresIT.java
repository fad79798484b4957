package io.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV files over SFTP into PostgreSQL (issue 5): two plain and one gzip CSV file on an SFTP server
 * (Apache MINA SSHD in this JVM on 127.0.0.1, password login, the host key in a known_hosts file,
 * strict checking), read through a wildcard with quoted commas, line breaks, quotes, NULLs, empty
 * strings and non-ASCII text, loaded into a PostgreSQL table and compared value by value with the
 * rows the files were made from.
 */
class SftpCsvPostgresIT {
  private static final int FILES = 3;
  private static final int ROWS_PER_FILE = 2000;

  @Test
  void csvFilesOverSftpArriveInPostgres(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("sftp/exports"));
    List<List<String>> expected = new ArrayList<>();
    for (int f = 0; f < FILES; f++) {
      StringBuilder csv = new StringBuilder("id,name,amount,note\n");
      for (int i = 0; i < ROWS_PER_FILE; i++) {
        long id = (long) f * ROWS_PER_FILE + i;
        String name = "customer " + id;
        String amount = (id % 7 == 0) ? null : String.format("%d.%02d", id % 1000, id % 100);
        String note = id % 5 == 0 ? null : id % 5 == 1 ? "" : "a, \"quoted\"\nline ✓ 订单 " + id;
        expected.add(
            List.of(String.valueOf(id), name, String.valueOf(amount), String.valueOf(note)));
        csv.append(id).append(',').append(name).append(',');
        csv.append(amount == null ? "" : amount).append(',');
        csv.append(note == null ? "" : "\"" + note.replace("\"", "\"\"") + "\"").append('\n');
      }
      byte[] text = csv.toString().getBytes(StandardCharsets.UTF_8);
      if (f == FILES - 1) {
        // The last file is gzip: the extension tells the reader.
        try (OutputStream out =
            new GZIPOutputStream(Files.newOutputStream(root.resolve("orders-" + f + ".csv.gz")))) {
          out.write(text);
        }
      } else {
        Files.write(root.resolve("orders-" + f + ".csv"), text);
      }
    }
    Files.writeString(root.resolve("readme.txt"), "not matched by the wildcard");

    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    SimpleGeneratorHostKeyProvider hostKeys =
        new SimpleGeneratorHostKeyProvider(dir.resolve("host-key.ser"));
    server.setKeyPairProvider(hostKeys);
    server.setPasswordAuthenticator(
        (user, password, session) -> "etl".equals(user) && "s3cret".equals(password));
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    server.setFileSystemFactory(new VirtualFileSystemFactory(dir.resolve("sftp")));
    server.start();
    try (TestDatabases.Postgres postgres = new TestDatabases.Postgres()) {
      KeyPair key = hostKeys.loadKeys(null).iterator().next();
      Path knownHosts =
          Files.writeString(
              dir.resolve("known_hosts"),
              "[127.0.0.1]:"
                  + server.getPort()
                  + " "
                  + PublicKeyEntry.toString(key.getPublic())
                  + "\n");
      postgres.execute(
          "CREATE TABLE orders (id bigint PRIMARY KEY, name text NOT NULL, amount numeric(8,2),"
              + " note text)");
      String job =
          """
          source: {connector: sftp, host: 127.0.0.1, port: %d, user: etl, password: s3cret,
                   knownHosts: '%s', path: /exports/orders-*, format: csv,
                   columns: ["id int64", "name string", "amount decimal(8,2)", "note string"]}
          sink: {connector: postgresql, %s, table: orders, writeMode: upsert}
          settings: {channels: 2}
          """
              .formatted(server.getPort(), knownHosts, postgres.options());
      FerryJobs.Outcome outcome =
          FerryJobs.run(dir.resolve("state"), "sftp-to-pg", job).succeeded();
      assertThat(outcome.dirty()).isEmpty();

      List<List<String>> actual = new ArrayList<>();
      try (Connection c = postgres.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, name, amount, note FROM orders ORDER BY id")) {
        while (rs.next()) {
          actual.add(
              List.of(
                  String.valueOf(rs.getLong(1)),
                  rs.getString(2),
                  String.valueOf(
                      rs.getBigDecimal(3) == null ? null : rs.getBigDecimal(3).toPlainString()),
                  String.valueOf(rs.getString(4))));
        }
      }
      assertThat(actual).containsExactlyElementsOf(expected);
    } finally {
      server.stop(true);
    }
  }
}
