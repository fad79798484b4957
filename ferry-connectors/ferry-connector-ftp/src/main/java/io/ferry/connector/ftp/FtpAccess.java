package io.ferry.connector.ftp;

import io.ferry.spi.FerryException;
import io.ferry.spi.Options;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPReply;

/** FTP through Apache Commons Net: binary transfers, passive mode by default, REST offsets. */
final class FtpAccess extends RemoteAccess {
  private final boolean passive;

  FtpAccess(Options options) {
    super(options, options.get(RemoteOptions.FTP_PORT), options.get(RemoteOptions.FTP_USER).trim());
    this.passive = options.get(RemoteOptions.PASSIVE_MODE);
  }

  @Override
  String scheme() {
    return "ftp";
  }

  @Override
  protected RemoteFs open() {
    FTPClient client = new FTPClient();
    client.setConnectTimeout((int) connectTimeout.toMillis());
    client.setDefaultTimeout((int) readTimeout.toMillis());
    client.setDataTimeout(readTimeout);
    client.setListHiddenFiles(true); // the sink's parts are hidden files
    try {
      client.connect(host, port);
      if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
        String reply = reply(client);
        disconnect(client);
        throw new FerryException(
            io.ferry.spi.ErrorCode.CONNECTION,
            where() + " refused the connection: " + reply,
            RemoteOptions.HOST.name(),
            null);
      }
      client.setSoTimeout((int) readTimeout.toMillis());
      if (!client.login(user, password == null ? "" : password)) {
        String reply = reply(client);
        int code = client.getReplyCode();
        disconnect(client);
        if (FTPReply.isNegativeTransient(code)) {
          throw RemoteErrors.io("login to " + where(), new IOException(reply));
        }
        throw RemoteErrors.authentication(where(), user, reply, null);
      }
      if (!client.setFileType(FTP.BINARY_FILE_TYPE)) {
        String reply = reply(client);
        disconnect(client);
        throw RemoteErrors.refused(where() + ": binary mode", reply);
      }
      if (passive) {
        client.enterLocalPassiveMode();
      } else {
        client.enterLocalActiveMode();
      }
      return new FtpFs(client);
    } catch (UnknownHostException e) {
      disconnect(client);
      throw RemoteErrors.unknownHost(host, e);
    } catch (IOException e) {
      disconnect(client);
      throw RemoteErrors.connection(where(), e);
    }
  }

  private static String reply(FTPClient client) {
    String reply = client.getReplyString();
    return reply == null ? "no reply" : reply.trim();
  }

  private static void disconnect(FTPClient client) {
    try {
      if (client.isConnected()) {
        client.disconnect();
      }
    } catch (IOException e) {
      // closing a connection that failed anyway
    }
  }

  /** One FTP control connection and, at most, one data transfer at a time. */
  private final class FtpFs implements RemoteFs {
    private final FTPClient client;

    /**
     * The data stream of an upload in progress: the server answers nothing on the control
     * connection until it ends, so closing an unfinished upload closes it first.
     */
    private OutputStream uploading;

    FtpFs(FTPClient client) {
      this.client = client;
    }

    private FerryException failure(String what, IOException e) {
      return RemoteErrors.io(where() + ": " + what, e);
    }

    /** A refusal (a 5xx reply) is final; a 4xx reply (such as 421, 425, 426) may pass. */
    private FerryException replied(String what) {
      int code = client.getReplyCode();
      String reply = reply(client);
      if (FTPReply.isNegativeTransient(code)) {
        return RemoteErrors.io(where() + ": " + what, new IOException(reply));
      }
      return RemoteErrors.refused(where() + ": " + what, reply);
    }

    @Override
    public List<Entry> list(String directory) {
      try {
        FTPFile[] files = client.listFiles(directory);
        if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
          throw replied("list " + directory);
        }
        List<Entry> entries = new ArrayList<>();
        for (FTPFile f : files) {
          if (f == null) {
            continue; // an unparsable line
          }
          String name = f.getName();
          int slash = name.lastIndexOf('/');
          if (slash >= 0) {
            name = name.substring(slash + 1);
          }
          if (name.equals(".") || name.equals("..") || name.isEmpty()) {
            continue;
          }
          entries.add(new Entry(name, f.isFile(), f.isDirectory(), f.getSize()));
        }
        return entries;
      } catch (IOException e) {
        throw failure("list " + directory, e);
      }
    }

    @Override
    public Entry stat(String path) {
      String parent = RemotePaths.parent(path);
      String name = RemotePaths.name(path);
      if (name.isEmpty()) {
        return new Entry(path, false, true, 0); // the root
      }
      if (isDirectory(path)) {
        return new Entry(name, false, true, 0);
      }
      if (!isDirectory(parent)) {
        return null;
      }
      for (Entry e : list(parent)) {
        if (e.name().equals(name)) {
          return e;
        }
      }
      return null;
    }

    private boolean isDirectory(String path) {
      try {
        String cwd = client.printWorkingDirectory();
        if (!client.changeWorkingDirectory(path)) {
          if (FTPReply.isNegativeTransient(client.getReplyCode())) {
            throw replied("change to " + path);
          }
          return false;
        }
        if (cwd != null) {
          client.changeWorkingDirectory(cwd);
        }
        return true;
      } catch (IOException e) {
        throw failure("change to " + path, e);
      }
    }

    @Override
    public InputStream read(String path, long offset) throws IOException {
      client.setRestartOffset(offset);
      InputStream in;
      try {
        in = client.retrieveFileStream(path);
      } finally {
        client.setRestartOffset(0);
      }
      if (in == null) {
        int code = client.getReplyCode();
        if (code == 550) {
          throw RemoteErrors.notFound(path, RemoteOptions.SOURCE_PATH.name());
        }
        throw replied("read " + path + (offset > 0 ? " from byte " + offset : ""));
      }
      return new FilterInputStream(in) {
        private boolean completed;

        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b < 0) {
            complete(true);
          }
          return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
          int n = super.read(buffer, off, len);
          if (n < 0) {
            complete(true);
          }
          return n;
        }

        /** Reads the transfer's final reply; at the end of the data it must be a success. */
        private void complete(boolean atEnd) throws IOException {
          if (completed) {
            return;
          }
          completed = true;
          in.close();
          boolean ok = client.completePendingCommand();
          if (atEnd && !ok) {
            throw new IOException(
                "the transfer of " + path + " did not complete: " + reply(client));
          }
        }

        @Override
        public void close() throws IOException {
          complete(false);
        }
      };
    }

    @Override
    public OutputStream write(String path) throws IOException {
      return upload(path, client.storeFileStream(path), "create ");
    }

    @Override
    public OutputStream append(String path) throws IOException {
      return upload(path, client.appendFileStream(path), "append to ");
    }

    /** The data connection of a STOR or APPE: closing it waits for the server's confirmation. */
    private OutputStream upload(String path, OutputStream out, String what) throws IOException {
      if (out == null) {
        throw replied(what + path);
      }
      uploading = out;
      return new FilterOutputStream(out) {
        private boolean closed;

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          if (closed) {
            return;
          }
          closed = true;
          out.close();
          uploading = null;
          if (!client.completePendingCommand()) {
            throw new IOException("the server did not confirm " + path + ": " + reply(client));
          }
        }
      };
    }

    @Override
    public void rename(String from, String to) {
      try {
        if (!client.rename(from, to)) {
          throw replied("rename " + from + " to " + to);
        }
      } catch (IOException e) {
        throw failure("rename " + from, e);
      }
    }

    @Override
    public void delete(String path) {
      try {
        if (!client.deleteFile(path)) {
          if (client.getReplyCode() == 550 && stat(path) == null) {
            return; // already gone
          }
          throw replied("delete " + path);
        }
      } catch (IOException e) {
        throw failure("delete " + path, e);
      }
    }

    @Override
    public void mkdirs(String directory) {
      if (isDirectory(directory)) {
        return;
      }
      String parent = RemotePaths.parent(directory);
      if (!parent.equals(directory) && !RemotePaths.name(directory).isEmpty()) {
        mkdirs(parent);
      }
      try {
        if (!client.makeDirectory(directory) && !isDirectory(directory)) {
          throw replied("create the folder " + directory);
        }
      } catch (IOException e) {
        throw failure("create the folder " + directory, e);
      }
    }

    @Override
    public void close() {
      if (uploading != null) {
        try {
          uploading.close(); // abandoned: what arrived stays in the temporary part
        } catch (IOException e) {
          // the connection is being dropped anyway
        }
        disconnect(client);
        return;
      }
      try {
        if (client.isConnected()) {
          client.logout();
        }
      } catch (IOException e) {
        // the connection is being dropped anyway
      }
      disconnect(client);
    }
  }
}
