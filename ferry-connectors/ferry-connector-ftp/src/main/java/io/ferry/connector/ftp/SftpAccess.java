package io.ferry.connector.ftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import io.ferry.spi.ErrorCode;
import io.ferry.spi.FerryException;
import io.ferry.spi.LocalFiles;
import io.ferry.spi.Options;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** SFTP through JSch: password or key authentication, host keys checked against known_hosts. */
final class SftpAccess extends RemoteAccess {
  private final String privateKey;
  private final String passphrase;
  private final String knownHosts;
  private final boolean knownHostsGiven;
  private final boolean strict;
  private final LocalFiles localFiles;

  /**
   * @param localFiles the local files the job may use: the private key and a known-hosts file the
   *     options name are read through it (the default known-hosts file is the server's own)
   */
  SftpAccess(Options options, LocalFiles localFiles) {
    super(
        options, options.get(RemoteOptions.SFTP_PORT), options.get(RemoteOptions.SFTP_USER).trim());
    this.privateKey = options.get(RemoteOptions.PRIVATE_KEY);
    this.passphrase = options.get(RemoteOptions.PASSPHRASE);
    this.localFiles = localFiles;
    this.knownHostsGiven = options.has(RemoteOptions.KNOWN_HOSTS);
    this.knownHosts =
        knownHostsGiven
            ? options.get(RemoteOptions.KNOWN_HOSTS)
            : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts").toString();
    this.strict =
        options.get(RemoteOptions.HOST_KEY_CHECKING) == RemoteOptions.HostKeyChecking.STRICT;
  }

  @Override
  String scheme() {
    return "sftp";
  }

  @Override
  protected RemoteFs open() {
    JSch jsch = new JSch();
    try {
      if (privateKey != null) {
        Path key = localFiles.resolve(RemoteOptions.PRIVATE_KEY.name(), privateKey);
        if (!Files.isReadable(key)) {
          throw FerryException.option(
              ErrorCode.OPTION_INVALID,
              RemoteOptions.PRIVATE_KEY.name(),
              "cannot read the private key file " + privateKey);
        }
        jsch.addIdentity(
            key.toString(),
            passphrase == null ? null : passphrase.getBytes(StandardCharsets.UTF_8));
      }
      if (strict) {
        Path knownHosts = knownHostsFile();
        if (!Files.isReadable(knownHosts)) {
          throw FerryException.option(
              ErrorCode.OPTION_INVALID,
              RemoteOptions.KNOWN_HOSTS.name(),
              "cannot read the known hosts file "
                  + knownHosts
                  + " to check the server's host key (hostKeyChecking: strict)");
        }
        jsch.setKnownHosts(knownHosts.toString());
      }
    } catch (JSchException e) {
      String option =
          privateKey != null && RemoteErrors.message(e).toLowerCase().contains("key")
              ? RemoteOptions.PRIVATE_KEY.name()
              : RemoteOptions.KNOWN_HOSTS.name();
      throw FerryException.option(ErrorCode.OPTION_INVALID, option, RemoteErrors.message(e));
    }
    Session session = null;
    try {
      session = jsch.getSession(user, host, port);
      if (password != null) {
        session.setPassword(password);
      }
      session.setConfig("StrictHostKeyChecking", strict ? "yes" : "no");
      session.setConfig(
          "PreferredAuthentications",
          privateKey != null ? "publickey,password,keyboard-interactive" : "password,publickey");
      session.setTimeout((int) readTimeout.toMillis());
      session.setServerAliveInterval((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
      session.connect((int) connectTimeout.toMillis());
      ChannelSftp channel = (ChannelSftp) session.openChannel("sftp");
      channel.connect((int) connectTimeout.toMillis());
      return new SftpFs(session, channel);
    } catch (JSchException e) {
      if (session != null) {
        session.disconnect();
      }
      throw classify(e);
    }
  }

  /** The known-hosts file to read: one the options name is confined like any local file. */
  private Path knownHostsFile() {
    return knownHostsGiven
        ? localFiles.resolve(RemoteOptions.KNOWN_HOSTS.name(), knownHosts)
        : Path.of(knownHosts);
  }

  private FerryException classify(JSchException e) {
    String message = RemoteErrors.message(e);
    if (e.getCause() instanceof UnknownHostException) {
      return RemoteErrors.unknownHost(host, e);
    }
    if (e instanceof JSchHostKeyException) {
      return new FerryException(
          RemoteErrors.HOST_KEY,
          where()
              + ": the server's host key is not trusted ("
              + message
              + "); add it to "
              + knownHosts
              + " (ssh-keyscan -p "
              + port
              + " "
              + host
              + "), or set hostKeyChecking: off only for tests",
          RemoteOptions.KNOWN_HOSTS.name(),
          e);
    }
    if (message.startsWith("Auth fail") || message.startsWith("Auth cancel")) {
      return RemoteErrors.authentication(
          where(), user, null, e); // the server never tells why: key, password or user
    }
    if (e.getCause() instanceof IOException cause) {
      return RemoteErrors.connection(where(), cause);
    }
    if (message.contains("timeout") || message.contains("timed out")) {
      return RemoteErrors.connection(where(), e);
    }
    return new FerryException(
        ErrorCode.CONNECTION,
        "cannot open an SFTP session with " + where() + ": " + message,
        RemoteOptions.HOST.name(),
        e);
  }

  /** One SSH session with one SFTP channel. */
  private final class SftpFs implements RemoteFs {
    private final Session session;
    private final ChannelSftp sftp;

    SftpFs(Session session, ChannelSftp sftp) {
      this.session = session;
      this.sftp = sftp;
    }

    private FerryException failure(String what, SftpException e) {
      return switch (e.id) {
        case ChannelSftp.SSH_FX_NO_SUCH_FILE ->
            new FerryException(
                ErrorCode.NOT_FOUND, where() + ": " + what + ": no such file or folder", e);
        case ChannelSftp.SSH_FX_PERMISSION_DENIED ->
            new FerryException(
                RemoteErrors.REFUSED, where() + ": " + what + ": permission denied", e);
        case ChannelSftp.SSH_FX_FAILURE, ChannelSftp.SSH_FX_OP_UNSUPPORTED ->
            new FerryException(
                RemoteErrors.REFUSED, where() + ": " + what + ": " + RemoteErrors.message(e), e);
        default -> RemoteErrors.io(where() + ": " + what, e);
      };
    }

    @Override
    public List<Entry> list(String directory) {
      List<Entry> entries = new ArrayList<>();
      try {
        sftp.ls(
            directory,
            entry -> {
              String name = entry.getFilename();
              if (!name.equals(".") && !name.equals("..")) {
                SftpATTRS a = entry.getAttrs();
                entries.add(new Entry(name, a.isReg(), a.isDir(), a.getSize()));
              }
              return ChannelSftp.LsEntrySelector.CONTINUE;
            });
      } catch (SftpException e) {
        throw failure("list " + directory, e);
      }
      return entries;
    }

    @Override
    public Entry stat(String path) {
      try {
        SftpATTRS a = sftp.stat(path);
        return new Entry(RemotePaths.name(path), a.isReg(), a.isDir(), a.getSize());
      } catch (SftpException e) {
        if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
          return null;
        }
        throw failure("stat " + path, e);
      }
    }

    @Override
    public InputStream read(String path, long offset) throws IOException {
      try {
        // JSch reads ahead with several requests in flight, from the given offset.
        return sftp.get(path, null, offset);
      } catch (SftpException e) {
        if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
          throw RemoteErrors.notFound(path, RemoteOptions.SOURCE_PATH.name());
        }
        throw failure("read " + path, e);
      }
    }

    @Override
    public OutputStream write(String path) throws IOException {
      try {
        return sftp.put(path, ChannelSftp.OVERWRITE);
      } catch (SftpException e) {
        throw failure("create " + path, e);
      }
    }

    @Override
    public OutputStream append(String path) throws IOException {
      try {
        return sftp.put(path, ChannelSftp.APPEND);
      } catch (SftpException e) {
        throw failure("append to " + path, e);
      }
    }

    @Override
    public void rename(String from, String to) {
      try {
        sftp.rename(from, to);
      } catch (SftpException e) {
        throw failure("rename " + from + " to " + to, e);
      }
    }

    @Override
    public void delete(String path) {
      try {
        sftp.rm(path);
      } catch (SftpException e) {
        if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
          throw failure("delete " + path, e);
        }
      }
    }

    @Override
    public void mkdirs(String directory) {
      Entry existing = stat(directory);
      if (existing != null) {
        if (!existing.directory()) {
          throw RemoteErrors.refused(
              where() + ": create the folder " + directory, "a file of that name exists");
        }
        return;
      }
      String parent = RemotePaths.parent(directory);
      if (!parent.equals(directory) && !RemotePaths.name(directory).isEmpty()) {
        mkdirs(parent);
      }
      try {
        sftp.mkdir(directory);
      } catch (SftpException e) {
        Entry now = stat(directory);
        if (now == null || !now.directory()) {
          throw failure("create the folder " + directory, e);
        }
      }
    }

    @Override
    public void close() {
      sftp.disconnect();
      session.disconnect();
    }
  }
}
