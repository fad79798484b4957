package io.ferry.connector.ftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * Embedded FTP and SFTP servers for the tests, on 127.0.0.1 and free ports, serving the module's
 * {@code target/} folder as their root: the testkit's data (under {@code target/testkit}) is
 * reached at {@link #remote(Path)}. Started and stopped by the test classes.
 */
final class TestServers {
  static final String USER = "ferry";
  static final String PASSWORD = "s3cret";

  /** The folder both servers serve as "/". */
  static final Path ROOT = Path.of("target").toAbsolutePath();

  private TestServers() {}

  /** The path on the servers of a local file or folder under {@link #ROOT}. */
  static String remote(Path local) {
    return "/" + ROOT.relativize(local.toAbsolutePath()).toString().replace('\\', '/');
  }

  /** An FTP server, passive mode on 127.0.0.1. */
  static final class Ftp implements AutoCloseable {
    private final FtpServer server;
    final int port;

    Ftp() {
      FtpServerFactory factory = new FtpServerFactory();
      ListenerFactory listener = new ListenerFactory();
      listener.setServerAddress("127.0.0.1");
      listener.setPort(0);
      DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
      data.setPassivePorts("0");
      data.setPassiveAddress("127.0.0.1");
      data.setPassiveExternalAddress("127.0.0.1");
      listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
      listener.setIdleTimeout(60);
      factory.addListener("default", listener.createListener());
      PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
      users.setPasswordEncryptor(new ClearTextPasswordEncryptor());
      UserManager userManager = users.createUserManager();
      BaseUser user = new BaseUser();
      user.setName(USER);
      user.setPassword(PASSWORD);
      user.setHomeDirectory(ROOT.toString());
      user.setAuthorities(List.<Authority>of(new WritePermission()));
      try {
        userManager.save(user);
        factory.setUserManager(userManager);
        server = factory.createServer();
        server.start();
      } catch (FtpException e) {
        throw new IllegalStateException("cannot start the FTP server", e);
      }
      port = factory.getListener("default").getPort();
    }

    /** Options that reach this server, as a job file would give them. */
    Map<String, Object> options() {
      Map<String, Object> options = new HashMap<>();
      options.put("host", "127.0.0.1");
      options.put("port", port);
      options.put("user", USER);
      options.put("password", PASSWORD);
      options.put("retryBackoff", "10ms");
      return options;
    }

    @Override
    public void close() {
      server.stop();
    }
  }

  /** An SFTP server with password login and a host key listed in {@link #knownHosts}. */
  static final class Sftp implements AutoCloseable {
    private final SshServer server;
    final int port;
    final Path knownHosts;

    Sftp() {
      try {
        Path keys = Files.createDirectories(ROOT.resolve("sftp-test"));
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        SimpleGeneratorHostKeyProvider hostKeys =
            new SimpleGeneratorHostKeyProvider(keys.resolve("host-key.ser"));
        server.setKeyPairProvider(hostKeys);
        server.setPasswordAuthenticator(
            (user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(ROOT));
        server.start();
        port = server.getPort();
        KeyPair key = hostKeys.loadKeys(null).iterator().next();
        knownHosts = keys.resolve("known_hosts-" + port);
        Files.writeString(
            knownHosts,
            "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key.getPublic()) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the SFTP server", e);
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the SFTP server", e);
      }
    }

    /** Options that reach this server with strict host key checking. */
    Map<String, Object> options() {
      Map<String, Object> options = new HashMap<>();
      options.put("host", "127.0.0.1");
      options.put("port", port);
      options.put("user", USER);
      options.put("password", PASSWORD);
      options.put("knownHosts", knownHosts.toString());
      options.put("retryBackoff", "10ms");
      return options;
    }

    @Override
    public void close() throws IOException {
      server.stop(true);
    }
  }
}
